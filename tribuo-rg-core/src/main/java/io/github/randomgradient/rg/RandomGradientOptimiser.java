package io.github.randomgradient.rg;

import com.oracle.labs.mlrg.olcut.config.Config;
import com.oracle.labs.mlrg.olcut.config.PropertyException;
import io.github.randomgradient.config.ConfigChecks;
import io.github.randomgradient.config.ProvenanceWalk;
import com.oracle.labs.mlrg.olcut.provenance.ConfiguredObjectProvenance;
import com.oracle.labs.mlrg.olcut.provenance.ObjectProvenance;
import com.oracle.labs.mlrg.olcut.provenance.impl.ConfiguredObjectProvenanceImpl;
import org.tribuo.Trainer;
import org.tribuo.math.Parameters;
import org.tribuo.math.StochasticGradientOptimiser;
import org.tribuo.math.la.Tensor;

import java.util.SplittableRandom;
import java.util.logging.Logger;

/**
 * Random Gradient for Tribuo's own gradient-based trainers: a decorator around any
 * {@link StochasticGradientOptimiser} (in the way Tribuo's {@code ParameterAveraging} wraps one)
 * that multiplies each mini-batch's gradient by a loss-scale factor before the wrapped optimiser
 * sees it.
 * <p>
 * Tribuo trainers call {@link #step(Tensor[], double)} once per mini-batch with the gradient of
 * the mini-batch loss. Scaling the loss by \( u \) scales that gradient by \( u \)
 * (\( \nabla (u L) = u \nabla L \)), so this optimiser draws one factor per call from its
 * {@link LossScale} and multiplies every gradient tensor by it in place, then delegates. The
 * tensors themselves are scaled, rather than the {@code weight} argument, because Tribuo's
 * {@code Adam} and {@code AdaDelta} ignore {@code weight}. A factor of exactly 1 leaves the tensors
 * untouched, so {@code ConstantLossScale(1.0)} reproduces the wrapped optimiser bit for bit.
 * <p>
 * Regularisation: Tribuo's optimisers have no weight decay of their own; an L2 term inside the
 * objective is part of the gradient and is scaled with it.
 * <p>
 * Known defect of the wrapped optimiser: Tribuo 4.3.2's {@code org.tribuo.math.optimisers.Adam}
 * multiplies the update by the square root of the second moment instead of dividing by it
 * (oracle/tribuo#401, fixed after 4.3.2). This decorator logs a warning when it wraps that class;
 * prefer {@code AdaGrad}, {@code RMSProp} or {@code SGD} with momentum on Tribuo 4.3.2.
 * <p>
 * Determinism: the factor sequence is a function of {@code seed} only. {@link #copy()} and
 * {@link #reset()} restart it, so every training run with the same configuration sees the same
 * factors.
 * <pre>
 * Reference: "Fast, Better Training Trick: Random Gradient", section 4 and its code listing.
 * </pre>
 */
public final class RandomGradientOptimiser implements StochasticGradientOptimiser {

    private static final Logger logger = Logger.getLogger(RandomGradientOptimiser.class.getName());

    /** Class name of Tribuo's Adam, which is defective in 4.3.2 (oracle/tribuo#401). */
    public static final String TRIBUO_ADAM = "org.tribuo.math.optimisers.Adam";

    @Config(mandatory = true, description = "The wrapped gradient optimiser.")
    private StochasticGradientOptimiser optimiser;

    @Config(description = "The loss scale drawn once per mini-batch. Defaults to the paper's U[0, 1).")
    private LossScale lossScale = UniformLossScale.paperDefault();

    @Config(description = "Seed of the loss-scale factor sequence.")
    private long seed = Trainer.DEFAULT_SEED;

    private LossScale.Sampler sampler;
    private long step;
    private double scaleSum;

    /**
     * For OLCUT.
     */
    private RandomGradientOptimiser() {}

    /**
     * Wraps an optimiser with the paper's default RG, \( U[0, 1) \), seeded with {@link Trainer#DEFAULT_SEED}.
     * @param optimiser The optimiser to wrap.
     * @throws IllegalArgumentException If {@code optimiser} is null.
     */
    public RandomGradientOptimiser(StochasticGradientOptimiser optimiser) {
        this(optimiser, UniformLossScale.paperDefault(), Trainer.DEFAULT_SEED);
    }

    /**
     * Wraps an optimiser.
     * @param optimiser The optimiser to wrap.
     * @param lossScale The loss scale drawn once per mini-batch.
     * @param seed The seed of the factor sequence.
     * @throws IllegalArgumentException If {@code optimiser} or {@code lossScale} is null.
     */
    public RandomGradientOptimiser(StochasticGradientOptimiser optimiser, LossScale lossScale, long seed) {
        this.optimiser = optimiser;
        this.lossScale = lossScale;
        this.seed = seed;
        ConfigChecks.validateForJavaApi(this);
    }

    /**
     * Validates the configuration.
     * @throws PropertyException If {@code optimiser} or {@code lossScale} is missing.
     */
    @Override
    public void postConfig() {
        if (optimiser == null) {
            throw new PropertyException("", "optimiser", "optimiser must be set to the StochasticGradientOptimiser to wrap, found null");
        }
        if (lossScale == null) {
            throw new PropertyException("", "lossScale", "lossScale must be set, found null");
        }
    }

    /**
     * Initialises the wrapped optimiser and restarts the factor sequence.
     * @param parameters The parameters to optimise.
     */
    @Override
    public void initialise(Parameters parameters) {
        if (wrapsTribuoAdam(optimiser.getProvenance())) {
            logger.warning("RandomGradientOptimiser wraps Tribuo 4.3.2's Adam, which multiplies by the second-moment term "
                    + "instead of dividing by it (oracle/tribuo#401). Its results are not those of Adam; prefer AdaGrad, "
                    + "RMSProp or SGD with momentum on this Tribuo version.");
        }
        optimiser.initialise(parameters);
        restart();
    }

    private void restart() {
        sampler = lossScale.newSampler(new SplittableRandom(seed));
        step = 0;
        scaleSum = 0.0;
    }

    /**
     * Scales every gradient tensor in place by this mini-batch's loss-scale factor, then
     * delegates to the wrapped optimiser.
     * @param updates The gradients of one mini-batch.
     * @param weight The weight of the mini-batch, passed unchanged to the wrapped optimiser.
     * @return The wrapped optimiser's updates.
     */
    @Override
    public Tensor[] step(Tensor[] updates, double weight) {
        if (sampler == null) {
            restart();
        }
        double factor = sampler.scale(step);
        step++;
        scaleSum += factor;
        if (factor != 1.0) {
            for (Tensor t : updates) {
                t.scaleInPlace(factor);
            }
        }
        return optimiser.step(updates, weight);
    }

    @Override
    public void finalise() {
        optimiser.finalise();
    }

    /**
     * Resets the wrapped optimiser and restarts the factor sequence from the seed.
     */
    @Override
    public void reset() {
        optimiser.reset();
        sampler = null;
        step = 0;
        scaleSum = 0.0;
    }

    /**
     * Copies this decorator and the wrapped optimiser; the copy restarts the factor sequence.
     * @return An independent copy with the same configuration.
     */
    @Override
    public RandomGradientOptimiser copy() {
        return new RandomGradientOptimiser(optimiser.copy(), lossScale, seed);
    }

    /**
     * The number of mini-batches scaled since the last {@link #initialise}, {@link #reset} or creation.
     * @return The number of steps taken.
     */
    public long getStepCount() {
        return step;
    }

    /**
     * The mean factor applied since the last {@link #initialise}, {@link #reset} or creation.
     * @return The realised mean loss scale, or NaN before the first step.
     */
    public double getMeanScale() {
        return step == 0 ? Double.NaN : scaleSum / step;
    }

    /**
     * The loss scale.
     * @return The loss scale.
     */
    public LossScale getLossScale() {
        return lossScale;
    }

    /**
     * Does this provenance (of an optimiser, trainer or model) contain Tribuo's defective Adam?
     * @param provenance The provenance to search.
     * @return True if {@value #TRIBUO_ADAM} appears anywhere in it.
     */
    public static boolean wrapsTribuoAdam(ObjectProvenance provenance) {
        boolean[] found = {false};
        ProvenanceWalk.walk("", provenance, (path, p) -> found[0] |= p instanceof ObjectProvenance
                && TRIBUO_ADAM.equals(((ObjectProvenance) p).getClassName()));
        return found[0];
    }

    @Override
    public String toString() {
        return "RandomGradientOptimiser(optimiser=" + optimiser + ",lossScale=" + lossScale + ",seed=" + seed + ")";
    }

    @Override
    public ConfiguredObjectProvenance getProvenance() {
        return new ConfiguredObjectProvenanceImpl(this, "StochasticGradientOptimiser");
    }
}

package io.github.randomgradient.djl.rg;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.training.loss.Loss;
import com.oracle.labs.mlrg.olcut.provenance.Provenancable;
import io.github.randomgradient.rg.LossScale;

import java.util.Objects;
import java.util.SplittableRandom;

/**
 * Random Gradient for any DJL {@link Loss}: during training the value handed to
 * {@code backward} is the wrapped loss multiplied by the factor \( u_t \) that a {@link LossScale}
 * gives optimiser step \( t \).
 * <pre>
 * Reference: "Fast, Better Training Trick: Random Gradient", section 4 (the mini-batch loss is
 * multiplied by u ~ U[low, high) before back-propagation).
 * </pre>
 * <p>
 * Use it as the loss of a {@code DefaultTrainingConfig} together with its
 * {@link RandomGradientListener}, then train with {@code EasyTrain.fit} as usual:
 * <pre>{@code
 * RandomGradientLoss loss = RandomGradientLoss.builder()
 *         .setLoss(Loss.softmaxCrossEntropyLoss())
 *         .setLossScale(new UniformLossScale(0, 1))
 *         .optSeed(42)
 *         .build();
 * RandomGradientListener rg = RandomGradientListener.builder().setLoss(loss).build();
 * DefaultTrainingConfig config = new DefaultTrainingConfig(loss)
 *         .addTrainingListeners(TrainingListener.Defaults.basic())
 *         .addTrainingListeners(rg);
 * try (Trainer trainer = model.newTrainer(config)) {
 *     EasyTrain.fit(trainer, epochs, train, validation);
 * }
 * TrainingHistory history = rg.getTrainingHistory();
 * }</pre>
 * How it fits DJL 0.36's training loop:
 * <ul>
 *     <li>{@link #evaluate} is the value for {@code backward} and is scaled. DJL's
 *     {@code EasyTrain.trainBatch} calls it once per device split; all splits of one optimiser step
 *     get the same factor, drawn once (on the first call) and keyed by the step index. The step
 *     advances when the listener sees {@code onTrainingBatch}, i.e. once per optimiser step.</li>
 *     <li>The trainer also registers this loss as an evaluator, and DJL's
 *     {@code EvaluatorTrainingListener} re-evaluates it for every device on every training and
 *     validation batch through the accumulator methods. Those are passed to the wrapped loss, so
 *     every reported value (progress bar, {@code TrainingResult}, validation loss) is the
 *     unscaled loss, and validation never draws.</li>
 *     <li>{@link #evaluate} refuses to run unless its listener is registered in the running
 *     trainer: without it the steps would not advance and a run could be recorded as RG while
 *     using a single factor. Evaluate the unscaled loss yourself with {@link #getWrappedLoss()}.</li>
 * </ul>
 * The factors come from {@code lossScale.newSampler(new SplittableRandom(seed))}: they depend only
 * on the loss scale, the seed and the step index, never on DJL's global random number generator
 * (which initialises parameters and shuffles data). A factor of exactly 1 returns the wrapped
 * loss's own array, so {@code ConstantLossScale(1.0)} trains bitwise like the unwrapped loss.
 * <p>
 * Thread safety: the factor of a step is drawn under a lock, so concurrent device splits agree on
 * it. The listener still refuses a trainer with an executor service and several devices, because
 * DJL 0.36 does not wait for those splits before {@code step()} (deepjavalibrary/djl#2459).
 */
public final class RandomGradientLoss extends Loss implements Provenancable<RandomGradientLossProvenance> {

    private final Loss loss;
    private final LossScale lossScale;
    private final long seed;
    private final LossScale.Sampler sampler;

    private final Object lock = new Object();
    private RandomGradientListener owner;
    private long step;
    private boolean drawn;
    private double factor;

    private RandomGradientLoss(Builder builder) {
        super(builder.loss.getName());
        this.loss = builder.loss;
        this.lossScale = builder.lossScale;
        this.seed = builder.seed;
        this.sampler = lossScale.newSampler(new SplittableRandom(seed));
    }

    /**
     * Creates a builder.
     * @return A new builder.
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * The loss that is scaled, used unscaled for every reported value.
     * @return The wrapped loss.
     */
    public Loss getWrappedLoss() {
        return loss;
    }

    /**
     * The loss scale whose factors multiply the loss.
     * @return The loss scale.
     */
    public LossScale getLossScale() {
        return lossScale;
    }

    /**
     * The seed of the factor sampler.
     * @return The seed.
     */
    public long getSeed() {
        return seed;
    }

    /**
     * The factor of optimiser step {@code step}, a pure function of the loss scale, the seed and
     * the step index.
     * @param step The zero-based optimiser step.
     * @return The factor, at least 0.
     * @throws IllegalArgumentException If {@code step} is negative.
     */
    public double factorAt(long step) {
        return sampler.scale(step);
    }

    /**
     * The zero-based optimiser step the next {@code backward} belongs to.
     * @return The current step index (0 before training).
     */
    public long getStep() {
        synchronized (lock) {
            return step;
        }
    }

    /**
     * {@inheritDoc}
     * <p>
     * Returns the wrapped loss times the factor \( u_t \) of the current optimiser step \( t \)
     * (the wrapped loss's own array when \( u_t = 1 \)). Shapes are those of the wrapped loss.
     * @throws IllegalStateException If no {@link RandomGradientListener} of this loss is
     *     registered in a running trainer.
     */
    @Override
    public NDArray evaluate(NDList labels, NDList predictions) {
        double u = currentFactor();
        NDArray value = loss.evaluate(labels, predictions);
        return u == 1.0 ? value : value.mul((float) u);
    }

    /** {@inheritDoc} Passed to the wrapped loss, so the accumulated value is unscaled. */
    @Override
    public void addAccumulator(String key) {
        loss.addAccumulator(key);
    }

    /** {@inheritDoc} Passed to the wrapped loss, so the accumulated value is unscaled and nothing is drawn. */
    @Override
    public void updateAccumulator(String key, NDList labels, NDList predictions) {
        loss.updateAccumulator(key, labels, predictions);
    }

    /** {@inheritDoc} Passed to the wrapped loss, so the accumulated value is unscaled and nothing is drawn. */
    @Override
    public void updateAccumulators(String[] keys, NDList labels, NDList predictions) {
        loss.updateAccumulators(keys, labels, predictions);
    }

    /** {@inheritDoc} Passed to the wrapped loss. */
    @Override
    public void resetAccumulator(String key) {
        loss.resetAccumulator(key);
    }

    /** {@inheritDoc} The wrapped loss's unscaled value. */
    @Override
    public float getAccumulator(String key) {
        return loss.getAccumulator(key);
    }

    /**
     * The provenance: loss scale, seed, its expected factor and the wrapped loss.
     * @return The provenance.
     */
    @Override
    public RandomGradientLossProvenance getProvenance() {
        return new RandomGradientLossProvenance(this);
    }

    @Override
    public String toString() {
        return "RandomGradientLoss(loss=" + loss.getName() + ",lossScale=" + lossScale.describe() + ",seed=" + seed + ")";
    }

    /** The factor of the current step, drawn on first use within the step. */
    private double currentFactor() {
        synchronized (lock) {
            if (owner == null) {
                throw new IllegalStateException("RandomGradientLoss.evaluate is the training loss for backward and needs its "
                        + "RandomGradientListener in the running trainer: add RandomGradientListener.builder().setLoss(loss).build() "
                        + "with DefaultTrainingConfig.addTrainingListeners(...); use getWrappedLoss() to evaluate outside training");
            }
            if (!drawn) {
                factor = sampler.scale(step);
                drawn = true;
            }
            return factor;
        }
    }

    /**
     * Binds the loss to the listener of a trainer that starts training; steps restart at 0.
     * @throws IllegalStateException If another trainer is training with this loss.
     */
    void bind(RandomGradientListener listener) {
        synchronized (lock) {
            if (owner != null && owner != listener) {
                throw new IllegalStateException("This RandomGradientLoss is already training with another trainer; "
                        + "build one RandomGradientLoss per trainer");
            }
            owner = listener;
            step = 0;
            drawn = false;
        }
    }

    /** Releases the loss at the end of training. */
    void unbind(RandomGradientListener listener) {
        synchronized (lock) {
            if (owner == listener) {
                owner = null;
            }
        }
    }

    /**
     * Ends the current optimiser step.
     * @return The factor of the step that ended (drawn now if no backward asked for it).
     */
    double endStep() {
        synchronized (lock) {
            double u = drawn ? factor : sampler.scale(step);
            step++;
            drawn = false;
            return u;
        }
    }

    /**
     * Builds a {@link RandomGradientLoss}: {@code setLoss} and {@code setLossScale} are required,
     * the seed defaults to {@value #DEFAULT_SEED}.
     */
    public static final class Builder {
        /** The default seed of the factor sampler. */
        public static final long DEFAULT_SEED = 12345L;

        private Loss loss;
        private LossScale lossScale;
        private long seed = DEFAULT_SEED;

        private Builder() {
        }

        /**
         * Sets the loss to scale.
         * @param loss Any DJL loss (also composite ones); not a {@link RandomGradientLoss}.
         * @return This builder.
         */
        public Builder setLoss(Loss loss) {
            this.loss = loss;
            return this;
        }

        /**
         * Sets the loss scale, e.g. {@code new UniformLossScale(0, 1)} (the paper's RG) or
         * {@code new ConstantLossScale(1.0)} (the baseline).
         * @param lossScale The loss scale.
         * @return This builder.
         */
        public Builder setLossScale(LossScale lossScale) {
            this.lossScale = lossScale;
            return this;
        }

        /**
         * Sets the seed of the factor sampler (independent of DJL's random number generator).
         * @param seed The seed.
         * @return This builder.
         */
        public Builder optSeed(long seed) {
            this.seed = seed;
            return this;
        }

        /**
         * Builds the loss.
         * @return The loss wrapper.
         * @throws NullPointerException If the loss or the loss scale is missing.
         * @throws IllegalArgumentException If the loss is already a {@link RandomGradientLoss}.
         */
        public RandomGradientLoss build() {
            Objects.requireNonNull(loss, "loss must be set with setLoss(...)");
            Objects.requireNonNull(lossScale, "lossScale must be set with setLossScale(...)");
            if (loss instanceof RandomGradientLoss) {
                throw new IllegalArgumentException("loss is already a RandomGradientLoss (" + loss + "); wrap the plain loss once");
            }
            return new RandomGradientLoss(this);
        }
    }
}

package io.github.randomgradient.djl.optim;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import com.oracle.labs.mlrg.olcut.config.PropertyException;
import com.oracle.labs.mlrg.olcut.provenance.ConfiguredObjectProvenance;
import com.oracle.labs.mlrg.olcut.provenance.impl.ConfiguredObjectProvenanceImpl;
import io.github.randomgradient.optim.OptimiserDescription;

import java.util.Objects;

/**
 * An update rule of {@code torch.optim} as an OLCUT component ({@link TorchSgd}, {@link TorchAdam}),
 * the way Tribuo's SGD trainers take a {@code StochasticGradientOptimiser}: an immutable description
 * of the rule and its hyper-parameters, validated in {@code postConfig()}, whose provenance records
 * only the values that act in the rule. The learning rate is not part of it: it belongs to the
 * trainer (the sweep's axis) and is evaluated per update by a {@link Schedule}.
 * <p>
 * Each training run asks the component for a fresh {@link Updater} ({@link #newUpdater}), which
 * holds that run's per-parameter state (momentum buffers, moments, step counts) and applies the
 * rule in place to DJL parameters. It is called by the training loop directly and never through
 * DJL's {@code Trainer.step()}, so a step whose gradients are all zero (a loss scale of 0) is a
 * legal step: momentum still moves the parameters, as in PyTorch.
 * <p>
 * Arithmetic is float32, with the scalars (learning rate, bias corrections) computed in double as
 * PyTorch's Python side does; results agree with PyTorch to float32 rounding (PyTorch's CPU
 * kernels may fuse a multiply-add).
 */
public abstract class TorchOptimiser implements OptimiserDescription {

    /**
     * Builds the component of one of the former flat trainer settings ({@code optimiser},
     * {@code momentum}, {@code beta1}, {@code beta2}, {@code weightDecay}); the values the rule
     * does not use are ignored.
     * @param type The update rule.
     * @param momentum \( \mu \) for SGD and NESTEROV, in [0, 1) (> 0 for NESTEROV).
     * @param beta1 \( \beta_1 \) for ADAM and ADAMW, in [0, 1).
     * @param beta2 \( \beta_2 \) for ADAM and ADAMW, in [0, 1).
     * @param weightDecay \( \lambda \), >= 0.
     * @return {@link TorchSgd} or {@link TorchAdam}.
     * @throws IllegalArgumentException If a value the rule uses is out of range; the message names it.
     */
    public static TorchOptimiser of(OptimiserType type, float momentum, float beta1, float beta2, float weightDecay) {
        switch (Objects.requireNonNull(type, "type")) {
            case NESTEROV:
                return new TorchSgd(momentum, true, weightDecay);
            case ADAM:
                return new TorchAdam(beta1, beta2, weightDecay, false);
            case ADAMW:
                return new TorchAdam(beta1, beta2, weightDecay, true);
            case SGD:
            default:
                return new TorchSgd(momentum, false, weightDecay);
        }
    }

    /**
     * Starts a run: a fresh updater with empty state.
     * @param manager The manager whose child holds the state (on the parameters' device).
     * @return The updater; the caller closes it at the end of the run.
     */
    public abstract Updater newUpdater(NDManager manager);

    /**
     * The decimal value of a float setting as written in a config, e.g. 0.9 for {@code 0.9f}
     * (rather than its binary value 0.8999999761581421), for descriptions.
     * @param v The value.
     * @return The shortest decimal that reads back as {@code v}.
     */
    static double decimal(float v) {
        return Double.parseDouble(Float.toString(v));
    }

    /**
     * Checks a weight decay.
     * @param host The component's class, for the message.
     * @param weightDecay The value.
     * @throws PropertyException If it is negative or not finite.
     */
    static void checkWeightDecay(String host, float weightDecay) {
        if (!(weightDecay >= 0) || !Float.isFinite(weightDecay)) {
            throw new PropertyException("", "weightDecay", host + " weightDecay must be finite and >= 0, found " + weightDecay);
        }
    }

    /**
     * Checks a value in [0, 1).
     * @param host The component's class, for the message.
     * @param field The field.
     * @param v The value.
     * @throws PropertyException If it is outside [0, 1).
     */
    static void checkUnitInterval(String host, String field, float v) {
        if (!(v >= 0 && v < 1)) {
            throw new PropertyException("", field, host + " " + field + " must be in [0, 1), found " + v);
        }
    }

    @Override
    public ConfiguredObjectProvenance getProvenance() {
        return new ConfiguredObjectProvenanceImpl(this, "TorchOptimiser");
    }

    @Override
    public boolean equals(Object o) {
        return o != null && o.getClass() == getClass() && o.toString().equals(toString());
    }

    @Override
    public int hashCode() {
        return toString().hashCode();
    }

    /**
     * One run's state of a {@link TorchOptimiser}: applies the rule in place to DJL parameters.
     * Callers must run updates with autograd off and close the updater (or its manager) at the end
     * of the run.
     */
    public abstract static class Updater implements AutoCloseable {

        /** Holds the optimiser state. */
        protected final NDManager state;
        /** Weight decay \( \lambda \), >= 0. */
        protected final float weightDecay;

        /**
         * Creates an updater.
         * @param manager The manager whose child holds the state.
         * @param weightDecay \( \lambda \).
         */
        protected Updater(NDManager manager, float weightDecay) {
            this.state = Objects.requireNonNull(manager, "manager").newSubManager();
            this.weightDecay = weightDecay;
        }

        /**
         * Updates one parameter in place. Does not zero the gradient.
         * @param parameterId A stable id of the parameter (its state key).
         * @param weight The parameter, updated in place.
         * @param grad Its gradient (already summed over devices), same shape; not modified.
         * @param learningRate \( \eta_t \) of this update.
         */
        public abstract void update(String parameterId, NDArray weight, NDArray grad, double learningRate);

        /**
         * \( g + \lambda w \) as a new array, or a copy of {@code g} without weight decay.
         * @param weight The parameter.
         * @param grad The gradient.
         * @return A new array the caller closes.
         */
        protected NDArray withWeightDecay(NDArray weight, NDArray grad) {
            if (weightDecay == 0f) {
                return grad.duplicate();
            }
            try (NDArray decay = weight.mul(weightDecay)) {
                return grad.add(decay);
            }
        }

        /**
         * {@code w -= lr * d}.
         * @param weight The parameter.
         * @param direction The step direction.
         * @param learningRate The learning rate.
         */
        protected static void descend(NDArray weight, NDArray direction, double learningRate) {
            try (NDArray step = direction.mul((float) learningRate)) {
                weight.subi(step);
            }
        }

        /** Frees the optimiser state. */
        @Override
        public void close() {
            state.close();
        }
    }
}

package io.github.randomgradient.djl.optim;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

import java.util.Objects;

/**
 * An update rule of {@code torch.optim}, applied in place to DJL parameters from their gradients.
 * <p>
 * Unlike a DJL {@code Optimizer}, it is called by the training loop directly and never through
 * DJL's {@code Trainer.step()}, so a step whose gradients are all zero (a loss scale of 0) is a
 * legal step: momentum still moves the parameters, as in PyTorch. The learning rate is an argument
 * of each update (the caller evaluates the {@link Schedule}); the optimiser keeps only per-parameter
 * state (momentum buffers, moments, step counts) in the {@link NDManager} it was created with.
 * <p>
 * Callers must run updates with autograd off and close the optimiser (or its manager) at the end
 * of the run. Arithmetic is float32, with the scalars (learning rate, bias corrections) computed
 * in double as PyTorch's Python side does; results agree with PyTorch to float32 rounding
 * (PyTorch's CPU kernels may fuse a multiply-add).
 */
public abstract class TorchOptimiser implements AutoCloseable {

    /** Holds the optimiser state. */
    protected final NDManager state;
    /** Weight decay \( \lambda \), >= 0. */
    protected final float weightDecay;

    /**
     * Creates an optimiser.
     * @param manager The manager whose child holds the state (on the parameters' device).
     * @param weightDecay Weight decay \( \lambda \), finite and >= 0.
     * @throws IllegalArgumentException If {@code weightDecay} is negative or not finite.
     */
    protected TorchOptimiser(NDManager manager, float weightDecay) {
        Objects.requireNonNull(manager, "manager");
        if (!(weightDecay >= 0) || !Float.isFinite(weightDecay)) {
            throw new IllegalArgumentException("weightDecay must be finite and >= 0, found " + weightDecay);
        }
        this.state = manager.newSubManager();
        this.weightDecay = weightDecay;
    }

    /**
     * Creates the optimiser of a type.
     * @param type The update rule.
     * @param manager The manager whose child holds the state.
     * @param momentum \( \mu \) for SGD and NESTEROV, in [0, 1).
     * @param beta1 \( \beta_1 \) for ADAM and ADAMW, in [0, 1).
     * @param beta2 \( \beta_2 \) for ADAM and ADAMW, in [0, 1).
     * @param weightDecay \( \lambda \), >= 0.
     * @return The optimiser.
     * @throws IllegalArgumentException If a value is out of range.
     */
    public static TorchOptimiser of(OptimiserType type, NDManager manager, float momentum, float beta1, float beta2,
                                    float weightDecay) {
        switch (type) {
            case NESTEROV:
                return new TorchSgd(manager, momentum, true, weightDecay);
            case ADAM:
                return new TorchAdam(manager, beta1, beta2, weightDecay, false);
            case ADAMW:
                return new TorchAdam(manager, beta1, beta2, weightDecay, true);
            case SGD:
            default:
                return new TorchSgd(manager, momentum, false, weightDecay);
        }
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

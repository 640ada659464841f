package io.github.randomgradient.djl.optim;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.ParameterTracker;

import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * SGD with Nesterov momentum in PyTorch's formulation, for DJL's PyTorch engine (whose
 * {@code nagUpdate} kernel is not implemented):
 * <p>
 * \( g \leftarrow g + \lambda w \), \( b \leftarrow \mu b + g \), \( w \leftarrow w - \eta (g + \mu b) \),
 * with learning rate \( \eta \), momentum \( \mu \) and weight decay \( \lambda \).
 * <pre>
 * Reference: I. Sutskever, J. Martens, G. Dahl, G. Hinton, "On the importance of initialization and
 * momentum in deep learning", ICML 2013; torch.optim.SGD(nesterov=True).
 * </pre>
 */
public final class NesterovSgd extends Optimizer {

    private final ParameterTracker learningRateTracker;
    private final float momentum;
    private final Map<String, Map<Device, NDArray>> momentumStates = new ConcurrentHashMap<>();

    private NesterovSgd(Builder builder) {
        super(builder);
        this.learningRateTracker = builder.learningRateTracker;
        this.momentum = builder.momentum;
    }

    /**
     * Creates a builder.
     * @return A new builder.
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Updates one parameter in place and zeroes its gradient.
     * @param parameterId The parameter's id.
     * @param weight The parameter.
     * @param grad Its gradient (already reduced across devices).
     */
    @Override
    public void update(String parameterId, NDArray weight, NDArray grad) {
        float lr = learningRateTracker.getNewValue(parameterId, updateCount(parameterId));
        float weightDecay = getWeightDecay();
        boolean gradMode = JniUtils.isGradMode();
        JniUtils.setGradMode(false);
        try {
            // Every temporary is closed here: they would otherwise live as long as the parameters' manager.
            NDArray g = grad.mul(rescaleGrad);
            if (clipGrad > 0) {
                NDArray clipped = g.clip(-clipGrad, clipGrad);
                g.close();
                g = clipped;
            }
            if (weightDecay != 0f) {
                NDArray decay = weight.mul(weightDecay);
                g.addi(decay);
                decay.close();
            }
            NDArray buf = withDefaultState(momentumStates, parameterId, weight.getDevice(), k -> weight.zerosLike());
            buf.muli(momentum).addi(g);
            NDArray step = buf.mul(momentum);
            step.addi(g).muli(lr);
            weight.subi(step);
            step.close();
            g.close();
            if (weight instanceof PtNDArray) {
                JniUtils.zeroGrad((PtNDArray) weight);
            } else {
                grad.subi(grad);
            }
        } finally {
            JniUtils.setGradMode(gradMode);
        }
    }

    /**
     * Builds a {@link NesterovSgd}.
     */
    public static final class Builder extends OptimizerBuilder<Builder> {
        private ParameterTracker learningRateTracker;
        private float momentum;

        private Builder() {}

        @Override
        protected Builder self() {
            return this;
        }

        /**
         * Sets the learning-rate schedule.
         * @param tracker The schedule.
         * @return This builder.
         */
        public Builder setLearningRateTracker(ParameterTracker tracker) {
            this.learningRateTracker = tracker;
            return this;
        }

        /**
         * Sets the momentum \( \mu \).
         * @param momentum In [0, 1).
         * @return This builder.
         */
        public Builder setMomentum(float momentum) {
            this.momentum = momentum;
            return this;
        }

        /**
         * Builds the optimiser.
         * @return The optimiser.
         * @throws NullPointerException If no learning-rate tracker was set.
         */
        public NesterovSgd build() {
            Objects.requireNonNull(learningRateTracker, "learningRateTracker");
            return new NesterovSgd(this);
        }
    }
}

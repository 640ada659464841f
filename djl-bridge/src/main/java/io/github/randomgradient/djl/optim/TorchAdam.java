package io.github.randomgradient.djl.optim;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

import java.util.HashMap;
import java.util.Map;

/**
 * {@code torch.optim.Adam} and {@code torch.optim.AdamW} (eps 1e-8, no amsgrad). For update
 * \( t \) (from 1) of a parameter:
 * <p>
 * Adam: \( g \leftarrow g + \lambda w \); AdamW: \( w \leftarrow w (1 - \eta_t \lambda) \). Then
 * \( m \leftarrow \beta_1 m + (1-\beta_1) g \), \( v \leftarrow \beta_2 v + (1-\beta_2) g^2 \),
 * \( w \leftarrow w - \frac{\eta_t}{1-\beta_1^t} \cdot \frac{m}{\sqrt{v} / \sqrt{1-\beta_2^t} + \epsilon} \).
 * <pre>
 * Reference: torch.optim.Adam and torch.optim.AdamW documentation (PyTorch 2.x), "Algorithm";
 * D. Kingma, J. Ba, "Adam: A Method for Stochastic Optimization", ICLR 2015; I. Loshchilov,
 * F. Hutter, "Decoupled Weight Decay Regularization", ICLR 2019.
 * </pre>
 */
public final class TorchAdam extends TorchOptimiser {

    /** PyTorch's default \( \epsilon \). */
    public static final float EPSILON = 1e-8f;

    private final float beta1;
    private final float beta2;
    private final boolean decoupled;
    private final Map<String, NDArray[]> moments = new HashMap<>();
    private final Map<String, long[]> steps = new HashMap<>();

    /**
     * Creates the optimiser.
     * @param manager The manager whose child holds the moments.
     * @param beta1 \( \beta_1 \), in [0, 1).
     * @param beta2 \( \beta_2 \), in [0, 1).
     * @param weightDecay \( \lambda \), >= 0.
     * @param decoupled True for AdamW's decoupled weight decay, false for Adam's L2 in the gradient.
     * @throws IllegalArgumentException If a value is out of range.
     */
    public TorchAdam(NDManager manager, float beta1, float beta2, float weightDecay, boolean decoupled) {
        super(manager, weightDecay);
        if (!(beta1 >= 0 && beta1 < 1)) {
            throw new IllegalArgumentException("beta1 must be in [0, 1), found " + beta1);
        }
        if (!(beta2 >= 0 && beta2 < 1)) {
            throw new IllegalArgumentException("beta2 must be in [0, 1), found " + beta2);
        }
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.decoupled = decoupled;
    }

    @Override
    public void update(String parameterId, NDArray weight, NDArray grad, double learningRate) {
        long t = ++steps.computeIfAbsent(parameterId, k -> new long[1])[0];
        NDArray[] mv = moments.computeIfAbsent(parameterId, k -> {
            NDArray m = weight.zerosLike();
            NDArray v = weight.zerosLike();
            m.attach(state);
            v.attach(state);
            return new NDArray[]{m, v};
        });
        NDArray g;
        if (decoupled) {
            if (weightDecay != 0f) {
                weight.muli((float) (1.0 - learningRate * weightDecay));
            }
            g = grad.duplicate();
        } else {
            g = withWeightDecay(weight, grad);
        }
        try (g) {
            try (NDArray scaled = g.mul(1f - beta1)) {
                mv[0].muli(beta1).addi(scaled);
            }
            try (NDArray square = g.mul(g)) {
                square.muli(1f - beta2);
                mv[1].muli(beta2).addi(square);
            }
        }
        double bias1 = 1.0 - Math.pow(beta1, t);
        double bias2Sqrt = Math.sqrt(1.0 - Math.pow(beta2, t));
        double stepSize = learningRate / bias1;
        try (NDArray denom = mv[1].sqrt()) {
            denom.divi((float) bias2Sqrt).addi(EPSILON);
            try (NDArray ratio = mv[0].div(denom)) {
                descend(weight, ratio, stepSize);
            }
        }
    }
}

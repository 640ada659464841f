package io.github.randomgradient.djl.optim;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import com.oracle.labs.mlrg.olcut.config.Config;
import com.oracle.labs.mlrg.olcut.config.PropertyException;
import io.github.randomgradient.config.ConfigChecks;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalDouble;

/**
 * {@code torch.optim.Adam} and {@code torch.optim.AdamW} (eps 1e-8, no amsgrad). For update
 * \( t \) (from 1) of a parameter:
 * <p>
 * Adam: \( g \leftarrow g + \lambda w \); AdamW ({@code decoupled}): \( w \leftarrow w (1 - \eta_t \lambda) \). Then
 * \( m \leftarrow \beta_1 m + (1-\beta_1) g \), \( v \leftarrow \beta_2 v + (1-\beta_2) g^2 \),
 * \( w \leftarrow w - \frac{\eta_t}{1-\beta_1^t} \cdot \frac{m}{\sqrt{v} / \sqrt{1-\beta_2^t} + \epsilon} \).
 * The RG paper's pix2pix experiments use lr 2e-4 and beta1 0.5.
 * <p>
 * Defaults: betas (0.9, 0.999), no weight decay, Adam's L2 (PyTorch's AdamW defaults its
 * {@code weight_decay} to 0.01; here it is 0 unless configured).
 * <pre>
 * Reference: torch.optim.Adam and torch.optim.AdamW documentation (PyTorch 2.x), "Algorithm";
 * D. Kingma, J. Ba, "Adam: A Method for Stochastic Optimization", ICLR 2015; I. Loshchilov,
 * F. Hutter, "Decoupled Weight Decay Regularization", ICLR 2019.
 * </pre>
 */
public final class TorchAdam extends TorchOptimiser {

    /** PyTorch's default \( \epsilon \). */
    public static final float EPSILON = 1e-8f;

    @Config(description = "First-moment decay beta1, in [0, 1); 0.9 by default.")
    private float beta1 = 0.9f;

    @Config(description = "Second-moment decay beta2, in [0, 1); 0.999 by default.")
    private float beta2 = 0.999f;

    @Config(description = "Weight decay lambda, finite and >= 0: L2 added to the gradient (Adam) or decoupled (AdamW); not scaled by the loss scale.")
    private float weightDecay = 0f;

    @Config(description = "True for AdamW's decoupled weight decay (torch.optim.AdamW), false for Adam's L2 (torch.optim.Adam, the default).")
    private boolean decoupled = false;

    /** For OLCUT. */
    private TorchAdam() {}

    /**
     * Creates the rule.
     * @param beta1 \( \beta_1 \), in [0, 1).
     * @param beta2 \( \beta_2 \), in [0, 1).
     * @param weightDecay \( \lambda \), finite and >= 0.
     * @param decoupled True for AdamW's decoupled weight decay, false for Adam's L2 in the gradient.
     * @throws IllegalArgumentException If a value is out of range; the message names the field and value.
     */
    public TorchAdam(float beta1, float beta2, float weightDecay, boolean decoupled) {
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.weightDecay = weightDecay;
        this.decoupled = decoupled;
        ConfigChecks.validateForJavaApi(this);
    }

    /**
     * Validates the fields.
     * @throws PropertyException If a value is out of range; the message names the field and value.
     */
    @Override
    public void postConfig() {
        checkUnitInterval("TorchAdam", "beta1", beta1);
        checkUnitInterval("TorchAdam", "beta2", beta2);
        checkWeightDecay("TorchAdam", weightDecay);
    }

    @Override
    public String name() {
        return decoupled ? OptimiserType.ADAMW.name() : OptimiserType.ADAM.name();
    }

    @Override
    public String updateRule() {
        return decoupled ? OptimiserType.ADAMW.updateRule() : OptimiserType.ADAM.updateRule();
    }

    @Override
    public boolean isAdaptive() {
        return true;
    }

    @Override
    public OptionalDouble momentum() {
        return OptionalDouble.empty();
    }

    @Override
    public double weightDecay() {
        return decimal(weightDecay);
    }

    @Override
    public boolean isWeightDecayDecoupled() {
        return decoupled;
    }

    @Override
    public Map<String, String> settings() {
        Map<String, String> out = new LinkedHashMap<>();
        out.put("beta1", Float.toString(beta1));
        out.put("beta2", Float.toString(beta2));
        return out;
    }

    @Override
    public Updater newUpdater(NDManager manager) {
        return new AdamUpdater(manager, beta1, beta2, weightDecay, decoupled);
    }

    @Override
    public String toString() {
        return "TorchAdam(beta1=" + beta1 + ",beta2=" + beta2 + ",weightDecay=" + weightDecay + ",decoupled=" + decoupled + ")";
    }

    /** One run's moments and step counts. */
    private static final class AdamUpdater extends Updater {
        private final float beta1;
        private final float beta2;
        private final boolean decoupled;
        private final Map<String, NDArray[]> moments = new HashMap<>();
        private final Map<String, long[]> steps = new HashMap<>();

        AdamUpdater(NDManager manager, float beta1, float beta2, float weightDecay, boolean decoupled) {
            super(manager, weightDecay);
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
}

package io.github.randomgradient.djl.optim;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import com.oracle.labs.mlrg.olcut.config.Config;
import com.oracle.labs.mlrg.olcut.config.PropertyException;
import io.github.randomgradient.config.ConfigChecks;

import java.util.HashMap;
import java.util.Map;
import java.util.OptionalDouble;

/**
 * {@code torch.optim.SGD(momentum=mu, dampening=0, nesterov=..., weight_decay=lambda)}:
 * <p>
 * \( g \leftarrow g + \lambda w \); if \( \mu \ne 0 \): \( b \leftarrow g \) on a parameter's
 * first update, \( b \leftarrow \mu b + g \) afterwards, and \( g \leftarrow g + \mu b \)
 * (Nesterov) or \( g \leftarrow b \); finally \( w \leftarrow w - \eta_t g \). The RG paper uses
 * momentum 0.5 on CIFAR and 0.9-0.95 on Pascal VOC.
 * <p>
 * Defaults are PyTorch's: momentum 0, no Nesterov, no weight decay (a {@code DJLTrainer} that names
 * no optimiser uses {@code TorchSgd(0.9, false, 0)}, its historical default).
 * <pre>
 * Reference: torch.optim.SGD documentation (PyTorch 2.x), "Algorithm"; I. Sutskever, J. Martens,
 * G. Dahl, G. Hinton, "On the importance of initialization and momentum in deep learning", ICML 2013.
 * </pre>
 */
public final class TorchSgd extends TorchOptimiser {

    @Config(description = "Momentum mu, in [0, 1); 0 (the default, as torch.optim.SGD) is plain SGD.")
    private float momentum = 0f;

    @Config(description = "Nesterov momentum (torch.optim.SGD(nesterov=True)); needs momentum > 0.")
    private boolean nesterov = false;

    @Config(description = "Weight decay lambda, finite and >= 0, added to the gradient (L2); not scaled by the loss scale.")
    private float weightDecay = 0f;

    /** For OLCUT. */
    private TorchSgd() {}

    /**
     * Creates the rule.
     * @param momentum \( \mu \), in [0, 1).
     * @param nesterov Whether to use Nesterov momentum (needs \( \mu > 0 \)).
     * @param weightDecay \( \lambda \), finite and >= 0.
     * @throws IllegalArgumentException If a value is out of range; the message names the field and value.
     */
    public TorchSgd(float momentum, boolean nesterov, float weightDecay) {
        this.momentum = momentum;
        this.nesterov = nesterov;
        this.weightDecay = weightDecay;
        ConfigChecks.validateForJavaApi(this);
    }

    /**
     * Validates the fields.
     * @throws PropertyException If a value is out of range; the message names the field and value.
     */
    @Override
    public void postConfig() {
        checkUnitInterval("TorchSgd", "momentum", momentum);
        if (nesterov && momentum == 0f) {
            // As torch.optim.SGD: "Nesterov momentum requires a momentum and zero dampening".
            throw new PropertyException("", "momentum", "TorchSgd momentum must be > 0 with nesterov=true (NESTEROV; "
                    + "torch.optim.SGD refuses Nesterov without momentum), found " + momentum);
        }
        checkWeightDecay("TorchSgd", weightDecay);
    }

    /**
     * Whether the rule uses Nesterov momentum.
     * @return True for Nesterov.
     */
    public boolean isNesterov() {
        return nesterov;
    }

    @Override
    public String name() {
        return nesterov ? OptimiserType.NESTEROV.name() : OptimiserType.SGD.name();
    }

    @Override
    public String updateRule() {
        return nesterov ? OptimiserType.NESTEROV.updateRule() : OptimiserType.SGD.updateRule();
    }

    @Override
    public boolean isAdaptive() {
        return false;
    }

    @Override
    public OptionalDouble momentum() {
        return OptionalDouble.of(decimal(momentum));
    }

    @Override
    public double weightDecay() {
        return decimal(weightDecay);
    }

    @Override
    public boolean isWeightDecayDecoupled() {
        return false;
    }

    @Override
    public Map<String, String> settings() {
        return Map.of();
    }

    @Override
    public Updater newUpdater(NDManager manager) {
        return new SgdUpdater(manager, momentum, nesterov, weightDecay);
    }

    @Override
    public String toString() {
        return "TorchSgd(momentum=" + momentum + ",nesterov=" + nesterov + ",weightDecay=" + weightDecay + ")";
    }

    /** One run's momentum buffers. */
    private static final class SgdUpdater extends Updater {
        private final float momentum;
        private final boolean nesterov;
        private final Map<String, NDArray> buffers = new HashMap<>();

        SgdUpdater(NDManager manager, float momentum, boolean nesterov, float weightDecay) {
            super(manager, weightDecay);
            this.momentum = momentum;
            this.nesterov = nesterov;
        }

        @Override
        public void update(String parameterId, NDArray weight, NDArray grad, double learningRate) {
            try (NDArray g = withWeightDecay(weight, grad)) {
                if (momentum == 0f) {
                    descend(weight, g, learningRate);
                    return;
                }
                NDArray buf = buffers.get(parameterId);
                if (buf == null) {
                    buf = g.duplicate();
                    buf.attach(state);
                    buffers.put(parameterId, buf);
                } else {
                    buf.muli(momentum).addi(g);
                }
                if (nesterov) {
                    try (NDArray look = buf.mul(momentum)) {
                        g.addi(look);
                    }
                    descend(weight, g, learningRate);
                } else {
                    descend(weight, buf, learningRate);
                }
            }
        }
    }
}

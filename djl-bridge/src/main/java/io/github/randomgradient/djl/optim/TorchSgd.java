package io.github.randomgradient.djl.optim;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

import java.util.HashMap;
import java.util.Map;

/**
 * {@code torch.optim.SGD} with dampening 0, optionally Nesterov:
 * <p>
 * \( g \leftarrow g + \lambda w \); if \( \mu \ne 0 \): \( b \leftarrow g \) on a parameter's
 * first update, \( b \leftarrow \mu b + g \) afterwards, and \( g \leftarrow g + \mu b \)
 * (Nesterov) or \( g \leftarrow b \); finally \( w \leftarrow w - \eta_t g \).
 * <pre>
 * Reference: torch.optim.SGD documentation (PyTorch 2.x), "Algorithm"; I. Sutskever, J. Martens,
 * G. Dahl, G. Hinton, "On the importance of initialization and momentum in deep learning", ICML 2013.
 * </pre>
 */
public final class TorchSgd extends TorchOptimiser {

    private final float momentum;
    private final boolean nesterov;
    private final Map<String, NDArray> buffers = new HashMap<>();

    /**
     * Creates the optimiser.
     * @param manager The manager whose child holds the momentum buffers.
     * @param momentum \( \mu \), in [0, 1).
     * @param nesterov Whether to use Nesterov momentum.
     * @param weightDecay \( \lambda \), >= 0.
     * @throws IllegalArgumentException If a value is out of range.
     */
    public TorchSgd(NDManager manager, float momentum, boolean nesterov, float weightDecay) {
        super(manager, weightDecay);
        if (!(momentum >= 0 && momentum < 1)) {
            throw new IllegalArgumentException("momentum must be in [0, 1), found " + momentum);
        }
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

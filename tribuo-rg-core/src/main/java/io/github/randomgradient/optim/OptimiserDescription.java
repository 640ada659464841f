package io.github.randomgradient.optim;

import com.oracle.labs.mlrg.olcut.config.Configurable;
import com.oracle.labs.mlrg.olcut.provenance.ConfiguredObjectProvenance;
import com.oracle.labs.mlrg.olcut.provenance.Provenancable;

import java.util.Map;
import java.util.OptionalDouble;

/**
 * An optimiser (update rule) as a configured component describes itself to reports and sweeps:
 * whether it is adaptive, its momentum, its weight decay and the rule it runs. Implementations are
 * immutable OLCUT components whose provenance records only the values that act in their rule (an SGD
 * records no Adam betas).
 * <p>
 * Why it matters for Random Gradient: with an SGD-family rule the step is proportional to the loss,
 * so RG's mean step is that of a baseline at {@code learningRate * E[u]}; with an adaptive rule (Adam
 * and its kin) a constant loss factor cancels in the update apart from \( \epsilon \), and the control
 * is mean-preserving RG instead.
 */
public interface OptimiserDescription extends Configurable, Provenancable<ConfiguredObjectProvenance> {

    /**
     * A short name of the rule, as reports show it.
     * @return For example {@code SGD}, {@code NESTEROV}, {@code ADAM} or {@code ADAMW}.
     */
    String name();

    /**
     * The rule this optimiser runs, as provenance records it ({@code update-rule}).
     * @return For example {@code torch.optim.SGD} or {@code torch.optim.SGD(nesterov=True)}.
     */
    String updateRule();

    /**
     * Does the rule normalise the step by gradient statistics (Adam, AdaGrad, RMSProp and their kin),
     * so that a constant loss factor cancels in the update?
     * @return True if adaptive.
     */
    boolean isAdaptive();

    /**
     * The momentum \( \mu \) of an SGD-family rule.
     * @return The momentum, in [0, 1); empty for a rule without one (an adaptive rule's first-moment
     *         decay is not a momentum and is listed in {@link #settings()}).
     */
    OptionalDouble momentum();

    /**
     * The weight decay \( \lambda \) applied by the rule (outside the loss, so a loss scale does not multiply it).
     * @return \( \lambda \geq 0 \).
     */
    double weightDecay();

    /**
     * Is the weight decay decoupled from the gradient (AdamW: \( w \leftarrow w (1 - \eta \lambda) \)),
     * rather than added to it as L2 (\( g \leftarrow g + \lambda w \))?
     * @return True if decoupled.
     */
    boolean isWeightDecayDecoupled();

    /**
     * The rule's other hyper-parameters, for display (e.g. {@code beta1 -> 0.9, beta2 -> 0.999}).
     * @return Names to values, in display order; empty if none.
     */
    Map<String, String> settings();
}

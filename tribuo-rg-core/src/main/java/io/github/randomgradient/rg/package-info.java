/**
 * Loss-scale components for Random Gradient (RG) training, and an RG decorator for Tribuo's own
 * stochastic gradient optimisers.
 * <p>
 * A {@link io.github.randomgradient.rg.LossScale} describes the factor each mini-batch loss is
 * multiplied by before back-propagation: {@link io.github.randomgradient.rg.ConstantLossScale}
 * (1.0 is the baseline), {@link io.github.randomgradient.rg.UniformLossScale} (the paper's RG,
 * {@code u ~ U[low, high)}) and {@link io.github.randomgradient.rg.CyclicalLossScale} (the paper's
 * future work). Every component is an OLCUT {@code Configurable} and records itself in Tribuo
 * provenance, so each trained model states the loss scale it was trained with.
 * <p>
 * The mathematics: for a mini-batch loss \( L(\theta) = \frac{1}{|B|}\sum_{i \in B} \ell_i(\theta) \)
 * the gradient of \( u \cdot L \) is \( u \nabla L \), so the data term of every gradient step is
 * multiplied by \( u \). Weight decay applied inside an optimiser is <em>not</em> scaled (it is added
 * to the gradient after back-propagation), whereas an L2 penalty written into the loss <em>is</em>
 * scaled. With {@code U[0, 1)} the mean factor is \( E[u] = 0.5 \), so RG also halves the mean step:
 * compare it against a baseline trained at {@code learningRate * E[u]} before crediting the noise.
 * <pre>
 * Reference: "Fast, Better Training Trick: Random Gradient", section 4 and its code listing
 * (one scalar per mini-batch, multiplied into the loss before backward()).
 * </pre>
 */
package io.github.randomgradient.rg;

package io.github.randomgradient.djl.optim;

/**
 * The values of {@code DJLTrainer}'s deprecated flat {@code optimiser} field (configs written before
 * the optimiser was a component); {@link TorchOptimiser#of} builds the equivalent {@link TorchSgd} or
 * {@link TorchAdam}. Each is PyTorch's rule and applied to the parameters directly (DJL's own
 * {@code Sgd} keeps the learning rate inside the momentum buffer, which differs from PyTorch as
 * soon as the learning rate changes). {@link #updateRule()} is what provenance records.
 * <p>
 * With gradient \( g \), parameter \( w \), learning rate \( \eta_t \), momentum \( \mu \) and
 * weight decay \( \lambda \) (torch.optim defaults otherwise: dampening 0, eps 1e-8, no amsgrad):
 */
public enum OptimiserType {
    /**
     * {@code torch.optim.SGD(momentum=mu, dampening=0, nesterov=False, weight_decay=lambda)}:
     * \( g \leftarrow g + \lambda w \); if \( \mu \ne 0 \): \( b \leftarrow g \) on the first
     * update, else \( b \leftarrow \mu b + g \), then \( g \leftarrow b \);
     * \( w \leftarrow w - \eta_t g \). The RG paper uses momentum 0.5 on CIFAR and 0.9-0.95 on
     * Pascal VOC.
     */
    SGD("torch.optim.SGD"),
    /**
     * {@code torch.optim.SGD(momentum=mu, dampening=0, nesterov=True, weight_decay=lambda)}:
     * as {@link #SGD}, but the step direction is \( g + \mu b \) (Sutskever et al., ICML 2013).
     */
    NESTEROV("torch.optim.SGD(nesterov=True)"),
    /**
     * {@code torch.optim.Adam(betas=(beta1, beta2), eps=1e-8, weight_decay=lambda)}, L2 added to the
     * gradient: \( g \leftarrow g + \lambda w \), \( m \leftarrow \beta_1 m + (1-\beta_1) g \),
     * \( v \leftarrow \beta_2 v + (1-\beta_2) g^2 \),
     * \( w \leftarrow w - \frac{\eta_t}{1-\beta_1^t} \frac{m}{\sqrt{v}/\sqrt{1-\beta_2^t} + \epsilon} \)
     * (Kingma and Ba, ICLR 2015). The RG paper's pix2pix experiments use lr 2e-4 and beta1 0.5.
     */
    ADAM("torch.optim.Adam"),
    /**
     * {@code torch.optim.AdamW(betas=(beta1, beta2), eps=1e-8, weight_decay=lambda)}: decoupled
     * weight decay \( w \leftarrow w (1 - \eta_t \lambda) \) before the {@link #ADAM} step without
     * L2 (Loshchilov and Hutter, ICLR 2019). PyTorch's default {@code weight_decay} for AdamW is
     * 0.01; here it is {@code weightDecay}, 0 unless configured.
     */
    ADAMW("torch.optim.AdamW");

    private final String updateRule;

    OptimiserType(String updateRule) {
        this.updateRule = updateRule;
    }

    /**
     * The PyTorch update rule this optimiser runs, as recorded in provenance ({@code update-rule}).
     * @return For example {@code torch.optim.SGD}.
     */
    public String updateRule() {
        return updateRule;
    }
}

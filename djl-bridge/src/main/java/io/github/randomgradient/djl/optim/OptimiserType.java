package io.github.randomgradient.djl.optim;

/**
 * The gradient optimisers {@code DJLTrainer} can use.
 */
public enum OptimiserType {
    /**
     * Stochastic gradient descent with (heavy-ball) momentum, PyTorch's formulation:
     * \( b \leftarrow \mu b + g + \lambda w \), \( w \leftarrow w - \eta b \) (DJL {@code Sgd}).
     * The RG paper uses SGD with momentum 0.5 on CIFAR and 0.9-0.95 on Pascal VOC.
     */
    SGD,
    /**
     * SGD with Nesterov momentum, PyTorch's formulation:
     * \( b \leftarrow \mu b + g + \lambda w \), \( w \leftarrow w - \eta (g + \lambda w + \mu b) \)
     * ({@link NesterovSgd}; DJL's {@code Nag} has no PyTorch kernel).
     */
    NESTEROV,
    /**
     * Adam (Kingma and Ba, 2015) with {@code beta1}, {@code beta2} (DJL {@code Adam}). The RG paper's
     * pix2pix experiments use lr 2e-4 and beta1 0.5.
     */
    ADAM
}

package io.github.randomgradient.djl.train;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.training.ParameterServer;
import io.github.randomgradient.djl.optim.TorchOptimiser;

/**
 * The multi-replica update, in the manner of DJL's {@code LocalParameterServer}: sum every
 * replica's gradient onto the first replica's, update the first replica's parameter with the
 * {@link TorchOptimiser.Updater}, and copy the result back to every other replica.
 * <p>
 * {@link Parameters#step} runs the two halves separately ({@link #reduce}, then {@link #apply}) so
 * that the finiteness check sees the <em>reduced</em> gradients of every parameter before any
 * parameter changes; {@link #update(String, NDArray[], NDArray[])} runs them back to back for one
 * parameter, as DJL's contract says. Either way no update can use a gradient that was not reduced.
 * <p>
 * Why a sum: each replica back-propagates its split's mean loss weighted by the split's share
 * \( n_r / n \) of the mini-batch (see {@code Step}), so its gradient is
 * \( \frac{n_r}{n} \nabla \bar{\ell}_r = \frac{1}{n} \sum_{i \in r} \nabla \ell_i \), and the sum
 * over replicas is \( \frac{1}{n} \sum_i \nabla \ell_i \), the gradient of the mini-batch mean loss
 * on one device, also when the splits are uneven. (A plain average of the replicas' unweighted
 * mean gradients would differ when they are uneven; a plain sum of them would be about
 * {@code replicas} times too large.)
 */
final class ReplicaServer implements ParameterServer {

    private final TorchOptimiser.Updater optimiser;
    private double learningRate;

    /**
     * A server updating with {@code optimiser}.
     * @param optimiser The update rule; its state is kept for the first replica only.
     */
    ReplicaServer(TorchOptimiser.Updater optimiser) {
        this.optimiser = optimiser;
    }

    /**
     * Sets the learning rate of the next updates.
     * @param learningRate \( \eta_t \).
     */
    void setLearningRate(double learningRate) {
        this.learningRate = learningRate;
    }

    /**
     * Sums every replica's gradient into {@code grads[0]}, in place.
     * @param grads One gradient per replica, {@code grads[0]} on the first device; same shape.
     * @return {@code grads[0]}, now the sum.
     */
    static NDArray reduce(NDArray[] grads) {
        Device first = grads[0].getDevice();
        for (int r = 1; r < grads.length; r++) {
            if (grads[r].getDevice().equals(first)) {
                grads[0].addi(grads[r]);
            } else {
                try (NDArray moved = grads[r].toDevice(first, true)) {
                    grads[0].addi(moved);
                }
            }
        }
        return grads[0];
    }

    /**
     * Updates {@code replicas[0]} from the reduced gradient and copies it to every other replica.
     * The caller turns gradient recording off.
     * @param parameterId The parameter (keys the optimiser state).
     * @param replicas The parameter on every replica, the first being the master.
     * @param reduced The reduced gradient, on the first replica's device.
     */
    void apply(String parameterId, NDArray[] replicas, NDArray reduced) {
        optimiser.update(parameterId, replicas[0], reduced, learningRate);
        broadcast(replicas);
    }

    /**
     * Copies {@code replicas[0]} into every other replica (also used for batch-norm running
     * statistics, which DJL and PyTorch's {@code DataParallel} take from the first device).
     * @param replicas The arrays, the first being the source.
     */
    static void broadcast(NDArray[] replicas) {
        for (int r = 1; r < replicas.length; r++) {
            replicas[0].copyTo(replicas[r]);
        }
    }

    @Override
    public void init(String parameterId, NDArray[] value) {
        // nothing to set up: the optimiser creates its state on the first update
    }

    /**
     * {@inheritDoc}
     * <p>
     * Reduces {@code grads} onto {@code grads[0]}, updates {@code params[0]} at the last learning
     * rate set, and copies it to {@code params[1..]}. The training loop uses {@link Parameters#step},
     * which checks every reduced gradient between the two halves.
     */
    @Override
    public void update(String parameterId, NDArray[] grads, NDArray[] params) {
        apply(parameterId, params, reduce(grads));
    }

    @Override
    public void close() {
        // the optimiser is owned and closed by the training loop
    }
}

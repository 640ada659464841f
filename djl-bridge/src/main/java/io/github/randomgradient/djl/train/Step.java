package io.github.randomgradient.djl.train;

import ai.djl.Device;
import ai.djl.engine.EngineException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.training.GradientCollector;
import ai.djl.training.loss.Loss;
import io.github.randomgradient.djl.convert.OutputConverter;

import java.util.Map;

/**
 * The forward and backward pass of one mini-batch: the mini-batch is split across the devices
 * (or split several times on one device in tests), each split's mean loss is weighted by its share
 * of the mini-batch and by the loss scale {@code u} before {@code backward}, so the summed
 * gradient is that of \( u \cdot L \) on the whole mini-batch. No parameter changes here.
 * <p>
 * Host synchronisation: one read of each split's loss (needed for the history and the divergence
 * check) and one of its metric contribution.
 */
final class Step {

    /** The unscaled loss and metric contribution of one mini-batch, and whether gradients were computed. */
    record Result(double loss, double metricSum, boolean backward) {}

    private final Block block;
    private final Parameters parameters;
    private final Loss loss;
    private final OutputConverter<?> outputConverter;
    private final Device[] splitDevices;
    private final Map<Device, NDArray[]> onDevice;
    private final NDManager manager;

    Step(Block block, Parameters parameters, Loss loss, OutputConverter<?> outputConverter, Device[] splitDevices,
         Map<Device, NDArray[]> onDevice, NDManager manager) {
        this.block = block;
        this.parameters = parameters;
        this.loss = loss;
        this.outputConverter = outputConverter;
        this.splitDevices = splitDevices;
        this.onDevice = onDevice;
        this.manager = manager;
    }

    /**
     * Runs the forward and backward passes on examples {@code order[from, to)}. Stops before
     * {@code backward} at the first split whose loss is not finite.
     * @param order The epoch's order.
     * @param from First position, inclusive.
     * @param to Last position, exclusive.
     * @param u The loss scale of this step (0 is legal: the gradients are then zero).
     * @return The loss, the metric sum and whether any gradient was computed.
     * @throws IllegalArgumentException If the engine rejects a one-example mini-batch (batch normalisation).
     */
    Result run(int[] order, int from, int to, double u) {
        int size = to - from;
        int parts = Math.min(splitDevices.length, size);
        double total = 0;
        double metric = 0;
        boolean backward = false;
        try (NDManager scope = manager.newSubManager(); GradientCollector collector = manager.getEngine().newGradientCollector()) {
            for (int p = 0; p < parts; p++) {
                int lo = from + (int) ((long) size * p / parts);
                int hi = from + (int) ((long) size * (p + 1) / parts);
                Device d = splitDevices[p];
                NDArray[] xy = MiniBatches.gather(scope, onDevice.get(d), order, lo, hi, d);
                NDList predictions = forward(xy[0], hi - lo);
                NDArray lossArray = loss.evaluate(new NDList(xy[1]), predictions);
                double share = (double) (hi - lo) / size;
                double partLoss = lossArray.getFloat();
                total += partLoss * share;
                if (!Double.isFinite(partLoss)) {
                    return new Result(partLoss, 0, backward);
                }
                double factor = u * share;
                collector.backward(factor == 1.0 ? lossArray : lossArray.mul((float) factor));
                backward = true;
                metric += outputConverter.metricSum(predictions.singletonOrThrow(), xy[1]);
            }
        }
        return new Result(total, metric, backward);
    }

    private NDList forward(NDArray x, int examples) {
        try {
            NDList out = block.forward(parameters.store(), new NDList(x), true);
            out.attach(x.getManager());
            return out;
        } catch (EngineException e) {
            if (examples == 1) {
                throw new IllegalArgumentException("the network cannot train on a mini-batch of 1 example (batch normalisation "
                        + "needs at least 2); set lastBatch=MERGE or DROP, or change batchSize. Engine error: " + e.getMessage(), e);
            }
            throw e;
        }
    }
}

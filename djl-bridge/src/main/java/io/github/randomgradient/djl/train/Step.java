package io.github.randomgradient.djl.train;

import ai.djl.Device;
import ai.djl.engine.EngineException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.training.GradientCollector;
import ai.djl.training.loss.Loss;
import io.github.randomgradient.djl.MemoryFormat;
import io.github.randomgradient.djl.convert.OutputConverter;
import io.github.randomgradient.history.Divergence;

import java.util.List;
import java.util.Map;

/**
 * The forward and backward pass of one mini-batch: the mini-batch is split across the replicas of
 * {@link Parameters} (one per device; several on one device in tests), each split's mean loss is
 * weighted by its share of the mini-batch and by the loss scale {@code u} before {@code backward}
 * into its own replica's gradients, so that their sum ({@link ReplicaServer}) is the gradient of
 * \( u \cdot L \) on the whole mini-batch. No parameter changes here.
 * <p>
 * Host synchronisation: one read per split of its loss together with the sum of its logits
 * (needed for the history and the divergence check; a NaN or an infinity makes the sum non-finite,
 * and only then are the logits checked one by one), and one of its metric contribution.
 */
final class Step {

    /**
     * The unscaled loss and metric contribution of one mini-batch, whether gradients were computed,
     * and what was not finite.
     *
     * @param loss      The unscaled mean loss (of the splits run so far when one was not finite).
     * @param metricSum The metric contribution.
     * @param backward  Whether any split back-propagated (its gradients must be zeroed).
     * @param nonFinite {@value Divergence#LOSS} or {@value #LOGITS} when a split's loss or logits
     *                  held a NaN or an infinity (no gradient of that split was computed), else null.
     */
    record Result(double loss, double metricSum, boolean backward, String nonFinite) {}

    /** {@link Result#nonFinite()} when a split's logits (the network's outputs) were not finite. */
    static final String LOGITS = "logits";

    private final Block block;
    private final Parameters parameters;
    private final Loss loss;
    private final OutputConverter<?> outputConverter;
    private final Map<Device, NDArray[]> onDevice;
    private final NDManager manager;
    private final long[] exampleShape;
    private final MemoryFormat format;

    Step(Block block, Parameters parameters, Loss loss, OutputConverter<?> outputConverter, Map<Device, NDArray[]> onDevice,
         NDManager manager, long[] exampleShape, MemoryFormat format) {
        this.block = block;
        this.parameters = parameters;
        this.loss = loss;
        this.outputConverter = outputConverter;
        this.onDevice = onDevice;
        this.manager = manager;
        this.exampleShape = exampleShape;
        this.format = format;
    }

    /**
     * Runs the forward and backward passes on examples {@code order[from, to)}, split {@code p} on
     * replica {@code p}. Split sizes differ by at most one; split {@code p} is
     * {@code [from + size*p/parts, from + size*(p+1)/parts)}. Stops before {@code backward} at the
     * first split whose loss or logits are not finite.
     * @param order The epoch's order.
     * @param from First position, inclusive.
     * @param to Last position, exclusive.
     * @param u The loss scale of this step (0 is legal: the gradients are then zero).
     * @return The loss, the metric sum, whether any gradient was computed and what was not finite.
     * @throws IllegalArgumentException If the engine rejects a one-example mini-batch (batch normalisation).
     */
    Result run(int[] order, int from, int to, double u) {
        int size = to - from;
        int parts = Math.min(parameters.replicas(), size);
        double total = 0;
        double metric = 0;
        boolean backward = false;
        try (NDManager scope = manager.newSubManager(); GradientCollector collector = manager.getEngine().newGradientCollector()) {
            for (int p = 0; p < parts; p++) {
                int lo = from + (int) ((long) size * p / parts);
                int hi = from + (int) ((long) size * (p + 1) / parts);
                Device d = parameters.device(p);
                NDArray[] xy = MiniBatches.gather(scope, onDevice.get(d), order, lo, hi, d, exampleShape, format);
                parameters.useReplica(p);
                NDList predictions = forward(xy[0], hi - lo);
                NDArray lossArray = loss.evaluate(new NDList(xy[1]), predictions);
                // One read for the loss and the logits' sum (NaN or infinite if any logit is; see Parameters.firstNonFinite).
                NDArray logits = predictions.singletonOrThrow();
                NDArray logitSum = logits.sum();
                NDArray both = NDArrays.stack(new NDList(lossArray, logitSum));
                both.attach(scope);
                float[] read = both.toFloatArray();
                double share = (double) (hi - lo) / size;
                double partLoss = read[0];
                total += partLoss * share;
                if (!Double.isFinite(partLoss)) {
                    return new Result(partLoss, 0, backward, Divergence.LOSS);
                }
                if (!Float.isFinite(read[1]) && Parameters.firstNonFiniteEach(List.of(logits)) >= 0) {
                    // (a non-finite sum of finite logits, an overflow, is not a divergence)
                    return new Result(total, 0, backward, LOGITS);
                }
                double factor = u * share;
                collector.backward(factor == 1.0 ? lossArray : lossArray.mul((float) factor));
                backward = true;
                metric += outputConverter.metricSum(logits, xy[1]);
            }
        } finally {
            parameters.useReplica(0);
        }
        return new Result(total, metric, backward, null);
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

package io.github.randomgradient.djl.train;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.github.randomgradient.djl.LastBatch;
import io.github.randomgradient.djl.MemoryFormat;

import java.util.SplittableRandom;

/**
 * How an epoch of {@code n} examples is cut into mini-batches: the seeded shuffle of the example
 * order, the mini-batch boundaries under a {@link LastBatch} policy, and the gather of one
 * mini-batch from the dataset tensors.
 */
public final class MiniBatches {

    private final int size;
    private final int batchSize;
    private final int perEpoch;
    private final LastBatch policy;

    /**
     * Plans the mini-batches of an epoch.
     * @param size The number of training examples, >= 1.
     * @param batchSize The mini-batch size, >= 1.
     * @param policy The trailing mini-batch policy.
     * @throws IllegalArgumentException If {@code policy} is DROP and {@code size < batchSize} (no
     *                                  mini-batch would remain); the message names lastBatch.
     */
    public MiniBatches(int size, int batchSize, LastBatch policy) {
        if (size < 1 || batchSize < 1) {
            throw new IllegalArgumentException("size and batchSize must be >= 1, found " + size + ", " + batchSize);
        }
        this.size = size;
        this.batchSize = batchSize;
        this.policy = policy;
        switch (policy) {
            case DROP:
                if (size < batchSize) {
                    throw new IllegalArgumentException("lastBatch=DROP with batchSize=" + batchSize + " leaves no mini-batch of the "
                            + size + " training examples; use lastBatch=MERGE or KEEP, or a smaller batchSize");
                }
                perEpoch = size / batchSize;
                break;
            case KEEP:
                perEpoch = (size + batchSize - 1) / batchSize;
                break;
            case MERGE:
            default:
                perEpoch = Math.max(1, size / batchSize);
                break;
        }
    }

    /**
     * Mini-batches (optimiser steps) per epoch.
     * @return The count.
     */
    public int perEpoch() {
        return perEpoch;
    }

    /**
     * The first position (in the shuffled order) of mini-batch {@code s}.
     * @param s The mini-batch of the epoch, from 0.
     * @return Its start, inclusive.
     */
    public int from(int s) {
        return s * batchSize;
    }

    /**
     * One past the last position of mini-batch {@code s}.
     * @param s The mini-batch of the epoch, from 0.
     * @return Its end, exclusive.
     */
    public int to(int s) {
        if (s == perEpoch - 1 && policy == LastBatch.MERGE) {
            return size;
        }
        return Math.min(size, (s + 1) * batchSize);
    }

    /**
     * The number of examples an epoch uses.
     * @return {@code to(perEpoch() - 1)}.
     */
    public int examplesPerEpoch() {
        return to(perEpoch - 1);
    }

    /**
     * Shuffles an order in place (Fisher-Yates, from the end), drawing from {@code rng}.
     * @param order The order to shuffle.
     * @param rng The run's shuffle generator.
     */
    public static void shuffle(int[] order, SplittableRandom rng) {
        for (int i = order.length - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int tmp = order[i];
            order[i] = order[j];
            order[j] = tmp;
        }
    }

    /**
     * Gathers rows {@code order[lo, hi)} of the dataset tensors.
     * @param scope The step's manager; the results are attached to it.
     * @param tensors The dataset tensors {@code [inputs, targets]} on device {@code d}, the inputs
     *                in the stored order of {@code format} ({@link TensorData#toDevice}).
     * @param order The epoch's order.
     * @param lo The first position, inclusive.
     * @param hi The last position, exclusive.
     * @param d The device the tensors live on.
     * @param exampleShape The logical shape of one input example.
     * @param format The memory format of the network's input.
     * @return {@code [inputs [hi-lo, ...exampleShape], targets [hi-lo, ...]]}, the inputs in
     *         {@code format} (for images under {@link MemoryFormat#CHANNELS_LAST}: a channels-last
     *         strided view of the contiguous {@code [hi-lo, H, W, C]} gather).
     */
    public static NDArray[] gather(NDManager scope, NDArray[] tensors, int[] order, int lo, int hi, Device d,
                                   long[] exampleShape, MemoryFormat format) {
        long[] idx = new long[hi - lo];
        for (int i = lo; i < hi; i++) {
            idx[i - lo] = order[i];
        }
        NDArray index = scope.create(idx).toDevice(d, false);
        index.attach(scope);
        NDArray stored = tensors[0].get(index);
        stored.attach(scope);
        NDArray x = format.toInput(stored, exampleShape);
        x.attach(scope);
        NDArray y = tensors[1].get(index);
        y.attach(scope);
        return new NDArray[]{x, y};
    }
}

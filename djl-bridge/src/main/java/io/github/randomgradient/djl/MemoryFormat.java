package io.github.randomgradient.djl;

import ai.djl.ndarray.NDArray;

/**
 * How an image mini-batch {@code [N, C, H, W]} is laid out in memory when it enters the network,
 * in PyTorch's terms ({@code torch.memory_format}). The network, its parameters and every result
 * are the same in both; only the order of the activations in memory differs, and with it the
 * kernels PyTorch picks and the rounding of their sums, so the two formats give slightly different
 * floating-point results (the same accuracy within seed noise).
 * <p>
 * DJL 0.36 has no memory-format API, so the layout is set by strides: the dataset is kept as
 * {@code [N, H, W, C]} (for {@code C = 1} this is the NCHW data itself; for {@code C > 1} one
 * NHWC copy of the dataset, made once) and each mini-batch is handed to the network as the view
 * {@code x.transpose(0, 3, 1, 2)}: shape {@code [N, C, H, W]} with channels-last strides. PyTorch
 * takes the memory format of a convolution's output from its input, and batch normalisation,
 * ReLU, pooling and residual additions keep it, so the whole convolutional trunk runs
 * channels-last; a flatten before a dense layer copies back to the logical (NCHW) order.
 * <p>
 * Only image inputs (example shape {@code [C, H, W]}) are affected; for any other example shape
 * both formats are the plain contiguous layout.
 */
public enum MemoryFormat {
    /** {@code torch.contiguous_format}: row-major {@code [N, C, H, W]}, as DJL creates arrays. */
    CONTIGUOUS,
    /**
     * {@code torch.channels_last}: {@code [N, C, H, W]} with strides {@code [HWC, 1, WC, C]}, the
     * layout oneDNN's convolutions and ATen's vectorised pooling and batch-norm kernels work in.
     */
    CHANNELS_LAST;

    /**
     * Whether this format changes the layout of inputs of this shape.
     * @param exampleShape The shape of one example, without the batch dimension.
     * @return True for {@link #CHANNELS_LAST} and an image shape {@code [C, H, W]}.
     */
    public boolean permutes(long[] exampleShape) {
        return this == CHANNELS_LAST && exampleShape.length == 3;
    }

    /**
     * The shape of the stored data: {@code [n, H, W, C]} when {@link #permutes}, else
     * {@code [n, ...exampleShape]}.
     * @param n The number of examples.
     * @param exampleShape The logical shape of one example, e.g. {@code [C, H, W]}.
     * @return The stored shape.
     */
    public long[] storedShape(long n, long[] exampleShape) {
        long[] shape = new long[exampleShape.length + 1];
        shape[0] = n;
        if (permutes(exampleShape)) {
            shape[1] = exampleShape[1];
            shape[2] = exampleShape[2];
            shape[3] = exampleShape[0];
        } else {
            System.arraycopy(exampleShape, 0, shape, 1, exampleShape.length);
        }
        return shape;
    }

    /**
     * Reorders row-major {@code [n, C, H, W]} floats into the stored order ({@code [n, H, W, C]}
     * when {@link #permutes}). Returns {@code nchw} itself when nothing moves ({@code C = 1}, or the
     * format does not permute this shape), else a new array: the one copy per dataset.
     * @param nchw The examples in row-major logical order.
     * @param exampleShape The logical shape of one example.
     * @return The floats in stored order.
     * @throws IllegalArgumentException If the length is not a multiple of the example size.
     */
    public float[] toStored(float[] nchw, long[] exampleShape) {
        if (!permutes(exampleShape) || exampleShape[0] == 1) {
            return nchw;
        }
        int c = Math.toIntExact(exampleShape[0]);
        int hw = Math.toIntExact(exampleShape[1] * exampleShape[2]);
        int size = c * hw;
        if (nchw.length % size != 0) {
            throw new IllegalArgumentException(nchw.length + " floats are not a whole number of examples of " + size);
        }
        float[] out = new float[nchw.length];
        for (int base = 0; base < nchw.length; base += size) {
            for (int ch = 0; ch < c; ch++) {
                int from = base + ch * hw;
                for (int p = 0; p < hw; p++) {
                    out[base + p * c + ch] = nchw[from + p];
                }
            }
        }
        return out;
    }

    /**
     * The network input for a stored mini-batch: {@code stored.transpose(0, 3, 1, 2)} (a view
     * with channels-last strides, no copy) when {@link #permutes}, else {@code stored} itself.
     * The view is attached to {@code stored}'s manager.
     * @param stored A mini-batch in stored order, {@link #storedShape}.
     * @param exampleShape The logical shape of one example.
     * @return The input, logical shape {@code [batch, ...exampleShape]}.
     */
    public NDArray toInput(NDArray stored, long[] exampleShape) {
        return permutes(exampleShape) ? stored.transpose(0, 3, 1, 2) : stored;
    }

    /**
     * The format of a model or record that does not say (written before the format was
     * recorded): {@link #CONTIGUOUS}, the only one such builds used.
     * @param recorded The recorded format, or null.
     * @return {@code recorded}, or {@link #CONTIGUOUS} when it is null.
     */
    public static MemoryFormat orLegacy(MemoryFormat recorded) {
        return recorded == null ? CONTIGUOUS : recorded;
    }
}

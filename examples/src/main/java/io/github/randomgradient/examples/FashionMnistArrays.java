package io.github.randomgradient.examples;

import io.github.randomgradient.data.IdxDirectory;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;

/**
 * Fashion-MNIST images as plain arrays for the examples that feed DJL directly: pixels scaled to
 * [0, 1], row-major, {@code [count, 28, 28]}, and their class indices.
 */
final class FashionMnistArrays {
    /** Image side in pixels. */
    static final int SIDE = 28;
    /** Pixels per image. */
    static final int PIXELS = SIDE * SIDE;

    /** Number of images. */
    final int count;
    /** Pixels, {@code [count * 784]}, in [0, 1]. */
    final float[] pixels;
    /** Class index (0-9) of each image. */
    final int[] labels;

    private FashionMnistArrays(int count, float[] pixels, int[] labels) {
        this.count = count;
        this.pixels = pixels;
        this.labels = labels;
    }

    /**
     * Loads the first {@code limit} images of a split.
     * @param dir The data directory.
     * @param split {@code train} or {@code t10k}.
     * @param limit The most images to load.
     * @return The images.
     * @throws IOException If a file cannot be read or is not a 28x28 unsigned-byte IDX file.
     */
    static FashionMnistArrays load(IdxDirectory dir, String split, int limit) throws IOException {
        int[][] images = readIdx(dir.images(split));
        int[][] labels = readIdx(dir.labels(split));
        if (images[0].length != 3 || images[0][1] != SIDE || images[0][2] != SIDE) {
            throw new IOException(dir.images(split) + " does not hold 28x28 images");
        }
        int count = Math.min(limit, images[0][0]);
        float[] pixels = new float[count * PIXELS];
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = images[1][i] / 255f;
        }
        int[] classes = new int[count];
        System.arraycopy(labels[1], 0, classes, 0, count);
        return new FashionMnistArrays(count, pixels, classes);
    }

    /**
     * Reads a gzipped unsigned-byte IDX file.
     * @param path The file.
     * @return {@code {dims, data}}, data as 0-255 values.
     * @throws IOException If the file cannot be read or is not unsigned-byte IDX.
     */
    static int[][] readIdx(Path path) throws IOException {
        try (InputStream raw = Files.newInputStream(path);
             DataInputStream in = new DataInputStream(new GZIPInputStream(raw))) {
            int magic = in.readInt();
            if ((magic >>> 8) != 0x08) {
                throw new IOException(path + " is not an unsigned-byte IDX file (magic " + Integer.toHexString(magic) + ")");
            }
            int ndims = magic & 0xff;
            int[] dims = new int[ndims];
            long size = 1;
            for (int i = 0; i < ndims; i++) {
                dims[i] = in.readInt();
                size *= dims[i];
            }
            byte[] bytes = new byte[Math.toIntExact(size)];
            in.readFully(bytes);
            int[] data = new int[bytes.length];
            for (int i = 0; i < bytes.length; i++) {
                data[i] = bytes[i] & 0xff;
            }
            return new int[][]{dims, data};
        }
    }
}

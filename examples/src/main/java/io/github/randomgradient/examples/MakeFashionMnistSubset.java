package io.github.randomgradient.examples;

import org.tribuo.datasource.IDXDataSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

/**
 * Writes the stratified Fashion-MNIST subset bundled in {@code data/fashion-mnist-subset}: the first
 * {@code trainPerClass} images of each class from the training set and the first
 * {@code testPerClass} of each class from the test set, in their original order, as gzipped IDX
 * files readable by Tribuo's {@code IDXDataSource}.
 * <p>
 * Usage: {@code MakeFashionMnistSubset SOURCE_DIR OUTPUT_DIR [trainPerClass=1000] [testPerClass=200]},
 * with SOURCE_DIR holding the four files of Debian's {@code dataset-fashion-mnist}
 * ({@code /usr/share/datasets/fashion-mnist}).
 */
public final class MakeFashionMnistSubset {

    private MakeFashionMnistSubset() {}

    /**
     * Entry point.
     * @param args SOURCE_DIR OUTPUT_DIR [trainPerClass] [testPerClass].
     * @throws IOException If a file cannot be read or written.
     */
    public static void main(String[] args) throws IOException {
        if (args.length < 2) {
            System.err.println("usage: MakeFashionMnistSubset SOURCE_DIR OUTPUT_DIR [trainPerClass=1000] [testPerClass=200]");
            System.exit(2);
        }
        Path source = Paths.get(args[0]);
        Path output = Paths.get(args[1]);
        int trainPerClass = args.length > 2 ? Integer.parseInt(args[2]) : 1000;
        int testPerClass = args.length > 3 ? Integer.parseInt(args[3]) : 200;
        Files.createDirectories(output);
        subset(source, output, "train", trainPerClass);
        subset(source, output, "t10k", testPerClass);
    }

    private static void subset(Path source, Path output, String prefix, int perClass) throws IOException {
        int[][] images = FashionMnistArrays.readIdx(source.resolve(prefix + "-images-idx3-ubyte.gz"));
        int[][] labels = FashionMnistArrays.readIdx(source.resolve(prefix + "-labels-idx1-ubyte.gz"));
        int rows = images[0][1];
        int cols = images[0][2];
        int pixels = rows * cols;
        int[] counts = new int[10];
        int total = 10 * perClass;
        double[] imageOut = new double[total * pixels];
        double[] labelOut = new double[total];
        int written = 0;
        for (int i = 0; i < labels[1].length && written < total; i++) {
            int label = labels[1][i];
            if (counts[label] < perClass) {
                counts[label]++;
                labelOut[written] = label;
                for (int p = 0; p < pixels; p++) {
                    imageOut[written * pixels + p] = images[1][i * pixels + p];
                }
                written++;
            }
        }
        if (written != total) {
            throw new IllegalStateException(prefix + ": only " + written + " of " + total + " examples available");
        }
        IDXDataSource.IDXData.createIDXData(IDXDataSource.IDXType.UBYTE, new int[]{total, rows, cols}, imageOut)
                .save(output.resolve(prefix + "-images-idx3-ubyte.gz"), true);
        IDXDataSource.IDXData.createIDXData(IDXDataSource.IDXType.UBYTE, new int[]{total}, labelOut)
                .save(output.resolve(prefix + "-labels-idx1-ubyte.gz"), true);
        System.out.println(prefix + ": wrote " + total + " examples (" + perClass + " per class)");
    }
}

package io.github.randomgradient.examples;

import io.github.randomgradient.data.IdxDirectory;
import org.tribuo.Dataset;
import org.tribuo.classification.Label;

import java.nio.file.Path;
import java.nio.file.Paths;

/**
 * The examples' data: the bundled Fashion-MNIST subset, or a directory given as the first argument.
 */
final class ExampleData {

    /** The bundled subset, relative to the repository root. */
    static final Path BUNDLED = Paths.get("data", "fashion-mnist-subset");

    private ExampleData() {}

    /**
     * The data directory: {@code args[0]} if given, else the bundled subset.
     * @param args Program arguments.
     * @return The directory.
     */
    static IdxDirectory dir(String[] args) {
        return IdxDirectory.of(args.length > 0 ? Paths.get(args[0]) : BUNDLED);
    }

    /**
     * Loads the training split, every pixel of its images named (see {@code DataLoading}), as the
     * exact image-shape check of {@code ImageConverter} needs.
     * @param args Program arguments.
     * @return The training data.
     */
    static Dataset<Label> train(String[] args) {
        return dir(args).load("train");
    }

    /**
     * Loads the test split.
     * @param args Program arguments.
     * @return The test data.
     */
    static Dataset<Label> test(String[] args) {
        return dir(args).load("t10k");
    }
}

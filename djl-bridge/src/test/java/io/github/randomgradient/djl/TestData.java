package io.github.randomgradient.djl;

import io.github.randomgradient.djl.block.MLPBlockFactory;
import io.github.randomgradient.djl.convert.DenseFeatureConverter;
import io.github.randomgradient.djl.convert.LabelConverter;
import org.tribuo.Dataset;
import org.tribuo.MutableDataset;
import org.tribuo.classification.Label;
import org.tribuo.classification.LabelFactory;
import org.tribuo.classification.example.ConcentricCirclesDataSource;
import org.tribuo.datasource.IDXDataSource;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.nio.file.Paths;

/**
 * Shared test data: the bundled Fashion-MNIST subset (real images, committed in the repository)
 * and Tribuo's synthetic generators.
 */
final class TestData {

    /** The bundled subset, relative to this module's directory (Maven's working directory for tests). */
    static final Path BUNDLED = Paths.get("..", "data", "fashion-mnist-subset");

    private static Dataset<Label> fashionTrain;
    private static Dataset<Label> fashionTest;

    private TestData() {}

    static synchronized Dataset<Label> fashionTrain() {
        if (fashionTrain == null) {
            fashionTrain = load("train");
        }
        return fashionTrain;
    }

    static synchronized Dataset<Label> fashionTest() {
        if (fashionTest == null) {
            fashionTest = load("t10k");
        }
        return fashionTest;
    }

    private static Dataset<Label> load(String prefix) {
        try {
            return new MutableDataset<>(new IDXDataSource<>(BUNDLED.resolve(prefix + "-images-idx3-ubyte.gz"),
                    BUNDLED.resolve(prefix + "-labels-idx1-ubyte.gz"), new LabelFactory()));
        } catch (IOException e) {
            throw new UncheckedIOException("the bundled Fashion-MNIST subset is missing from " + BUNDLED.toAbsolutePath(), e);
        }
    }

    /** Two concentric circles: not linearly separable, easy for a small MLP. */
    static Dataset<Label> circles(int n, long seed) {
        return new MutableDataset<>(new ConcentricCirclesDataSource(n, seed, 1.0, 0.5));
    }

    /** A small MLP trainer on dense features. */
    static DJLTrainerBuilder<Label> mlp() {
        return DJLTrainer.builder(new MLPBlockFactory(MLPBlockFactory.ActivationType.RELU, 32, 32),
                        new DenseFeatureConverter(), new LabelConverter())
                .optLearningRate(0.1f).optMomentum(0.9f).optEpochs(20).optBatchSize(32).optSeed(7L).optDevice("cpu");
    }
}

package io.github.randomgradient.djl;

import io.github.randomgradient.djl.block.MLPBlockFactory;
import io.github.randomgradient.djl.convert.DenseFeatureConverter;
import io.github.randomgradient.djl.convert.LabelConverter;
import org.tribuo.Dataset;
import org.tribuo.Example;
import org.tribuo.Feature;
import org.tribuo.MutableDataset;
import org.tribuo.impl.ArrayExample;
import org.tribuo.classification.Label;
import org.tribuo.classification.LabelFactory;
import org.tribuo.classification.example.ConcentricCirclesDataSource;
import org.tribuo.datasource.IDXDataSource;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

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

    /**
     * Loads a part of the subset with Tribuo's {@link IDXDataSource}, which leaves out zero pixels,
     * and names every pixel that is 0 in all of its images with value 0 in the first example (as
     * {@code io.github.randomgradient.data.DataLoading} does): an {@code ImageConverter} takes
     * training, held-out and scored data only when they name all {@code 28*28} pixels (the 2,000
     * test images leave one pixel 0 in every image).
     */
    private static Dataset<Label> load(String prefix) {
        IDXDataSource<Label> source;
        try {
            source = new IDXDataSource<>(BUNDLED.resolve(prefix + "-images-idx3-ubyte.gz"),
                    BUNDLED.resolve(prefix + "-labels-idx1-ubyte.gz"), new LabelFactory());
        } catch (IOException e) {
            throw new UncheckedIOException("the bundled Fashion-MNIST subset is missing from " + BUNDLED.toAbsolutePath(), e);
        }
        List<Example<Label>> examples = new ArrayList<>();
        Set<String> named = new HashSet<>();
        for (Example<Label> e : source) {
            examples.add(e);
            for (Feature f : e) {
                named.add(f.getName());
            }
        }
        ArrayExample<Label> first = new ArrayExample<>(examples.get(0));
        for (int i = 0; i < 28 * 28; i++) {
            String name = String.format("%03d", i);
            if (!named.contains(name)) {
                first.add(new Feature(name, 0.0));
            }
        }
        examples.set(0, first);
        MutableDataset<Label> dataset = new MutableDataset<>(source.getProvenance(), source.getOutputFactory());
        for (Example<Label> e : examples) {
            dataset.add(e);
        }
        return dataset;
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

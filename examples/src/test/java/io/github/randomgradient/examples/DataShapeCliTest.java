package io.github.randomgradient.examples;

import io.github.randomgradient.data.IdxDirectory;
import io.github.randomgradient.djl.DJLModel;
import io.github.randomgradient.djl.DJLTrainer;
import io.github.randomgradient.djl.block.MLPBlockFactory;
import io.github.randomgradient.djl.convert.ImageConverter;
import io.github.randomgradient.djl.convert.LabelConverter;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tribuo.classification.Label;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static io.github.randomgradient.examples.BadInputFixtures.ROOT;
import static io.github.randomgradient.examples.BadInputFixtures.assertUserError;
import static io.github.randomgradient.examples.BadInputFixtures.dataDir;
import static io.github.randomgradient.examples.BadInputFixtures.experimentXml;
import static io.github.randomgradient.examples.BadInputFixtures.gzip;
import static io.github.randomgradient.examples.BadInputFixtures.images;
import static io.github.randomgradient.examples.BadInputFixtures.labels;
import static io.github.randomgradient.examples.BadInputFixtures.replace;
import static io.github.randomgradient.examples.BadInputFixtures.tribuoRg;
import static io.github.randomgradient.examples.BadInputFixtures.truncate;
import static io.github.randomgradient.examples.BadInputFixtures.withFile;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The data-shape and data-error family across commands: images smaller than the model's input
 * (20x20 for a 28x28 input, which used to train or score silently) are refused by {@code sweep}
 * and {@code report --models} as {@code experiment} refuses them; a CNN kernel larger than the
 * image is refused by {@code experiment} and {@code sweep}; a truncated IDX file is reported by
 * {@code sweep} with the same message as by {@code experiment} (file, byte); a validation split
 * left empty by too few training images per class is refused by {@code sweep} before any run.
 * Each is exit status 2, one line, nothing trained or written.
 */
public class DataShapeCliTest {

    static final String TRAIN_IMAGES = DataBadInputTest.TRAIN_IMAGES;
    static final String TEST_IMAGES = DataBadInputTest.TEST_IMAGES;

    @TempDir
    static Path tmp;

    static Path configs;
    static Path smoke;
    /** 60 training images (6 per class, so the sweep's validation split holds one of each) and 20 test images of 28x28. */
    static Path good;
    /** The same counts, images of 20x20. */
    static Path small;

    @BeforeAll
    static void setUp() throws IOException {
        // A copy of configs/, as SweepCliTest does (OLCUT resolves includes of included files by URL-escaped path).
        configs = Files.createDirectories(tmp.resolve("configs"));
        try (Stream<Path> files = Files.list(ROOT.resolve("configs"))) {
            for (Path f : (Iterable<Path>) files.filter(f -> f.toString().endsWith(".xml"))::iterator) {
                Files.copy(f, configs.resolve(f.getFileName()));
            }
        }
        smoke = configs.resolve("sweep-smoke.xml");
        good = dataDir(tmp.resolve("good"), images(60, 28, 28, 1), labels(60), images(20, 28, 28, 2), labels(20));
        small = dataDir(tmp.resolve("small"), images(60, 20, 20, 1), labels(60), images(20, 20, 20, 2), labels(20));
    }

    private static BadInputFixtures.Result sweep(Path config, Path data, Path out, String... extra) {
        List<String> args = new java.util.ArrayList<>(List.of("sweep", "-c", config.toString(), "--data", data.toString(), "-o",
                out.toString(), "-w", "1"));
        args.addAll(List.of(extra));
        return tribuoRg(args.toArray(String[]::new));
    }

    @Test
    public void sweepRefusesImagesSmallerThanTheModelsInput() {
        Path out = tmp.resolve("sweep-small-out");
        assertUserError(sweep(smoke, small, out), List.of("trainer 'smoke-mlp-baseline'", "featureConverter",
                "[channels=1, height=28, width=28] (784 pixels)", "400 pixel features", "images of 20x20", TRAIN_IMAGES), out);
    }

    @Test
    public void reportRefusesToScoreModelsOnImagesOfAnotherSize() throws IOException {
        // A real 28x28 model, trained in a second by the Java API.
        var train = IdxDirectory.resolve(good.toString()).load("train");
        Path model = tmp.resolve("mlp28.tribuo.pb");
        try (DJLModel<Label> m = DJLTrainer.<Label>builder(new MLPBlockFactory(MLPBlockFactory.ActivationType.RELU, 8),
                new ImageConverter(28, 28, 1), new LabelConverter()).optBatchSize(20).optEpochs(1).optSeed(1L).optDevice("cpu")
                .build().train(train)) {
            m.serializeToFile(model);
        }
        Path out = tmp.resolve("report-small-out");
        assertUserError(tribuoRg("report", "--models", model.toString(), "--data", small.toString(), "--output-dir", out.toString()),
                List.of("model file", "mlp28.tribuo.pb", "[1, 28, 28] (784 pixels)", "20x20 (400 pixels)", TEST_IMAGES), out);
        // A Tribuo linear model trained on 28x28 images: its input shape is not recorded, but it knows pixel 783.
        Path linear = tmp.resolve("linear28.tribuo.pb");
        new org.tribuo.classification.sgd.linear.LinearSGDTrainer(new org.tribuo.classification.sgd.objectives.LogMulticlass(),
                org.tribuo.math.optimisers.SGD.getSimpleSGD(0.1), 1, 1L).train(train).serializeToFile(linear);
        assertUserError(tribuoRg("report", "--models", linear.toString(), "--data", small.toString(), "--output-dir", out.toString()),
                List.of("model file", "linear28.tribuo.pb", "knows pixel 783", "20x20 (400 pixels)", TEST_IMAGES), out);
    }

    /** A CNN trainer whose kernel (29) is larger than the 28x28 images. */
    private static final String BIG_KERNEL = String.join("\n",
            "  <component name=\"big-kernel\" type=\"io.github.randomgradient.djl.block.CNNBlockFactory\">",
            "    <propertylist name=\"channels\"><item>2</item></propertylist>",
            "    <property name=\"kernelSize\" value=\"29\"/>",
            "    <property name=\"hiddenSize\" value=\"0\"/>",
            "  </component>");

    @Test
    public void experimentAndSweepRefuseAKernelLargerThanTheImage() throws IOException {
        Path out = tmp.resolve("kernel-experiment-out");
        Path config = tmp.resolve("kernel-experiment.xml");
        String xml = replace(experimentXml(good, out), "<property name=\"blockFactory\" value=\"mlp\"/>",
                "<property name=\"blockFactory\" value=\"big-kernel\"/>");
        Files.writeString(config, replace(xml, "</config>", BIG_KERNEL + "\n</config>"));
        assertUserError(tribuoRg("experiment", "-c", config.toString()), List.of("trainer 'bad'", "blockFactory", "kernelSize=29",
                "28x28", "at most 28"), out);

        Path sweepConfig = tmp.resolve("kernel-sweep.xml");
        Files.writeString(sweepConfig, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<config>\n"
                + "  <file name=\"smoke\" value=\"" + smoke + "\"/>\n" + BIG_KERNEL + "\n"
                + "  <component name=\"cnn-smoke\" type=\"io.github.randomgradient.djl.DJLTrainer\">\n"
                + "    <property name=\"blockFactory\" value=\"big-kernel\"/>\n"
                + "    <property name=\"featureConverter\" value=\"fashion-mnist-image\"/>\n"
                + "    <property name=\"outputConverter\" value=\"label-converter\"/>\n"
                + "    <property name=\"lossScale\" value=\"baseline-scale\"/>\n"
                + "    <property name=\"device\" value=\"cpu\"/>\n"
                + "  </component>\n"
                + "  <component name=\"sweep2\" type=\"io.github.randomgradient.sweep.Sweep\">\n"
                + "    <property name=\"trainer\" value=\"cnn-smoke\"/>\n"
                + "    <propertylist name=\"learningRate\"><item>0.05</item></propertylist>\n"
                + "    <propertylist name=\"momentum\"><item>0.9</item></propertylist>\n"
                + "    <propertylist name=\"lossScale\"><item>rg-uniform</item></propertylist>\n"
                + "    <propertylist name=\"seeds\"><item>1</item></propertylist>\n"
                + "    <property name=\"trainSource\" value=\"fashion-mnist-bundled-train\"/>\n"
                + "    <property name=\"testSource\" value=\"fashion-mnist-bundled-test\"/>\n"
                + "  </component>\n</config>\n");
        Path sweepOut = tmp.resolve("kernel-sweep-out");
        assertUserError(sweep(sweepConfig, good, sweepOut, "--sweep", "sweep2"), List.of("trainer 'cnn-smoke'", "blockFactory",
                "kernelSize=29", "at most 28"), sweepOut);
    }

    @Test
    public void sweepReportsATruncatedFileAsExperimentDoes() throws IOException {
        byte[] trainImages = images(60, 28, 28, 1);
        Path cut = withFile(good, tmp.resolve("cut"), TRAIN_IMAGES, gzip(truncate(trainImages, 16 + 5000)));
        String same = TRAIN_IMAGES + " (images of the training data '";
        String where = "') is truncated at byte 5016: its header declares 60 images of 28x28, 47056 bytes after decompression";
        Path out = tmp.resolve("cut-sweep-out");
        assertUserError(sweep(smoke, cut, out), List.of(same + "fashion-mnist-bundled-train" + where), out);
        Path config = tmp.resolve("cut-experiment.xml");
        Path experimentOut = tmp.resolve("cut-experiment-out");
        Files.writeString(config, experimentXml(good, experimentOut));
        assertUserError(tribuoRg("experiment", "-c", config.toString(), "--data", cut.toString(), "--output-dir", experimentOut.toString()),
                List.of(same + "tiny-train" + where), experimentOut);
    }

    @Test
    public void sweepRefusesAnEmptyValidationSplitBeforeAnyRun() throws IOException {
        // 40 training images: 4 per class, and round(0.1 x 4) = 0, so no class has a validation image.
        Path four = dataDir(tmp.resolve("four-per-class"), images(40, 28, 28, 1), labels(40), images(20, 28, 28, 2), labels(20));
        Path out = tmp.resolve("four-sweep-out");
        BadInputFixtures.Result r = sweep(smoke, four, out);
        assertUserError(r, List.of("sweep 'sweep'", "validationFraction=0.1", "training data 'fashion-mnist-bundled-train'", TRAIN_IMAGES,
                "40 images of 28x28", "0 of its 40 images for validation", "10 of 10 classes",
                "'0': 4 images -> 4 training, 0 validation", "and 7 more",
                "at least 5 images"), out);
        assertTrue(r.out().isEmpty() || !r.out().contains("runs planned"), r.out());
    }
}

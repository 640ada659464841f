package io.github.randomgradient.examples;

import io.github.randomgradient.data.IdxDirectory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;
import org.tribuo.Dataset;
import org.tribuo.classification.sgd.linear.LinearSGDTrainer;
import org.tribuo.classification.sgd.objectives.LogMulticlass;
import org.tribuo.math.optimisers.SGD;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static io.github.randomgradient.examples.BadInputFixtures.assertUserError;
import static io.github.randomgradient.examples.BadInputFixtures.experimentXml;
import static io.github.randomgradient.examples.BadInputFixtures.gzip;
import static io.github.randomgradient.examples.BadInputFixtures.idx;
import static io.github.randomgradient.examples.BadInputFixtures.images;
import static io.github.randomgradient.examples.BadInputFixtures.labels;
import static io.github.randomgradient.examples.BadInputFixtures.tribuoRg;
import static io.github.randomgradient.examples.BadInputFixtures.truncate;
import static io.github.randomgradient.examples.BadInputFixtures.withFile;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Bad data files, output directories and model files given to {@code experiment}, {@code report},
 * {@code audit} and {@code export-data}: each fails before anything trains or is written, with exit
 * status 2 and one line naming the file and what is wrong with it (expected and found magic
 * number or count, or the byte where the data ends).
 */
public class DataBadInputTest {

    static final String TRAIN_IMAGES = "train-images-idx3-ubyte.gz";
    static final String TRAIN_LABELS = "train-labels-idx1-ubyte.gz";
    static final String TEST_IMAGES = "t10k-images-idx3-ubyte.gz";
    static final String TEST_LABELS = "t10k-labels-idx1-ubyte.gz";

    static final String HTML = "<!DOCTYPE html><html><body>Rate limit exceeded</body></html>\n";

    @TempDir
    static Path tmp;

    static Path good;
    static Path config;
    static Path model;
    static Path datasetFile;

    @BeforeAll
    static void setUp() throws IOException {
        good = BadInputFixtures.goodData(tmp.resolve("good"));
        config = tmp.resolve("experiment.xml");
        Files.writeString(config, experimentXml(good, tmp.resolve("configured-out")));
        // A real saved classifier, trained in milliseconds by Tribuo's own linear SGD.
        Dataset<org.tribuo.classification.Label> train = IdxDirectory.resolve(good.toString()).load("train");
        model = tmp.resolve("linear.tribuo.pb");
        new LinearSGDTrainer(new LogMulticlass(), SGD.getSimpleSGD(0.1), 1, 1L).train(train).serializeToFile(model);
        assertEquals(0, tribuoRg("export-data", "--data", good.toString(), "--output-dir", tmp.resolve("protobuf").toString()).status());
        datasetFile = tmp.resolve("protobuf").resolve("train.tribuo.pb");
    }

    /** One bad data directory: the name of the case, the directory, and the fragments the error must contain. */
    record DataCase(String name, Path dir, String... fragments) {}

    static List<DataCase> dataCases() throws IOException {
        byte[] trainImages = images(40, 28, 28, 1);
        byte[] trainLabels = labels(40);
        List<DataCase> c = new ArrayList<>();
        int n = 0;
        c.add(new DataCase("labels file given as the images", withFile(good, tmp.resolve("d" + n++), TRAIN_IMAGES, gzip(trainLabels)),
                TRAIN_IMAGES, "expected 0x00000803", "found 0x00000801"));
        Path swapped = withFile(good, tmp.resolve("d" + n++), TRAIN_IMAGES, gzip(trainLabels));
        Files.write(swapped.resolve(TRAIN_LABELS), gzip(trainImages));
        c.add(new DataCase("images and labels swapped", swapped, TRAIN_IMAGES, "expected 0x00000803", "found 0x00000801"));
        c.add(new DataCase("images file given as the labels", withFile(good, tmp.resolve("d" + n++), TEST_LABELS, gzip(images(20, 28, 28, 2))),
                TEST_LABELS, "expected 0x00000801", "found 0x00000803"));
        c.add(new DataCase("empty images file", withFile(good, tmp.resolve("d" + n++), TRAIN_IMAGES, new byte[0]), TRAIN_IMAGES, "empty (0 bytes)"));
        c.add(new DataCase("gzip of nothing", withFile(good, tmp.resolve("d" + n++), TRAIN_LABELS, gzip(new byte[0])),
                TRAIN_LABELS, "truncated at byte 0"));
        byte[] gz = gzip(trainImages);
        c.add(new DataCase("gzip cut in half", withFile(good, tmp.resolve("d" + n++), TRAIN_IMAGES, truncate(gz, gz.length / 2)),
                TRAIN_IMAGES, "truncated at byte 1"));
        c.add(new DataCase("IDX data cut short", withFile(good, tmp.resolve("d" + n++), TRAIN_IMAGES, gzip(truncate(trainImages, 16 + 5000))),
                TRAIN_IMAGES, "truncated at byte 5016", "40 images of 28x28", "31376 bytes"));
        c.add(new DataCase("IDX header cut short", withFile(good, tmp.resolve("d" + n++), TRAIN_IMAGES, gzip(truncate(trainImages, 6))),
                TRAIN_IMAGES, "truncated at byte 6"));
        c.add(new DataCase("HTML saved as .gz", withFile(good, tmp.resolve("d" + n++), TRAIN_IMAGES, HTML.getBytes(StandardCharsets.UTF_8)),
                TRAIN_IMAGES, "not an IDX file", "'<!DO'", "not gzip data"));
        c.add(new DataCase("gzipped HTML", withFile(good, tmp.resolve("d" + n++), TEST_IMAGES, gzip(HTML.getBytes(StandardCharsets.UTF_8))),
                TEST_IMAGES, "not an IDX file", "expected magic number 0x00000803"));
        c.add(new DataCase("IDX type byte unknown", withFile(good, tmp.resolve("d" + n++), TRAIN_IMAGES, gzip(idx(0x07, new int[]{1, 1, 1},
                new byte[1]))), TRAIN_IMAGES, "found 0x00000703"));
        c.add(new DataCase("more labels than images", withFile(good, tmp.resolve("d" + n++), TRAIN_LABELS, gzip(labels(30))),
                TRAIN_IMAGES, TRAIN_LABELS, "40 images", "30 labels"));
        c.add(new DataCase("test images of another size", withFile(good, tmp.resolve("d" + n++), TEST_IMAGES, gzip(images(20, 32, 32, 3))),
                TEST_IMAGES, "20 images of 32x32", "40 images of 28x28"));
        Path big = BadInputFixtures.dataDir(tmp.resolve("d" + n++), images(40, 32, 32, 1), trainLabels, images(20, 32, 32, 2), labels(20));
        c.add(new DataCase("images 32x32 for a 28x28 converter", big, "trainer 'mlp-baseline'", "featureConverter",
                "height=28, width=28", "32x32", TRAIN_IMAGES));
        Path small = BadInputFixtures.dataDir(tmp.resolve("d" + n++), images(40, 20, 20, 1), trainLabels, images(20, 20, 20, 2), labels(20));
        c.add(new DataCase("images 20x20 for a 28x28 converter", small, "trainer 'mlp-baseline'",
                "[channels=1, height=28, width=28] (784 pixels)", "400 pixel features", "20x20", TRAIN_IMAGES));
        byte[] extra = java.util.Arrays.copyOf(trainImages, trainImages.length + 10);
        c.add(new DataCase("trailing bytes", withFile(good, tmp.resolve("d" + n++), TRAIN_IMAGES, gzip(extra)),
                TRAIN_IMAGES, "more data than its header declares"));
        c.add(new DataCase("zero images declared", withFile(good, tmp.resolve("d" + n++), TEST_IMAGES, gzip(idx(0x08, new int[]{0, 28, 28},
                new byte[0]))), TEST_IMAGES, "declares 0 images", "empty"));
        c.add(new DataCase("2-D images file", withFile(good, tmp.resolve("d" + n++), TRAIN_IMAGES, gzip(idx(0x08, new int[]{40, 784},
                new byte[40 * 784]))), TRAIN_IMAGES, "found 0x00000802", "expected 0x00000803"));
        c.add(new DataCase("3-D labels file", withFile(good, tmp.resolve("d" + n++), TRAIN_LABELS, gzip(idx(0x08, new int[]{40, 1, 1},
                new byte[40]))), TRAIN_LABELS, "found 0x00000803", "expected 0x00000801"));
        Path dirAsFile = withFile(good, tmp.resolve("d" + n++), TRAIN_LABELS, new byte[1]);
        Files.delete(dirAsFile.resolve(TRAIN_LABELS));
        Files.createDirectory(dirAsFile.resolve(TRAIN_LABELS));
        c.add(new DataCase("data file is a directory", dirAsFile, TRAIN_LABELS, "is a directory"));
        Path missing = withFile(good, tmp.resolve("d" + n++), TRAIN_LABELS, new byte[1]);
        Files.delete(missing.resolve(TRAIN_LABELS));
        c.add(new DataCase("labels file missing", missing, "data file not found", TRAIN_LABELS));
        c.add(new DataCase("a single class", withFile(good, tmp.resolve("d" + n++), TRAIN_LABELS, gzip(idx(0x08, new int[]{40}, new byte[40]))),
                "trainer 'mlp-baseline'", "outputConverter", "only one label", TRAIN_IMAGES));
        c.add(new DataCase("random bytes", withFile(good, tmp.resolve("d" + n++), TEST_LABELS, new byte[]{1, 2, 3, 4, 5, 6, 7, 8}),
                TEST_LABELS, "not an IDX file"));
        return c;
    }

    @TestFactory
    Stream<DynamicTest> badDataFailsBeforeTrainingWithTheFileAndWhatIsWrong() throws IOException {
        return dataCases().stream().map(k -> DynamicTest.dynamicTest(k.name(), () -> {
            Path out = k.dir().resolveSibling(k.dir().getFileName() + "-out");
            assertUserError(tribuoRg("experiment", "-c", config.toString(), "--data", k.dir().toString(), "--output-dir", out.toString()),
                    List.of(k.fragments()), out);
        }));
    }

    @TestFactory
    Stream<DynamicTest> badDataInTheConfigAndInOtherCommands() throws IOException {
        byte[] labelsGz = gzip(labels(40));
        Path labelsAsImages = withFile(good, tmp.resolve("other-0"), TRAIN_IMAGES, labelsGz);
        Path testLabelsAsImages = withFile(good, tmp.resolve("other-2"), TEST_IMAGES, gzip(labels(20)));
        Path configured = tmp.resolve("labels-as-images.xml");
        Path out = tmp.resolve("other-out");
        Files.writeString(configured, experimentXml(labelsAsImages, out));
        Path runsWithoutRuns = Files.createDirectories(tmp.resolve("no-runs"));
        Path corruptRun = Files.createDirectories(tmp.resolve("corrupt-run/runs/mlp/seed-1"));
        Files.writeString(corruptRun.resolve("run.json"), "{\"trainer\": ");
        Path corruptModel = tmp.resolve("corrupt.tribuo.pb");
        Files.write(corruptModel, new byte[]{8, 1, 18, 3, 'x', 'y'});
        Path emptyModel = Files.write(tmp.resolve("empty.tribuo.pb"), new byte[0]);
        Path htmlModel = Files.writeString(tmp.resolve("model.html.pb"), HTML);
        Path aFile = Files.writeString(tmp.resolve("a-file"), "x");
        Path readOnly = readOnlyDirectory();
        Object[][] cases = {
                {"labels as images in the config", new String[]{"experiment", "-c", configured.toString()},
                        List.of(TRAIN_IMAGES, "tiny-train", "found 0x00000801")},
                {"output directory is a file", new String[]{"experiment", "-c", config.toString(), "--output-dir", aFile.toString()},
                        List.of("output directory", aFile.toString(), "not a directory")},
                {"output directory under a file", new String[]{"experiment", "-c", config.toString(), "--output-dir",
                        aFile.resolve("out").toString()}, List.of("output directory", aFile.toString(), "not a directory")},
                {"output directory read-only", new String[]{"experiment", "-c", config.toString(), "--output-dir",
                        readOnly.resolve("out").toString()}, List.of("output directory", readOnly.toString(), "not writable")},
                {"audit: model missing", new String[]{"audit", "--model", tmp.resolve("absent.pb").toString()}, List.of("model file not found", "absent.pb")},
                {"audit: model is a directory", new String[]{"audit", "--model", tmp.toString()}, List.of(tmp.toString(), "is a directory")},
                {"audit: corrupt model", new String[]{"audit", "--model", corruptModel.toString()}, List.of("corrupt.tribuo.pb", "corrupt")},
                {"audit: empty model file", new String[]{"audit", "--model", emptyModel.toString()}, List.of("empty.tribuo.pb", "empty (0 bytes)")},
                {"audit: HTML as a model", new String[]{"audit", "--model", htmlModel.toString()}, List.of("model.html.pb")},
                {"audit: a dataset, not a model", new String[]{"audit", "--model", datasetFile.toString()},
                        List.of("train.tribuo.pb", "other than a model")},
                {"report: second model missing", new String[]{"report", "--models", model + "," + tmp.resolve("absent.pb"), "--data",
                        good.toString(), "--output-dir", out.toString()}, List.of("absent.pb")},
                {"report: second model corrupt", new String[]{"report", "--models", model + "," + corruptModel, "--data",
                        good.toString(), "--output-dir", out.toString()}, List.of("corrupt.tribuo.pb")},
                {"report: models without data", new String[]{"report", "--models", model.toString(), "--output-dir", out.toString()},
                        List.of("--data")},
                {"report: models on labels-as-images data", new String[]{"report", "--models", model.toString(), "--data",
                        testLabelsAsImages.toString(), "--output-dir", out.toString()}, List.of(TEST_IMAGES, "found 0x00000801")},
                {"report: model trained on other data", new String[]{"report", "--models", model.toString(), "--data",
                        BadInputFixtures.dataDir(tmp.resolve("other-3"), images(4, 32, 32, 1), labels(4), images(4, 32, 32, 2), labels(4))
                                .toString(), "--output-dir", out.toString()}, List.of("linear.tribuo.pb", "knows none of the", "'0000'")},
                {"report: runs directory missing", new String[]{"report", "--runs", tmp.resolve("no-such-runs").toString(), "--output-dir",
                        out.toString()}, List.of("no-such-runs")},
                {"report: no runs in the directory", new String[]{"report", "--runs", runsWithoutRuns.toString(), "--output-dir",
                        out.toString()}, List.of("no finished runs", "no-runs")},
                {"report: corrupt run.json", new String[]{"report", "--runs", tmp.resolve("corrupt-run").toString(), "--output-dir",
                        out.toString()}, List.of("run.json")},
                {"report: output directory is a file", new String[]{"report", "--models", model.toString(), "--data", good.toString(),
                        "--output-dir", aFile.toString()}, List.of("output directory", "a-file")},
                {"export-data: data cut short", new String[]{"export-data", "--data", withFile(good, tmp.resolve("other-1"), TEST_LABELS,
                        truncate(labelsGz, 10)).toString(), "--output-dir", out.toString()}, List.of(TEST_LABELS, "truncated at byte")},
                {"export-data: output under a file", new String[]{"export-data", "--data", good.toString(), "--output-dir",
                        aFile.resolve("x").toString()}, List.of("a-file", "not a directory")},
        };
        return Stream.of(cases).map(k -> DynamicTest.dynamicTest((String) k[0], () -> {
            @SuppressWarnings("unchecked")
            List<String> fragments = (List<String>) k[2];
            assertUserError(tribuoRg((String[]) k[1]), fragments, out);
        }));
    }

    /**
     * A directory nothing can be written to: a read-only directory, or, where permissions do not
     * apply (tests running as root), {@code /proc}, where no file can be created.
     */
    private static Path readOnlyDirectory() throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("read-only"));
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("r-xr-xr-x"));
        try {
            Files.delete(Files.createFile(dir.resolve("probe")));
            return Path.of("/proc");
        } catch (IOException e) {
            return dir;
        }
    }
}

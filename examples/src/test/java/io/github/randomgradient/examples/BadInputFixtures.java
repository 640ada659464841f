package io.github.randomgradient.examples;

import io.github.randomgradient.cli.TribuoRg;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.zip.GZIPOutputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Shared fixtures of the command-line bad-input tests: tiny generated IDX files (40 training and
 * 20 test images of 28x28 random pixels, 10 classes), an experiment config over them that mutates
 * one thing per test, and the assertions of the exit-status contract.
 */
final class BadInputFixtures {

    private BadInputFixtures() {}

    static final Path ROOT = ExperimentCliTest.ROOT;

    /** The result of one command: exit status, standard output and standard error. */
    record Result(int status, String out, String err) {}

    static Result tribuoRg(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = TribuoRg.run(args, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Result(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /**
     * Asserts a user error: exit status 2, one line on standard error containing every fragment, no
     * stack trace, and none of {@code untouched} created.
     */
    static void assertUserError(Result r, List<String> fragments, Path... untouched) {
        assertEquals(2, r.status(), "exit status; stderr: " + r.err() + "\nstdout: " + r.out());
        String err = r.err().strip();
        if (Boolean.getBoolean("badinput.print")) {
            System.out.println(err);
        }
        assertTrue(err.startsWith("error: "), err);
        assertFalse(err.contains("\n"), "one line: " + err);
        for (String f : fragments) {
            assertTrue(err.contains(f), "stderr should contain '" + f + "': " + err);
        }
        for (Path p : untouched) {
            assertFalse(Files.exists(p), p + " must not be written: nothing is trained or written on a user error");
        }
    }

    // ---------------------------------------------------------------------------------------------
    // IDX files.

    /** An IDX file's bytes: magic (0, 0, type, dims), the dimensions, the data. */
    static byte[] idx(int type, int[] shape, byte[] data) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        out.writeShort(0);
        out.writeByte(type);
        out.writeByte(shape.length);
        for (int d : shape) {
            out.writeInt(d);
        }
        out.write(data);
        out.flush();
        return bytes.toByteArray();
    }

    static byte[] gzip(byte[] raw) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(bytes)) {
            gz.write(raw);
        }
        return bytes.toByteArray();
    }

    static byte[] images(int n, int height, int width, long seed) throws IOException {
        byte[] pixels = new byte[n * height * width];
        new Random(seed).nextBytes(pixels);
        return idx(0x08, new int[]{n, height, width}, pixels);
    }

    static byte[] labels(int n) throws IOException {
        byte[] labels = new byte[n];
        for (int i = 0; i < n; i++) {
            labels[i] = (byte) (i % 10);
        }
        return idx(0x08, new int[]{n}, labels);
    }

    /**
     * Writes a data directory in the Fashion-MNIST layout.
     * @return The directory.
     */
    static Path dataDir(Path dir, byte[] trainImages, byte[] trainLabels, byte[] testImages, byte[] testLabels) throws IOException {
        Files.createDirectories(dir);
        Files.write(dir.resolve("train-images-idx3-ubyte.gz"), gzip(trainImages));
        Files.write(dir.resolve("train-labels-idx1-ubyte.gz"), gzip(trainLabels));
        Files.write(dir.resolve("t10k-images-idx3-ubyte.gz"), gzip(testImages));
        Files.write(dir.resolve("t10k-labels-idx1-ubyte.gz"), gzip(testLabels));
        return dir;
    }

    /** A valid tiny data directory: 40 training and 20 test images of 28x28. */
    static Path goodData(Path dir) throws IOException {
        return dataDir(dir, images(40, 28, 28, 1), labels(40), images(20, 28, 28, 2), labels(20));
    }

    /** A copy of {@code good} with one file replaced by {@code bytes} (written as given, not gzipped again). */
    static Path withFile(Path good, Path dir, String name, byte[] bytes) throws IOException {
        Files.createDirectories(dir);
        for (String f : List.of("train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz", "t10k-images-idx3-ubyte.gz",
                "t10k-labels-idx1-ubyte.gz")) {
            Files.copy(good.resolve(f), dir.resolve(f));
        }
        Files.write(dir.resolve(name), bytes);
        return dir;
    }

    static byte[] truncate(byte[] bytes, int length) {
        return Arrays.copyOf(bytes, length);
    }

    // ---------------------------------------------------------------------------------------------
    // Configs.

    /** A second trainer, "bad", identical to mlp-baseline; tests change one of its lines. */
    static final String BAD_TRAINER = String.join("\n",
            "  <component name=\"bad\" type=\"io.github.randomgradient.djl.DJLTrainer\">",
            "    <property name=\"blockFactory\" value=\"mlp\"/>",
            "    <property name=\"featureConverter\" value=\"fashion-mnist-image\"/>",
            "    <property name=\"outputConverter\" value=\"label-converter\"/>",
            "    <property name=\"lossScale\" value=\"bad-scale\"/>",
            "    <property name=\"optimiser\" value=\"SGD\"/>",
            "    <property name=\"learningRate\" value=\"0.05\"/>",
            "    <property name=\"momentum\" value=\"0.9\"/>",
            "    <property name=\"lrSchedule\" value=\"FIXED\"/>",
            "    <property name=\"batchSize\" value=\"8\"/>",
            "    <property name=\"device\" value=\"auto\"/>",
            "    <property name=\"numThreads\" value=\"1\"/>",
            "    <property name=\"divergencePolicy\" value=\"STOP\"/>",
            "  </component>",
            "  <component name=\"bad-scale\" type=\"io.github.randomgradient.rg.UniformLossScale\">",
            "    <property name=\"low\" value=\"0.0\"/>",
            "    <property name=\"high\" value=\"1.0\"/>",
            "    <property name=\"applyProbability\" value=\"1.0\"/>",
            "  </component>",
            "  <component name=\"bad-image\" type=\"io.github.randomgradient.djl.convert.ImageConverter\">",
            "    <property name=\"width\" value=\"28\"/>",
            "    <property name=\"height\" value=\"28\"/>",
            "    <property name=\"channels\" value=\"1\"/>",
            "  </component>");

    /**
     * An experiment config over a data directory: trainers mlp-baseline and "bad" (a copy of it),
     * seeds 1 and 2, 1 epoch, output {@code output}.
     */
    static String experimentXml(Path data, Path output) {
        return String.join("\n",
                "<?xml version=\"1.0\" encoding=\"UTF-8\"?>",
                "<config>",
                "  <file name=\"trainers\" value=\"" + ROOT.resolve("configs/fashion-mnist-trainers.xml") + "\"/>",
                "  <component name=\"tiny-labels\" type=\"org.tribuo.classification.LabelFactory\"/>",
                "  <component name=\"tiny-train\" type=\"org.tribuo.datasource.IDXDataSource\">",
                "    <property name=\"featuresPath\" value=\"" + data.resolve("train-images-idx3-ubyte.gz") + "\"/>",
                "    <property name=\"outputPath\" value=\"" + data.resolve("train-labels-idx1-ubyte.gz") + "\"/>",
                "    <property name=\"outputFactory\" value=\"tiny-labels\"/>",
                "  </component>",
                "  <component name=\"tiny-test\" type=\"org.tribuo.datasource.IDXDataSource\">",
                "    <property name=\"featuresPath\" value=\"" + data.resolve("t10k-images-idx3-ubyte.gz") + "\"/>",
                "    <property name=\"outputPath\" value=\"" + data.resolve("t10k-labels-idx1-ubyte.gz") + "\"/>",
                "    <property name=\"outputFactory\" value=\"tiny-labels\"/>",
                "  </component>",
                BAD_TRAINER,
                "  <component name=\"experiment\" type=\"io.github.randomgradient.cli.Experiment\">",
                "    <propertylist name=\"trainers\"><item>mlp-baseline</item><item>bad</item></propertylist>",
                "    <propertylist name=\"seeds\"><item>1</item><item>2</item></propertylist>",
                "    <property name=\"epochs\" value=\"1\"/>",
                "    <property name=\"trainSource\" value=\"tiny-train\"/>",
                "    <property name=\"testSource\" value=\"tiny-test\"/>",
                "    <property name=\"outputDirectory\" value=\"" + output + "\"/>",
                "  </component>",
                "</config>",
                "");
    }

    /** {@code text} with {@code from} replaced by {@code to}; fails if {@code from} is absent. */
    static String replace(String text, String from, String to) {
        assertTrue(text.contains(from), "fixture does not contain: " + from);
        return text.replace(from, to);
    }
}

package io.github.randomgradient.examples;

import io.github.randomgradient.cli.TribuoRg;
import io.github.randomgradient.run.RunFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static io.github.randomgradient.examples.BadInputFixtures.experimentXml;
import static io.github.randomgradient.examples.BadInputFixtures.gzip;
import static io.github.randomgradient.examples.BadInputFixtures.idx;
import static io.github.randomgradient.examples.BadInputFixtures.replace;
import static io.github.randomgradient.examples.BadInputFixtures.tribuoRg;
import static io.github.randomgradient.examples.BadInputFixtures.withFile;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The parts of the exit-status contract that need training: a run that diverges under
 * {@code divergencePolicy=FAIL} exits 3 with one line naming trainer, seed, epoch, step, loss,
 * learning rate and loss scale; an all-zero image trains; and the main job runs from a clone
 * whose path has a space, in its own JVM, as a user starts it.
 */
public class CliContractTest {

    @TempDir
    static Path tmp;

    @Test
    public void divergenceUnderFailExitsThreeWithOneLine() throws IOException {
        Path data = BadInputFixtures.goodData(tmp.resolve("data"));
        Path out = tmp.resolve("diverged-out");
        String xml = experimentXml(data, out);
        xml = replace(xml, "<item>mlp-baseline</item><item>bad</item>", "<item>bad</item>");
        xml = replace(xml, "<property name=\"learningRate\" value=\"0.05\"/>", "<property name=\"learningRate\" value=\"1e30\"/>");
        xml = replace(xml, "<property name=\"divergencePolicy\" value=\"STOP\"/>", "<property name=\"divergencePolicy\" value=\"FAIL\"/>");
        Path cfg = Files.writeString(tmp.resolve("diverge.xml"), xml);

        BadInputFixtures.Result r = tribuoRg("experiment", "-c", cfg.toString(), "--seeds", "7");
        assertEquals(3, r.status(), r.err());
        String err = r.err().strip();
        assertFalse(err.contains("\n"), "one line: " + err);
        for (String f : List.of("diverged", "divergencePolicy=FAIL", "trainer 'bad'", "seed 7", "epoch 1", "step ", "loss ",
                "learning rate 1.0E30", "loss scale ")) {
            assertTrue(err.contains(f), "'" + f + "' in: " + err);
        }
        assertFalse(RunFiles.of(out, "bad", 7L).isComplete(), "the diverged run is not recorded as complete");
        assertFalse(Files.exists(out.resolve("report")), "no report");
    }

    /**
     * A huge but finite loss scale and one mini-batch per epoch: the single update leaves finite
     * parameters that predict NaN, which no training step sees. Under FAIL the experiment exits 3
     * naming the non-finite logits; under STOP it records the run as diverged (with the last
     * healthy parameters) and exits 0.
     */
    @Test
    public void aHugeFiniteLossScaleIsADivergenceUnderBothPolicies() throws IOException {
        Path data = BadInputFixtures.goodData(tmp.resolve("huge-data"));
        for (String policy : List.of("FAIL", "STOP")) {
            Path out = tmp.resolve("huge-" + policy);
            String xml = experimentXml(data, out);
            xml = replace(xml, "<item>mlp-baseline</item><item>bad</item>", "<item>bad</item>");
            xml = replace(xml, "<property name=\"batchSize\" value=\"8\"/>", "<property name=\"batchSize\" value=\"64\"/>");
            xml = replace(xml, "<property name=\"divergencePolicy\" value=\"STOP\"/>",
                    "<property name=\"divergencePolicy\" value=\"" + policy + "\"/>");
            xml = replace(xml, "<component name=\"bad-scale\" type=\"io.github.randomgradient.rg.UniformLossScale\">\n"
                            + "    <property name=\"low\" value=\"0.0\"/>\n    <property name=\"high\" value=\"1.0\"/>\n"
                            + "    <property name=\"applyProbability\" value=\"1.0\"/>",
                    "<component name=\"bad-scale\" type=\"io.github.randomgradient.rg.ConstantLossScale\">\n"
                            + "    <property name=\"value\" value=\"3e38\"/>");
            Path cfg = Files.writeString(tmp.resolve("huge-" + policy + ".xml"), xml);
            BadInputFixtures.Result r = tribuoRg("experiment", "-c", cfg.toString(), "--seeds", "7");
            if (policy.equals("FAIL")) {
                assertEquals(3, r.status(), r.err());
                assertTrue(r.err().contains("non-finite"), r.err());
                assertTrue(r.err().contains("logits"), r.err());
                assertFalse(RunFiles.of(out, "bad", 7L).isComplete());
            } else {
                assertEquals(0, r.status(), r.err());
                RunFiles run = RunFiles.of(out, "bad", 7L);
                assertTrue(run.isComplete());
                String what = run.readHistory().orElseThrow().divergenceIfAny().orElseThrow().what();
                assertTrue(what.contains("logits"), what);
            }
        }
    }

    @Test
    public void anAllZeroImageIsTrainedOnLikeAnyOther() throws IOException {
        Path good = BadInputFixtures.goodData(tmp.resolve("zero-good"));
        byte[] pixels = new byte[40 * 28 * 28];
        new java.util.Random(5).nextBytes(pixels);
        java.util.Arrays.fill(pixels, 3 * 784, 4 * 784, (byte) 0); // image 3 is all zero
        Path data = withFile(good, tmp.resolve("zero"), "train-images-idx3-ubyte.gz", gzip(idx(0x08, new int[]{40, 28, 28}, pixels)));
        Path out = tmp.resolve("zero-out");
        String xml = replace(experimentXml(data, out), "<item>mlp-baseline</item><item>bad</item>", "<item>mlp-baseline</item>");
        Path cfg = Files.writeString(tmp.resolve("zero.xml"), xml);
        BadInputFixtures.Result r = tribuoRg("experiment", "-c", cfg.toString(), "--seeds", "1");
        assertEquals(0, r.status(), r.err());
        assertEquals(40, RunFiles.of(out, "mlp-baseline", 1L).readRun().trainExamples(), "every image, the all-zero one included");
    }

    @Test
    public void mainJobRunsFromAClonePathWithASpace() throws Exception {
        Path clone = Files.createDirectories(tmp.resolve("my clone"));
        Path configs = Files.createDirectories(clone.resolve("configs"));
        try (Stream<Path> files = Files.list(ExperimentCliTest.ROOT.resolve("configs"))) {
            for (Path f : (Iterable<Path>) files::iterator) {
                Files.copy(f, configs.resolve(f.getFileName()));
            }
        }
        MakeFashionMnistSubset.main(new String[]{ExperimentCliTest.ROOT.resolve("data/fashion-mnist-subset").toString(),
                clone.resolve("data/fashion-mnist-subset").toString(), "20", "10"});
        List<String> command = new ArrayList<>(List.of(Paths.get(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"),
                "-Djava.awt.headless=true", "-Dai.djl.offline=true", "-DOPT_OUT_TRACKING=true",
                "-Dai.djl.pytorch.num_threads=1", "-Dai.djl.pytorch.num_interop_threads=1",
                TribuoRg.class.getName(), "experiment", "-c", "configs/experiment-fashion-mnist.xml", "--epochs", "1", "--seeds", "1"));
        Process p = new ProcessBuilder(command).directory(clone.toFile()).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), output);
        Path report = clone.resolve("runs/fashion-mnist/report");
        assertTrue(Files.size(report.resolve("report.html")) > 0, output);
        for (String trainer : List.of("cnn-baseline", "cnn-rg", "cnn-rg-lr-matched-baseline")) {
            RunFiles run = RunFiles.of(clone.resolve("runs/fashion-mnist"), trainer, 1L);
            assertTrue(run.isComplete(), trainer);
            assertEquals(200, run.readRun().trainExamples());
            assertEquals(1, run.readHistory().orElseThrow().epochs().size(), "--epochs 1");
        }
    }
}

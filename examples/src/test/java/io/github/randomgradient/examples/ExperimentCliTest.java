package io.github.randomgradient.examples;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.protobuf.Any;
import com.google.protobuf.ByteString;
import io.github.randomgradient.djl.DJLModel;
import io.github.randomgradient.djl.protos.DJLModelProto;
import io.github.randomgradient.examples.BadInputFixtures.Result;
import io.github.randomgradient.run.EvaluationRecord;
import io.github.randomgradient.run.RunFiles;
import io.github.randomgradient.run.RunRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.tribuo.Model;
import org.tribuo.protos.core.ModelProto;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.stream.Stream;

import static io.github.randomgradient.examples.BadInputFixtures.tribuoRg;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The {@code tribuo-rg} command line end to end, on a tiny real subset of Fashion-MNIST (300 training
 * and 100 test images cut from the bundled subset): 2 trainers x 2 seeds x 1 epoch.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
public class ExperimentCliTest {

    /** The repository root, seen from this module's directory (Maven's working directory for tests). */
    static final Path ROOT = Paths.get("..").toAbsolutePath().normalize();

    static final List<String> TRAINERS = List.of("mlp-baseline", "mlp-rg");
    static final long[] SEEDS = {1L, 2L};

    @TempDir
    static Path tmp;

    static Path tiny;
    static Path config;
    static Path output;

    static String experimentXml(String trainers, String outputDir) {
        return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<config>\n"
                + "  <file name=\"trainers\" value=\"" + ROOT.resolve("configs/fashion-mnist-trainers.xml") + "\"/>\n"
                + "  <file name=\"data\" value=\"" + ROOT.resolve("configs/data-fashion-mnist.xml") + "\"/>\n"
                + "  <component name=\"experiment\" type=\"io.github.randomgradient.cli.Experiment\">\n"
                + "    <propertylist name=\"trainers\">" + trainers + "</propertylist>\n"
                + "    <propertylist name=\"seeds\"><item>1</item><item>2</item></propertylist>\n"
                + "    <property name=\"epochs\" value=\"1\"/>\n"
                + "    <property name=\"trainSource\" value=\"fashion-mnist-bundled-train\"/>\n"
                + "    <property name=\"testSource\" value=\"fashion-mnist-bundled-test\"/>\n"
                + "    <property name=\"outputDirectory\" value=\"" + outputDir + "\"/>\n"
                + "    <property name=\"targetAccuracy\" value=\"0.5\"/>\n"
                + "  </component>\n</config>\n";
    }

    @BeforeAll
    static void setUp() throws IOException {
        tiny = tmp.resolve("tiny");
        MakeFashionMnistSubset.main(new String[]{ROOT.resolve("data/fashion-mnist-subset").toString(), tiny.toString(), "30", "10"});
        output = tmp.resolve("experiment");
        config = tmp.resolve("experiment.xml");
        Files.writeString(config, experimentXml("<item>mlp-baseline</item><item>mlp-rg</item>", output.toString()));
    }

    static RunFiles run(String trainer, long seed) {
        return RunFiles.of(output, trainer, seed);
    }

    @Test
    @Order(1)
    public void experimentWritesEveryFileAndAReportThatMatchesTheRunFiles() throws IOException {
        Result r = tribuoRg("experiment", "-c", config.toString(), "--data", tiny.toString(), "--output-dir", output.toString());
        assertEquals(0, r.status(), r.err());
        assertTrue(r.out().contains("mlp-baseline") && r.out().contains("Report: "), r.out());
        // The answer is the last thing printed.
        String[] lines = r.out().strip().split("\n");
        assertTrue(lines[lines.length - 1].startsWith("mlp-rg − mlp-baseline test accuracy: "), r.out());
        // Runs are interleaved by seed: both trainers for seed 1, then seed 2.
        assertTrue(java.time.OffsetDateTime.parse(run("mlp-rg", 1L).readRun().finishedAt())
                .isBefore(java.time.OffsetDateTime.parse(run("mlp-baseline", 2L).readRun().finishedAt())));
        for (String trainer : TRAINERS) {
            for (long seed : SEEDS) {
                RunFiles files = run(trainer, seed);
                for (String name : List.of(RunFiles.MODEL, RunFiles.PROVENANCE, RunFiles.EVALUATION, RunFiles.HISTORY, RunFiles.RUN)) {
                    assertTrue(Files.size(files.file(name)) > 0, files.file(name) + " is missing or empty");
                }
                RunRecord record = files.readRun();
                assertEquals(trainer, record.trainer());
                assertEquals(seed, record.seed());
                assertEquals(300, record.trainExamples());
                assertEquals(100, record.testExamples());
                assertEquals(trainer.endsWith("rg") ? 0.5 : 1.0, record.lossScaleMean());
                assertEquals(1, files.readHistory().orElseThrow().epochs().size());
            }
        }
        Path report = output.resolve("report");
        for (String name : List.of("report.md", "report.html", "report.json", "loss.png", "accuracy.png", "step-loss.png")) {
            assertTrue(Files.size(report.resolve(name)) > 0, name);
        }
        // The report's numbers are recomputed from the run files.
        JsonNode json = RunFiles.JSON.readTree(report.resolve("report.json").toFile());
        for (JsonNode t : json.get("trainers")) {
            String trainer = t.get("trainer").asText();
            double sum = 0;
            for (long seed : SEEDS) {
                EvaluationRecord e = run(trainer, seed).readEvaluation();
                sum += e.accuracy();
            }
            assertEquals(sum / SEEDS.length, t.get("accuracy").get("mean").asDouble(), 1e-12, trainer);
            assertEquals(2, t.get("accuracy").get("n").asInt());
        }
        assertEquals(2, json.get("trainers").size());
        String html = Files.readString(report.resolve("report.html"));
        assertTrue(html.contains("<svg"), "charts are inline SVG");
    }

    @Test
    @Order(2)
    public void resumeSkipsFinishedRunsAndRedoesPartialOnes() throws IOException {
        RunFiles finished = run("mlp-baseline", 1L);
        RunFiles partial = run("mlp-rg", 2L);
        FileTime finishedAt = Files.getLastModifiedTime(finished.file(RunFiles.RUN));
        byte[] finishedModel = Files.readAllBytes(finished.file(RunFiles.MODEL));
        // Simulate an interrupted run: its completion marker never got written, a temporary file was left.
        Files.delete(partial.file(RunFiles.RUN));
        Files.writeString(partial.dir().resolve(".model.tribuo.pb.1234.partial"), "half a model");
        Files.writeString(partial.file(RunFiles.EVALUATION), "{\"accuracy\": 0.");
        // A kill while the report was being written leaves hidden temporary files behind.
        Path leftover = output.resolve("report").resolve(".report.html.0b0e9a3c-1f1c-4d3b-9d51-2c1e7d9c0a11.partial");
        Files.writeString(leftover, "<html>half a report");

        Result r = tribuoRg("experiment", "-c", config.toString(), "--data", tiny.toString(), "--output-dir", output.toString());
        assertEquals(0, r.status(), r.err());
        assertEquals(finishedAt, Files.getLastModifiedTime(finished.file(RunFiles.RUN)), "a finished run was redone");
        assertTrue(java.util.Arrays.equals(finishedModel, Files.readAllBytes(finished.file(RunFiles.MODEL))));
        assertTrue(partial.isComplete(), "the partial run was redone");
        assertEquals(2L, partial.readRun().seed());
        try (Stream<Path> files = Files.list(partial.dir())) {
            assertTrue(files.noneMatch(p -> p.getFileName().toString().endsWith(".partial")), "temporary files are cleaned up");
        }
        assertFalse(Files.exists(leftover), "the next run removes the report's leftover temporary files");
    }

    @Test
    @Order(3)
    public void finishedRunsOfAnotherConfigurationStopTheExperimentBeforeTraining() throws IOException {
        FileTime before = Files.getLastModifiedTime(run("mlp-rg", 2L).file(RunFiles.RUN));
        Result r = tribuoRg("experiment", "-c", config.toString(), "--data", tiny.toString(), "--output-dir", output.toString(),
                "--epochs", "2");
        assertFailsCleanly(r, null, "was trained with another configuration", "epochs: 1 -> 2", "mlp-baseline");
        assertEquals(before, Files.getLastModifiedTime(run("mlp-rg", 2L).file(RunFiles.RUN)), "nothing was redone");
    }

    @Test
    @Order(3)
    public void auditPrintsLossScaleLearningRateAndMomentum() {
        Result r = tribuoRg("audit", "--model", run("mlp-rg", 1L).file(RunFiles.MODEL).toString());
        assertEquals(0, r.status(), r.err());
        assertTrue(r.out().contains("U[0.0, 1.0)"), r.out());
        assertTrue(r.out().matches("(?s).*loss scale range\\s+\\[0\\.0, 1\\.0\\].*"), r.out());
        assertTrue(r.out().matches("(?s).*learning rate\\s+0\\.05\\n.*"), r.out());
        assertTrue(r.out().matches("(?s).*effective learning rate \\(lr x E\\[u\\]\\)\\s+0\\.025.*"), r.out());
        assertTrue(r.out().matches("(?s).*momentum\\s+0\\.9\\n.*"), r.out());
        assertTrue(r.out().matches("(?s).*optimiser\\s+SGD \\(update rule torch\\.optim\\.SGD\\)\\n.*"), r.out());
        assertTrue(r.out().matches("(?s).*seed\\s+1\\n.*"), r.out());
        assertTrue(r.out().contains("SHA-256"), "data hash: " + r.out());
    }

    @Test
    @Order(4)
    public void reportRebuildsFromRunDirectories() throws IOException {
        Path rebuilt = tmp.resolve("rebuilt");
        Result r = tribuoRg("report", "--runs", output.toString(), "--output-dir", rebuilt.toString());
        assertEquals(0, r.status(), r.err());
        JsonNode original = RunFiles.JSON.readTree(output.resolve("report/report.json").toFile());
        JsonNode again = RunFiles.JSON.readTree(rebuilt.resolve("report.json").toFile());
        assertEquals(original.get("trainers").get(1).get("accuracy"), again.get("trainers").get(1).get("accuracy"));
        // The experiment's own target accuracy and title, recorded with its runs, not the report command's defaults.
        assertEquals(0.5, again.get("targetAccuracy").asDouble(), 0.0);
        assertEquals(original.get("title"), again.get("title"));
        assertEquals(original.get("verdicts"), again.get("verdicts"));
    }

    @Test
    @Order(5)
    public void reportFromTwoSavedModels() throws IOException {
        Path out = tmp.resolve("from-models");
        String models = run("mlp-baseline", 1L).file(RunFiles.MODEL) + "," + run("mlp-rg", 1L).file(RunFiles.MODEL);
        Result r = tribuoRg("report", "--models", models, "--data", tiny.toString(), "--output-dir", out.toString());
        assertEquals(0, r.status(), r.err());
        JsonNode json = RunFiles.JSON.readTree(out.resolve("report.json").toFile());
        assertEquals(2, json.get("trainers").size());
        // the saved model evaluated again gives the accuracy its run recorded
        assertEquals(run("mlp-rg", 1L).readEvaluation().accuracy(),
                json.get("trainers").get(1).get("accuracy").get("mean").asDouble(), 1e-12);
    }

    private static void assertFailsCleanly(Result r, Path out, String... fragments) {
        assertEquals(2, r.status(), "exit status; stderr: " + r.err());
        for (String f : fragments) {
            assertTrue(r.err().contains(f), "stderr should contain '" + f + "': " + r.err());
        }
        assertFalse(r.err().contains("\tat "), "no stack trace: " + r.err());
        if (out != null) {
            assertFalse(Files.exists(out.resolve("report")), "no partial report");
        }
    }

    @Test
    public void malformedConfigFailsCleanly() throws IOException {
        Path bad = tmp.resolve("malformed.xml");
        Files.writeString(bad, "<?xml version=\"1.0\"?>\n<config>\n  <component name=\"experiment\" type=\"io.github.randomgradient.cli.Experiment\">\n");
        Path out = tmp.resolve("malformed-out");
        assertFailsCleanly(tribuoRg("experiment", "-c", bad.toString(), "--output-dir", out.toString()), out,
                "could not load config", "malformed.xml");
    }

    @Test
    public void unknownTrainerNameFailsCleanly() throws IOException {
        Path out = tmp.resolve("unknown-out");
        Path cfg = tmp.resolve("unknown.xml");
        Files.writeString(cfg, experimentXml("<item>mlp-baseline</item><item>mlp-rgg</item>", out.toString()));
        assertFailsCleanly(tribuoRg("experiment", "-c", cfg.toString(), "--data", tiny.toString()), null,
                "unknown trainer name 'mlp-rgg'", "mlp-rg");
        assertFalse(Files.exists(out), "nothing was trained or written");
    }

    @Test
    public void missingDataPathFailsCleanly() {
        Path out = tmp.resolve("missing-out");
        Path nowhere = tmp.resolve("no-such-data");
        assertFailsCleanly(tribuoRg("experiment", "-c", config.toString(), "--data", nowhere.toString(), "--output-dir", out.toString()),
                out, "data file not found", nowhere.toString(), "a data directory must hold", "--data bundled");
    }

    @Test
    public void corruptModelFailsAuditCleanly() throws IOException {
        Path corrupt = tmp.resolve("corrupt.tribuo.pb");
        Files.write(corrupt, new byte[]{8, 1, 18, 3, 'x', 'y'});
        assertFailsCleanly(tribuoRg("audit", "--model", corrupt.toString()), null, "could not read model file", "corrupt.tribuo.pb");
        assertFailsCleanly(tribuoRg("audit", "--model", tmp.resolve("absent.pb").toString()), null, "model file not found");
    }

    /** A copy of a run's saved model, its DJLModel message edited, with version {@code version}. */
    private static Path editedModel(String name, int version, java.util.function.UnaryOperator<DJLModelProto.Builder> edit) throws IOException {
        ModelProto proto;
        try (var in = Files.newInputStream(run("mlp-rg", 1L).file(RunFiles.MODEL))) {
            proto = ModelProto.parseFrom(in);
        }
        DJLModelProto inner = proto.getSerializedData().unpack(DJLModelProto.class);
        Path file = tmp.resolve(name);
        Files.write(file, proto.toBuilder().setVersion(version)
                .setSerializedData(Any.pack(edit.apply(inner.toBuilder()).build())).build().toByteArray());
        return file;
    }

    @Test
    @Order(5)
    public void tamperedModelFailsAuditAndReportNamingTheFile() throws IOException {
        Path tampered = editedModel("tampered.tribuo.pb", DJLModel.CURRENT_VERSION, b -> {
            byte[] params = b.getParameters().toByteArray();
            for (int i = params.length / 2 - 100; i < params.length / 2 + 100; i++) {
                params[i] = (byte) ~params[i];
            }
            return b.setParameters(ByteString.copyFrom(params));
        });
        assertFailsCleanly(tribuoRg("audit", "--model", tampered.toString()), null, "could not read model file",
                tampered.toAbsolutePath().toString(), "do not match the stored SHA-256");
        Path out = tmp.resolve("tampered-report");
        assertFailsCleanly(tribuoRg("report", "--models", tampered.toString(), "--data", tiny.toString(), "--output-dir", out.toString()),
                null, "tampered.tribuo.pb", "SHA-256");
        Path newer = editedModel("newer.tribuo.pb", 99, b -> b);
        Result r = tribuoRg("audit", "--model", newer.toString());
        assertFailsCleanly(r, null, "newer.tribuo.pb", "written by format version 99; this build reads up to " + DJLModel.CURRENT_VERSION);
        assertFalse(r.err().contains("corrupt"), r.err());
    }

    @Test
    @Order(6)
    public void trainersRunUnchangedWithTribuosConfigurableTrainTest() throws Exception {
        Path data = tmp.resolve("protobuf-data");
        Result r = tribuoRg("export-data", "--data", tiny.toString(), "--output-dir", data.toString());
        assertEquals(0, r.status(), r.err());
        Path model = tmp.resolve("configurable-train-test.tribuo.pb");
        org.tribuo.classification.experiments.ConfigurableTrainTest.main(new String[]{
                "-c", ROOT.resolve("configs/fashion-mnist-trainers.xml").toString(), "--trainer", "mlp-rg",
                "--input-format", "SERIALIZED_PROTOBUF",
                "--training-file", data.resolve("train.tribuo.pb").toString(),
                "--testing-file", data.resolve("test.tribuo.pb").toString(),
                "--model-output-path", model.toString(), "--model-output-protobuf", "true"});
        Model<?> loaded = Model.deserializeFromFile(model);
        assertTrue(loaded instanceof DJLModel, loaded.getClass().getName());
        assertEquals("io.github.randomgradient.rg.UniformLossScale",
                ((com.oracle.labs.mlrg.olcut.provenance.ConfiguredObjectProvenance) loaded.getProvenance().getTrainerProvenance()
                        .getConfiguredParameters().get("lossScale")).getClassName());
        assertEquals(3, ((DJLModel<?>) loaded).getTrainingHistory().epochs().size(), "the config's 3 epochs, unchanged");
    }
}

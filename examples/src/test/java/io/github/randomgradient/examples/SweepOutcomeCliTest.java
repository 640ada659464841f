package io.github.randomgradient.examples;

import io.github.randomgradient.run.RunFiles;
import io.github.randomgradient.sweep.SweepRunRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static io.github.randomgradient.examples.BadInputFixtures.tribuoRg;
import static io.github.randomgradient.examples.ExperimentCliTest.ROOT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * End to end on tiny data: a run that diverges deterministically under {@code divergencePolicy=FAIL}
 * is the run's recorded outcome (reported, exit status 3, never trained again), and long component
 * names train and publish under every command, their directory names bounded.
 */
public class SweepOutcomeCliTest {

    @TempDir
    static Path tmp;

    static Path smoke;
    static Path tiny;

    @BeforeAll
    static void setUp() throws IOException {
        Path configs = Files.createDirectories(tmp.resolve("configs"));
        try (Stream<Path> files = Files.list(ROOT.resolve("configs"))) {
            for (Path f : (Iterable<Path>) files.filter(f -> f.toString().endsWith(".xml"))::iterator) {
                Files.copy(f, configs.resolve(f.getFileName()));
            }
        }
        smoke = configs.resolve("sweep-smoke.xml");
        tiny = tmp.resolve("tiny");
        MakeFashionMnistSubset.main(new String[]{ROOT.resolve("data/fashion-mnist-subset").toString(), tiny.toString(), "30", "10"});
    }

    static BadInputFixtures.Result sweep(Path config, Path out) {
        return tribuoRg("sweep", "-c", config.toString(), "--sweep", "s", "--data", tiny.toString(), "-o", out.toString(), "--workers", "1");
    }

    static Path sweepXml(String name, String trainer, String axes, String components) throws IOException {
        Path p = tmp.resolve(name + ".xml");
        Files.writeString(p, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<config>\n"
                + "  <file name=\"smoke\" value=\"" + smoke + "\"/>\n" + components
                + "  <component name=\"s\" type=\"io.github.randomgradient.sweep.Sweep\">\n"
                + "    <property name=\"trainer\" value=\"" + trainer + "\"/>\n"
                + "    <property name=\"trainSource\" value=\"fashion-mnist-bundled-train\"/>\n"
                + "    <property name=\"testSource\" value=\"fashion-mnist-bundled-test\"/>\n"
                + "    <propertylist name=\"seeds\"><item>1</item></propertylist>\n"
                + axes + "  </component>\n</config>\n", StandardCharsets.UTF_8);
        return p;
    }

    static List<Path> runDirs(Path out) throws IOException {
        try (Stream<Path> s = Files.list(out.resolve("runs"))) {
            return s.filter(p -> !p.getFileName().toString().startsWith(".")).sorted().collect(Collectors.toList());
        }
    }

    @Test
    public void aDivergenceUnderFailIsRecordedReportedAndNeverTrainedAgain() throws IOException {
        String failing = "  <component name=\"mlp-fail\" type=\"io.github.randomgradient.djl.DJLTrainer\">\n"
                + "    <property name=\"blockFactory\" value=\"smoke-mlp\"/>\n"
                + "    <property name=\"featureConverter\" value=\"fashion-mnist-image\"/>\n"
                + "    <property name=\"outputConverter\" value=\"label-converter\"/>\n"
                + "    <property name=\"lossScale\" value=\"baseline-scale\"/>\n"
                + "    <property name=\"learningRate\" value=\"0.05\"/>\n"
                + "    <property name=\"epochs\" value=\"1\"/>\n"
                + "    <property name=\"device\" value=\"cpu\"/>\n"
                + "    <property name=\"divergencePolicy\" value=\"FAIL\"/>\n"
                + "  </component>\n";
        // learning rate 1e30: the first updates overflow, the same way for the same seed every time.
        Path config = sweepXml("diverging", "mlp-fail", "<propertylist name=\"learningRate\"><item>1e30</item></propertylist>\n"
                + "<propertylist name=\"lossScale\"><item>rg-uniform</item></propertylist>\n", failing);
        Path out = tmp.resolve("diverging-out");
        BadInputFixtures.Result first = sweep(config, out);
        assertEquals(3, first.status(), first.err() + first.out());
        assertTrue(first.err().contains("3 of the sweep's 3 runs diverged under divergencePolicy=FAIL")
                && first.err().contains("not trained again") && !first.err().contains("\tat "), first.err());
        assertTrue(first.out().contains("3 to train"), first.out());
        List<Path> runs = runDirs(out);
        assertEquals(3, runs.size());
        for (Path run : runs) {
            SweepRunRecord r = RunFiles.JSON.readValue(run.resolve(SweepRunRecord.FILE).toFile(), SweepRunRecord.class);
            assertTrue(r.divergence() != null && r.validation() == null, run.toString());
            assertFalse(Files.exists(run.resolve(RunFiles.MODEL)), "no model under FAIL");
        }
        String report = Files.readString(out.resolve("report").resolve("report.md"));
        assertEquals(3, report.lines().filter(l -> l.contains("| diverged |")).count() / 2, "each run in both run tables: " + report);

        // A rerun keeps the recorded divergences: nothing trains, the report is written again, exit 3 again.
        long modified = Files.getLastModifiedTime(runs.get(0).resolve(SweepRunRecord.FILE)).toMillis();
        BadInputFixtures.Result again = sweep(config, out);
        assertEquals(3, again.status(), again.err());
        assertTrue(again.out().contains("3 already done, 0 to train"), again.out());
        assertEquals(modified, Files.getLastModifiedTime(runs.get(0).resolve(SweepRunRecord.FILE)).toMillis());
    }

    @Test
    public void aLongLossScaleNameTrainsOnceAndPublishes() throws IOException {
        String name = "uniform-loss-scale-".repeat(12) + "u01";   // 231 characters
        Path config = sweepXml("long-scale", "smoke-mlp-baseline", "<propertylist name=\"lossScale\"><item>" + name + "</item></propertylist>\n",
                "  <component name=\"" + name + "\" type=\"io.github.randomgradient.rg.UniformLossScale\"/>\n");
        Path out = tmp.resolve("long-scale-out");
        BadInputFixtures.Result r = sweep(config, out);
        assertEquals(0, r.status(), r.err());
        assertFalse(r.out().contains("retrying"), r.out());
        assertEquals(3, runDirs(out).size());
        assertTrue(Files.readString(out.resolve("report").resolve("report.md")).contains("rg(" + name + ")"));

        // Resume keys on identities: a finished run under another name (as an earlier version named it)
        // is found by the identity in its sweep-run.json, renamed and kept, not trained again.
        Path run = runDirs(out).get(0);
        Path old = run.resolveSibling("lossScale=" + name.substring(0, 200) + "__seed=1__" + run.getFileName().toString()
                .substring(run.getFileName().toString().length() - 12, run.getFileName().toString().length() - 4));
        Files.move(run, old);
        long modified = Files.getLastModifiedTime(old.resolve(RunFiles.MODEL)).toMillis();
        BadInputFixtures.Result again = sweep(config, out);
        assertEquals(0, again.status(), again.err());
        assertTrue(again.out().contains("renamed 1 finished run directories") && again.out().contains("3 already done, 0 to train"),
                again.out());
        assertFalse(Files.exists(old));
        assertEquals(modified, Files.getLastModifiedTime(run.resolve(RunFiles.MODEL)).toMillis(), "kept byte for byte, not retrained");
    }

    @Test
    public void aLongTrainerNameTrainsItsRunsAndReports() throws IOException {
        String name = "mlp-baseline-with-a-long-name-".repeat(10);   // 300 characters
        Path data = BadInputFixtures.goodData(tmp.resolve("good"));
        Path out = tmp.resolve("long-trainer-out");
        String xml = BadInputFixtures.experimentXml(data, out);
        xml = BadInputFixtures.replace(xml, "<component name=\"bad\"", "<component name=\"" + name + "\"");
        xml = BadInputFixtures.replace(xml, "<item>bad</item>", "<item>" + name + "</item>");
        Path config = tmp.resolve("long-trainer.xml");
        Files.writeString(config, xml, StandardCharsets.UTF_8);
        BadInputFixtures.Result r = tribuoRg("experiment", "-c", config.toString());
        assertEquals(0, r.status(), r.err());
        try (Stream<Path> s = Files.list(out.resolve("runs"))) {
            List<String> dirs = s.map(p -> p.getFileName().toString()).sorted().toList();
            assertEquals(2, dirs.size(), dirs.toString());
            String longDir = dirs.stream().filter(d -> d.startsWith("mlp-baseline-with")).findFirst().orElseThrow();
            assertTrue(longDir.getBytes(StandardCharsets.UTF_8).length <= RunFiles.MAX_NAME_BYTES, longDir);
            assertTrue(Files.isRegularFile(out.resolve("runs").resolve(longDir).resolve("seed-2").resolve(RunFiles.RUN)));
        }
        assertTrue(Files.readString(out.resolve("report").resolve("report.md")).contains(name), "the report names the trainer in full");
    }
}

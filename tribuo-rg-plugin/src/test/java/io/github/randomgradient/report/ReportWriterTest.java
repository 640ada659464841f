package io.github.randomgradient.report;

import io.github.randomgradient.history.Divergence;
import io.github.randomgradient.history.TrainingHistory;
import com.oracle.labs.mlrg.olcut.provenance.primitives.BooleanProvenance;
import com.oracle.labs.mlrg.olcut.provenance.primitives.StringProvenance;
import io.github.randomgradient.run.FailedRun;
import io.github.randomgradient.run.RunFiles;
import io.github.randomgradient.run.RunRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static io.github.randomgradient.report.RunFixtures.BASELINE;
import static io.github.randomgradient.report.RunFixtures.RG;
import static io.github.randomgradient.report.RunFixtures.TARGET;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link ReportWriter}: the five files, a self-contained HTML page, JSON that round-trips, and no
 * file at all when a run directory is corrupt.
 */
public class ReportWriterTest {

    @TempDir
    static Path output;

    private static Map<String, List<RunFiles>> experiment;

    private static final ReportOptions OPTIONS = new ReportOptions(List.of(), TARGET, "RG vs baseline <linear & SGD>");

    private static final byte[] PNG_MAGIC = {(byte) 0x89, 'P', 'N', 'G'};

    @BeforeAll
    public static void writeRuns() {
        experiment = RunFixtures.writeExperiment(output);
    }

    @Test
    public void writesAllFilesAndASelfContainedPage(@TempDir Path dir) throws IOException {
        ComparisonReport report = ComparisonReport.build(RunFixtures.select(experiment, 3), OPTIONS);
        List<Path> written = ReportWriter.write(report, dir);
        assertEquals(List.of(dir.resolve("report.md"), dir.resolve("report.html"), dir.resolve("report.json"),
                dir.resolve("loss.png"), dir.resolve("accuracy.png"), dir.resolve("step-loss.png")), written);
        for (Path p : written) {
            assertTrue(Files.isRegularFile(p) && Files.size(p) > 0, p + " missing or empty");
        }
        assertArrayEquals(PNG_MAGIC, Arrays.copyOf(Files.readAllBytes(dir.resolve("loss.png")), 4));
        assertArrayEquals(PNG_MAGIC, Arrays.copyOf(Files.readAllBytes(dir.resolve("accuracy.png")), 4));
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(6, files.count(), "temporary files left behind");
        }

        String html = Files.readString(dir.resolve("report.html"), StandardCharsets.UTF_8);
        assertEquals(3, html.split("<svg", -1).length - 1, "three inline charts");
        assertFalse(html.contains("http://") || html.contains("https://"), "the page holds a URL");
        Matcher link = Pattern.compile("(?i)\\b(src|href)\\s*=").matcher(html);
        assertFalse(link.find(), "the page references a resource");
        assertFalse(html.toLowerCase().contains("<script") || html.toLowerCase().contains("<link"));
        assertTrue(html.contains("<style>"));
        assertTrue(html.contains("RG vs baseline &lt;linear &amp; SGD&gt;"), "title escaped");
        assertTrue(html.contains(RG) && html.contains("optimiser.lossScale.high"));
        assertTrue(html.contains(escapeLikeHtml(report.data().verdicts().get(0).sentence())));

        String md = Files.readString(dir.resolve("report.md"), StandardCharsets.UTF_8);
        assertTrue(md.startsWith("# RG vs baseline <linear & SGD>\n"));
        assertTrue(md.startsWith("# RG vs baseline <linear & SGD>\n\n## Answer\n\n- " + report.data().verdicts().get(0).sentence()),
                "the answer comes first");
        for (String section : List.of("## Provenance diff", "## Loss scale and learning rate", "## Test metrics over seeds",
                "## Per-class metrics", "## Convergence and oscillation", "## Failed runs (diverged or collapsed)", "## Notes")) {
            assertTrue(md.contains(section), section);
        }
        assertTrue(md.contains("](loss.png)") && md.contains("](accuracy.png)") && md.contains("](step-loss.png)"));
        assertTrue(md.contains("| optimiser.lossScale.high | " + ReportData.MISSING + " | 1.0 | " + ReportData.MISSING + " |"), md);
        assertTrue(md.contains(report.data().verdicts().get(0).sentence()));

        assertEquals(report.data(), RunFiles.JSON.readValue(dir.resolve("report.json").toFile(), ReportData.class));

        // Writing again replaces the files.
        assertEquals(written, ReportWriter.write(report, dir));
    }

    private static String escapeLikeHtml(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;").replace("'", "&#39;");
    }

    @Test
    public void withoutFontsTheReportIsWrittenWithoutChartsAndSaysSo(@TempDir Path dir) throws IOException {
        ComparisonReport report = ComparisonReport.build(RunFixtures.select(experiment, 2), OPTIONS);
        ReportWriter.write(report, dir);
        assertTrue(Files.exists(dir.resolve(ReportWriter.LOSS_PNG)), "fonts here: charts drawn");
        String before = System.getProperty(ReportCharts.SIMULATE_NO_FONTS);
        System.setProperty(ReportCharts.SIMULATE_NO_FONTS, "true");
        try {
            assertTrue(ReportWriter.chartsUnavailable().orElseThrow().contains("No fonts found"));
            List<Path> written = ReportWriter.write(report, dir);
            assertEquals(List.of(dir.resolve(ReportWriter.MARKDOWN), dir.resolve(ReportWriter.HTML), dir.resolve(ReportWriter.JSON)), written);
            for (String png : List.of(ReportWriter.LOSS_PNG, ReportWriter.ACCURACY_PNG, ReportWriter.STEP_LOSS_PNG)) {
                assertFalse(Files.exists(dir.resolve(png)), png + " of the earlier report would show other runs");
            }
            String md = Files.readString(dir.resolve(ReportWriter.MARKDOWN));
            String html = Files.readString(dir.resolve(ReportWriter.HTML));
            assertTrue(md.contains("Charts were not drawn") && md.contains("No fonts found") && !md.contains(".png)"), md);
            assertTrue(html.contains("Charts were not drawn") && !html.contains("<svg"), "no inline chart in the page");
            assertTrue(md.contains("## Convergence and oscillation"), "the tables are all there");
        } finally {
            if (before == null) {
                System.clearProperty(ReportCharts.SIMULATE_NO_FONTS);
            } else {
                System.setProperty(ReportCharts.SIMULATE_NO_FONTS, before);
            }
        }
        assertTrue(ReportWriter.chartsUnavailable().isEmpty(), "the simulation ends with the property");
    }

    @Test
    public void nanRoundTripsThroughTheJsonFile(@TempDir Path dir) throws IOException {
        ComparisonReport report = ComparisonReport.build(RunFixtures.select(experiment, 1), OPTIONS);
        ReportWriter.write(report, dir);
        String json = Files.readString(dir.resolve("report.json"));
        assertTrue(json.contains("\"std\" : \"NaN\""), "one seed: NaN standard deviation written as \"NaN\"");
        ReportData back = RunFiles.JSON.readValue(json, ReportData.class);
        assertEquals(report.data(), back);
        assertTrue(Double.isNaN(back.trainer(RG).accuracy().std()));
        assertTrue(Double.isNaN(back.verdicts().get(0).comparison().pValue()));
    }

    @Test
    public void aDivergedRunIsListedWithItsStep(@TempDir Path dir) throws IOException {
        List<RunFiles> runs = new ArrayList<>(experiment.get(BASELINE));
        TrainingHistory full = RunFixtures.history(RG, 1L);
        Divergence divergence = new Divergence(2, 27L, Double.NaN, RunFixtures.LEARNING_RATE, 0.73);
        TrainingHistory stopped = new TrainingHistory("accuracy", "accuracy", full.epochs().subList(0, 1), divergence);
        runs.add(RunFixtures.writeRun(dir.resolve("experiment"), RG, 1L, RunFixtures.optimiser(RG, 1L),
                RunRecord.DIVERGED, stopped));
        ComparisonReport report = ComparisonReport.build(runs, OPTIONS);

        assertEquals(1, report.data().failedRuns().size());
        FailedRun d = report.data().failedRuns().get(0);
        assertEquals(RG, d.trainer());
        assertEquals(1L, d.seed());
        assertEquals(RunRecord.DIVERGED, d.status());
        assertNotNull(d.divergence());
        assertEquals(27L, d.divergence().step());
        assertEquals(2, d.divergence().epoch());
        assertEquals(0.73, d.divergence().lossScale(), 0.0);
        assertEquals(RunRecord.DIVERGED, report.data().runs().get(3).status());
        assertTrue(report.data().notes().stream().anyMatch(n -> n.startsWith("1 run(s) diverged or collapsed")));

        List<Path> written = ReportWriter.write(report, dir.resolve("report"));
        String md = Files.readString(written.get(0));
        String diverged = md.substring(md.indexOf("## Failed runs"), md.indexOf("## Test metrics"));
        assertTrue(diverged.contains("| " + RG + " | 1 | diverged | 2 | 27 | NaN | 0.05 | 0.73 | " + divergence.describe() + " |"),
                diverged);
        assertEquals(report.data(), RunFiles.JSON.readValue(written.get(2).toFile(), ReportData.class));
    }

    @Test
    public void aDivergedRunWithoutADivergenceInItsHistoryIsListedFromProvenance(@TempDir Path dir) {
        TrainingHistory full = RunFixtures.history(RG, 1L);
        Divergence divergence = new Divergence(2, 27L, Double.POSITIVE_INFINITY, RunFixtures.LEARNING_RATE, 0.73);
        // A history that does not locate the divergence; the run provenance still describes it.
        TrainingHistory stopped = new TrainingHistory("accuracy", "accuracy", full.epochs().subList(0, 1), null);
        RunFiles run = RunFixtures.writeRun(dir, RG, 1L, RunFixtures.optimiser(RG, 1L), RunRecord.DIVERGED, stopped,
                Map.of("diverged", new BooleanProvenance("diverged", true),
                        "divergence", new StringProvenance("divergence", divergence.describe())));
        FailedRun d = ComparisonReport.build(List.of(run), OPTIONS).data().failedRuns().get(0);
        assertEquals(RunRecord.DIVERGED, d.status());
        assertEquals(null, d.divergence());
        assertEquals(divergence.describe(), d.description());
        assertTrue(d.description().contains("step 27"), d.description());
    }

    @Test
    public void aCorruptEvaluationThrowsAndWritesNothing(@TempDir Path dir) throws IOException {
        Path runsDir = dir.resolve("experiment");
        RunFiles good = RunFixtures.writeRun(runsDir, BASELINE, 1L);
        RunFiles bad = RunFixtures.writeRun(runsDir, RG, 1L);
        Files.writeString(bad.file(RunFiles.EVALUATION), "{\"accuracy\" : 0.9, \"macroF1\" : 0.");
        Path reportDir = dir.resolve("report");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ReportWriter.write(ComparisonReport.build(List.of(good, bad), OPTIONS), reportDir));
        assertTrue(e.getMessage().contains(bad.file(RunFiles.EVALUATION).toString()), e.getMessage());
        assertTrue(e.getMessage().contains("evaluation.json") && e.getMessage().contains("corrupt"), e.getMessage());
        assertFalse(Files.exists(reportDir), "a report directory was created");

        // A well-formed file with a field missing is corrupt too, not a silent 0.
        Files.writeString(bad.file(RunFiles.EVALUATION), "{\"accuracy\" : 0.9}");
        e = assertThrows(IllegalArgumentException.class, () -> ComparisonReport.build(List.of(good, bad), OPTIONS));
        assertTrue(e.getMessage().contains("macroF1") && e.getMessage().contains("evaluation.json"), e.getMessage());
    }

    @Test
    public void aModelFileCutShortAnywhereIsCorruptNotComplete(@TempDir Path dir) throws IOException {
        RunFiles run = RunFixtures.writeRun(dir, RG, 1L);
        assertTrue(run.isComplete());
        byte[] whole = Files.readAllBytes(run.file(RunFiles.MODEL));
        // As a run directory written before run.json recorded the model's SHA-256: the protobuf
        // envelope alone must catch every cut.
        RunRecord hashed = run.readRun();
        run.writeJson(RunFiles.RUN, withModel(hashed, hashed.modelClass(), null));
        assertTrue(run.isComplete());
        // Every cut point in the envelope, then every 97th byte through the model bytes and the last byte.
        for (int cut = 1; cut < whole.length; cut = cut < 64 ? cut + 1 : cut + 97) {
            Files.write(run.file(RunFiles.MODEL), java.util.Arrays.copyOf(whole, cut));
            int length = cut;
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, run::read, () -> "cut at " + length);
            assertTrue(e.getMessage().contains("model.tribuo.pb") && e.getMessage().contains("is corrupt"), e.getMessage());
            assertFalse(run.isComplete(), "cut at " + cut);
        }
        Files.write(run.file(RunFiles.MODEL), java.util.Arrays.copyOf(whole, whole.length - 1));
        assertFalse(run.isComplete());
        // Another run's model (here another trainer's class name) is named too.
        Files.write(run.file(RunFiles.MODEL), whole);
        run.writeJson(RunFiles.RUN, withModel(hashed, "org.tribuo.SomeOtherModel", null));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, run::read);
        assertTrue(e.getMessage().contains("belongs to another run"), e.getMessage());
    }

    @Test
    public void anotherRunsCompleteModelIsCaughtByTheRecordedHash(@TempDir Path dir) throws IOException {
        RunFiles one = RunFixtures.writeRun(dir, RG, 1L);
        RunFiles two = RunFixtures.writeRun(dir, RG, 2L);
        assertEquals(RunFixtures.hashes(one), one.readRun().sha256());
        assertEquals(4, one.readRun().sha256().size(), "model, provenance, evaluation and history");
        Files.copy(two.file(RunFiles.MODEL), one.file(RunFiles.MODEL), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, one::read);
        assertTrue(e.getMessage().contains("model.tribuo.pb") && e.getMessage().contains("SHA-256")
                && e.getMessage().contains("replaced"), e.getMessage());
        assertFalse(one.isComplete(), "resume retrains it");
        // The same file as a symbolic link to the other run's model.
        Files.delete(one.file(RunFiles.MODEL));
        Files.createSymbolicLink(one.file(RunFiles.MODEL), two.file(RunFiles.MODEL));
        assertFalse(one.isComplete());
        // A directory in its place is named as such, not as a run that did not finish.
        Files.delete(one.file(RunFiles.MODEL));
        Files.createDirectory(one.file(RunFiles.MODEL));
        e = assertThrows(IllegalArgumentException.class, one::read);
        assertTrue(e.getMessage().contains("is a directory"), e.getMessage());
    }

    @Test
    public void anyFileOfTheRunReplacedAfterTheRunIsCorrupt(@TempDir Path dir) throws IOException {
        RunFiles one = RunFixtures.writeRun(dir, RG, 1L);
        RunFiles two = RunFixtures.writeRun(dir, RG, 2L);
        for (String name : List.of(RunFiles.EVALUATION, RunFiles.PROVENANCE, RunFiles.HISTORY)) {
            byte[] own = Files.readAllBytes(one.file(name));
            Files.copy(two.file(name), one.file(name), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, one::read, name);
            assertTrue(e.getMessage().contains(name) && e.getMessage().contains("SHA-256"), e.getMessage());
            assertFalse(one.isComplete(), name);
            Files.write(one.file(name), own);
            assertTrue(one.isComplete(), name);
        }
        // A recorded file that is gone is missing, not silently skipped.
        Files.delete(one.file(RunFiles.HISTORY));
        assertFalse(one.isComplete());
    }

    private static RunRecord withModel(RunRecord r, String modelClass, Map<String, String> sha256) {
        return new RunRecord(r.trainer(), r.seed(), r.status(), r.trainSeconds(), r.trainExamples(), r.testExamples(), modelClass,
                r.lossScale(), r.lossScaleMean(), r.learningRate(), r.effectiveLearningRate(), r.finishedAt(), sha256);
    }

    @Test
    public void aMissingProvenanceIsNamed(@TempDir Path dir) throws IOException {
        RunFiles run = RunFixtures.writeRun(dir, RG, 1L);
        Files.delete(run.file(RunFiles.PROVENANCE));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ComparisonReport.build(List.of(run), OPTIONS));
        assertTrue(e.getMessage().contains(run.file(RunFiles.PROVENANCE).toString()) && e.getMessage().contains("missing"),
                e.getMessage());

        Files.writeString(run.file(RunFiles.PROVENANCE), "[{\"not\": \"a provenance\"}]");
        e = assertThrows(IllegalArgumentException.class, () -> ComparisonReport.build(List.of(run), OPTIONS));
        assertTrue(e.getMessage().contains("provenance.json") && e.getMessage().contains("corrupt"), e.getMessage());
    }
}

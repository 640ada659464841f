package io.github.randomgradient.examples;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.randomgradient.run.RunFiles;
import io.github.randomgradient.sweep.ConfirmCell;
import io.github.randomgradient.sweep.RunExecutor;
import io.github.randomgradient.sweep.SweepRunRecord;
import io.github.randomgradient.sweep.report.SweepReport;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

import static io.github.randomgradient.examples.BadInputFixtures.tribuoRg;
import static io.github.randomgradient.examples.ExperimentCliTest.ROOT;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code tribuo-rg sweep} with a confirm stage, end to end with the shipped
 * {@code configs/sweep-smoke-confirm.xml} on the tiny subset of {@link SweepCliTest} (300 training,
 * 100 test images): the tuning stage is the smoke grid (10 runs, seeds 1 and 2), the confirm stage
 * runs each arm's chosen cell with seeds 101 and 102. The expected confirm runs and verdicts are
 * computed here from the run directories, not by the report's code.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
public class SweepConfirmCliTest {

    @TempDir
    static Path tmp;

    static Path configs;
    static Path confirm;
    static Path tiny;
    static Path out;

    /** E[u] of the smoke sweep's RG scale, U[0, 1). */
    private static final double MEAN_SCALE = 0.5;
    /** The loss scale 1 the sweep adds for the baseline (the smoke grid's lossScale axis lists RG only). */
    private static final String BASELINE_SCALE = "sweep-baseline-loss-scale";
    private static final List<Long> TUNING = List.of(1L, 2L);
    private static final List<Long> CONFIRM = List.of(101L, 102L);

    @BeforeAll
    static void setUp() throws IOException {
        configs = Files.createDirectories(tmp.resolve("configs"));
        try (Stream<Path> files = Files.list(ROOT.resolve("configs"))) {
            for (Path f : (Iterable<Path>) files.filter(f -> f.toString().endsWith(".xml"))::iterator) {
                Files.copy(f, configs.resolve(f.getFileName()));
            }
        }
        confirm = configs.resolve("sweep-smoke-confirm.xml");
        tiny = tmp.resolve("tiny");
        MakeFashionMnistSubset.main(new String[]{ROOT.resolve("data/fashion-mnist-subset").toString(), tiny.toString(), "30", "10"});
        out = tmp.resolve("out");
    }

    static BadInputFixtures.Result sweep(Path config, Path output, String... extra) {
        List<String> args = new ArrayList<>(List.of("sweep", "-c", config.toString(), "--data", tiny.toString(), "-o", output.toString()));
        args.addAll(List.of(extra));
        return tribuoRg(args.toArray(String[]::new));
    }

    /** The confirm smoke config with its confirm seeds replaced by {@code seedsXml}, written next to the copies. */
    static Path variant(String name, String seedsXml) throws IOException {
        String text = Files.readString(confirm);
        String listed = "<propertylist name=\"confirmSeeds\">\n            <item>101</item>\n            <item>102</item>\n        </propertylist>";
        assertTrue(text.contains(listed));
        Path p = configs.resolve(name + ".xml");
        Files.writeString(p, text.replace(listed, seedsXml));
        return p;
    }

    /** A run as the test identifies it: the loss-scale component, the learning rate it trains with, and its seed. */
    record Key(String lossScale, double learningRate, long seed) {}

    static Map<Key, Path> runsByKey() throws IOException {
        Map<Key, Path> byKey = new HashMap<>();
        try (Stream<Path> s = Files.list(out.resolve("runs"))) {
            for (Path dir : (Iterable<Path>) s.filter(p -> !p.getFileName().toString().startsWith("."))::iterator) {
                SweepRunRecord r = RunExecutor.readRecord(dir);
                byKey.put(new Key(r.overrides().get("lossScale"), Double.parseDouble(r.overrides().get("learningRate")), r.seed()), dir);
            }
        }
        return byKey;
    }

    /** The runs of an arm's cell at a grid learning rate, as trained: the lr-matched arm trains at lr × E[u] with loss scale 1. */
    static Key key(String arm, double gridLr, long seed) {
        switch (arm) {
            case "baseline": return new Key(BASELINE_SCALE, gridLr, seed);
            case "rg": return new Key("rg-uniform", gridLr, seed);
            default: return new Key(BASELINE_SCALE, gridLr * MEAN_SCALE, seed);
        }
    }

    @Test
    @Order(1)
    public void confirmSeedsThatOverlapTheTuningSeedsAreRefusedBeforeAnythingTrains() throws IOException {
        Map<String, String[]> cases = new LinkedHashMap<>();
        cases.put("overlap-listed", new String[]{"<propertylist name=\"confirmSeeds\"><item>2</item><item>101</item></propertylist>",
                "confirmSeeds", "[2] is also in seeds [1, 2]"});
        cases.put("overlap-counted", new String[]{"<property name=\"confirmSeedCount\" value=\"3\"/>"
                + "<property name=\"firstConfirmSeed\" value=\"1\"/>", "confirmSeedCount", "[1, 2] are also in seeds [1, 2]"});
        for (Map.Entry<String, String[]> c : cases.entrySet()) {
            Path output = tmp.resolve(c.getKey());
            BadInputFixtures.Result r = sweep(variant(c.getKey(), c.getValue()[0]), output);
            assertEquals(2, r.status(), c.getKey() + ": " + r.err());
            String err = r.err().trim();
            assertFalse(err.contains("\n"), c.getKey() + ": one line expected, got " + err);
            for (String part : List.of(c.getKey() + ".xml", c.getValue()[1], c.getValue()[2])) {
                assertTrue(err.contains(part), c.getKey() + ": '" + part + "' missing from " + err);
            }
            assertFalse(Files.exists(output), c.getKey() + ": nothing may train");
        }
    }

    @Test
    @Order(2)
    public void theConfirmStageRunsEachArmsChosenCellWithTheFreshSeedsAndTheVerdictsUseOnlyThoseRuns() throws IOException {
        BadInputFixtures.Result r = sweep(confirm, out, "--workers", "2");
        assertEquals(0, r.status(), r.err());
        assertTrue(r.out().contains("stage 1 (tuning): 10 runs (grid x 2 seeds), 0 done, 10 to train"), r.out());
        assertTrue(r.out().contains("stage 2 (confirm): at most 6 runs (3 arms' chosen cells x 2 fresh seeds [101, 102]), planned once "
                + "stage 1 is done"), r.out());
        assertTrue(r.out().indexOf("stage 2 (confirm): at most") < r.out().indexOf("runs 1/10 done"), "the plan is printed before training");

        Map<Key, Path> runs = runsByKey();
        // Each arm's cell chosen here from the tuning runs' validation accuracy (mean over seeds 1 and 2; ties: the first learning rate).
        List<Double> grid = List.of(0.05, 0.1);
        Map<String, Double> chosen = new LinkedHashMap<>();
        for (String arm : List.of("baseline", "rg", "lr-matched")) {
            double best = Double.NEGATIVE_INFINITY;
            for (double lr : grid) {
                double sum = 0;
                for (long seed : TUNING) {
                    Path dir = runs.get(key(arm, lr, seed));
                    assertTrue(dir != null, arm + " " + lr + " " + seed + " has no run: " + runs.keySet());
                    sum += RunExecutor.readRecord(dir).validation().accuracy();
                }
                if (sum / TUNING.size() > best) {
                    best = sum / TUNING.size();
                    chosen.put(arm, lr);
                }
            }
        }
        Set<Key> expected = new HashSet<>();
        chosen.forEach((arm, lr) -> CONFIRM.forEach(seed -> expected.add(key(arm, lr, seed))));
        Set<Key> confirmRuns = new HashSet<>();
        Set<Long> seeds = new TreeSet<>();
        for (Key k : runs.keySet()) {
            seeds.add(k.seed());
            if (CONFIRM.contains(k.seed())) {
                confirmRuns.add(k);
            }
        }
        assertEquals(expected, confirmRuns, "chosen cells " + chosen);
        assertEquals(new TreeSet<>(List.of(1L, 2L, 101L, 102L)), seeds);
        assertEquals(10 + expected.size(), runs.size());
        assertTrue(r.out().contains("stage 2 (confirm): " + expected.size() + " runs (3 chosen cells x 2 fresh seeds), 0 already done, "
                + expected.size() + " to train"), r.out());
        // The cells the workers planned from are the ones chosen.
        List<ConfirmCell> cells = List.of(RunFiles.JSON.readValue(out.resolve(ConfirmCell.FILE).toFile(), ConfirmCell[].class));
        assertEquals(List.of("baseline " + chosen.get("baseline"), "rg " + chosen.get("rg"), "lr-matched " + chosen.get("lr-matched")),
                cells.stream().map(c -> c.arm() + " " + Double.parseDouble(c.grid().get("learningRate"))).toList());

        // The verdicts: RG's chosen cell against the baseline's, paired over the confirm seeds, from the confirm runs' test accuracy.
        JsonNode report = RunFiles.JSON.readTree(out.resolve("report").resolve(SweepReport.JSON).toFile());
        assertEquals("[101,102]", report.get("confirm").get("seeds").toString());
        assertEquals("done", report.get("confirm").get("status").asText());
        for (JsonNode arm : report.get("confirm").get("arms")) {
            for (JsonNode run : arm.get("runs")) {
                assertTrue(CONFIRM.contains(run.get("seed").asLong()), run.toString());
            }
        }
        for (JsonNode run : report.get("runs")) {
            assertTrue(TUNING.contains(run.get("seed").asLong()), "the tuning record holds the tuning runs: " + run);
            assertEquals("ok", run.get("status").asText(), "every tuning run trains normally on this data: " + run);
        }
        checkVerdictRows(report, runs, chosen);
        String md = Files.readString(out.resolve("report").resolve(SweepReport.MARKDOWN));
        assertTrue(md.contains("Verdicts (confirm stage, 2 fresh seeds)") && md.contains("Tuning stage: heatmaps"), md);
        assertTrue(r.out().contains("verdicts from the confirm stage (2 fresh seeds [101, 102])"), r.out());
    }

    /** A run's validation curve from its history.json: {steps, validation accuracies, validation losses}. */
    static double[][] curve(Path dir) throws IOException {
        JsonNode history = RunFiles.JSON.readTree(dir.resolve(RunFiles.HISTORY).toFile());
        assertEquals("validation", history.get("heldOutData").asText(), "a sweep's held-out curve is the validation split's: " + dir);
        JsonNode points = history.get("evaluations");
        double[][] out = new double[3][points.size()];
        for (int i = 0; i < points.size(); i++) {
            out[0][i] = points.get(i).get("step").asDouble();
            out[1][i] = points.get(i).get("heldOutMetric").asDouble();
            out[2][i] = points.get(i).get("heldOutLoss").asDouble();
        }
        return out;
    }

    private static JsonNode row(JsonNode report, String claim, String measurePrefix, String comparisonPrefix) {
        for (JsonNode v : report.get("verdicts")) {
            if (v.get("claim").asText().equals(claim) && v.get("measure").asText().startsWith(measurePrefix)
                    && v.get("comparison").asText().startsWith(comparisonPrefix)) {
                return v;
            }
        }
        throw new AssertionError("no " + claim + " row for " + measurePrefix + " in " + report.get("verdicts"));
    }

    /**
     * report.json's verdict rows for RG against the baseline, recomputed here from the run directories (evaluation.json,
     * history.json, sweep-run.json) by hand, with commons-math's t distribution for the p-values and Holm's step-down
     * over the rows' raw p-values.
     */
    static void checkVerdictRows(JsonNode report, Map<Key, Path> runs, Map<String, Double> chosen) throws IOException {
        String rgVsBase = "rg(rg-uniform) vs baseline";
        JsonNode rows = report.get("verdicts");
        int m = rows.size();
        double a = 0.05 / m;
        assertEquals(m, report.get("claims").get("tests").asInt());
        // Higher accuracy: paired t-test on test accuracy over the confirm seeds (n = 2, 1 degree of freedom).
        double[] diff = new double[CONFIRM.size()];
        double[] areaDiff = new double[CONFIRM.size()];
        double[] oscDiff = new double[CONFIRM.size()];
        // The target: 0.95 x the baseline's chosen cell's mean validation accuracy over the tuning seeds.
        double baseVal = 0;
        for (long seed : TUNING) {
            baseVal += RunExecutor.readRecord(runs.get(key("baseline", chosen.get("baseline"), seed))).validation().accuracy();
        }
        double target = 0.95 * baseVal / TUNING.size();
        int rgFirst = 0;
        int baseFirst = 0;
        int rgCensored = 0;
        int baseCensored = 0;
        for (int i = 0; i < CONFIRM.size(); i++) {
            Path rg = runs.get(key("rg", chosen.get("rg"), CONFIRM.get(i)));
            Path base = runs.get(key("baseline", chosen.get("baseline"), CONFIRM.get(i)));
            diff[i] = RunFiles.at(rg).readEvaluation().accuracy() - RunFiles.at(base).readEvaluation().accuracy();
            double[][] x = curve(rg);
            double[][] y = curve(base);
            assertTrue(x[0].length >= 2, "evaluationsPerEpoch gives several validation points: " + x[0].length);
            areaDiff[i] = area(x) - area(y);
            oscDiff[i] = oscillation(x[2]) - oscillation(y[2]);
            double tx = firstReach(x, target);
            double ty = firstReach(y, target);
            rgCensored += Double.isInfinite(tx) ? 1 : 0;
            baseCensored += Double.isInfinite(ty) ? 1 : 0;
            // Gehan: a run that never reaches the target is censored at its last step (both runs end at the same step).
            if (tx < ty) {
                rgFirst++;
            } else if (ty < tx) {
                baseFirst++;
            }
        }
        JsonNode higher = row(report, "HIGHER_ACCURACY", "final test accuracy", rgVsBase);
        assertEquals(mean(diff), higher.get("estimate").asDouble(), 1e-9);
        assertEquals(2, higher.get("n").asInt());
        if (sd(diff) > 0) {
            double t = mean(diff) / (sd(diff) / Math.sqrt(2));
            double p = 2 * new org.apache.commons.math3.distribution.TDistribution(null, 1).cumulativeProbability(-Math.abs(t));
            assertEquals(p, higher.get("pValue").asDouble(), 1e-9);
            assertEquals(io.github.randomgradient.report.stats.PowerAnalysis.minimumDetectableEffect(2, sd(diff), a, 0.8,
                    io.github.randomgradient.report.stats.PowerAnalysis.Sides.TWO_SIDED), higher.get("detectable").asDouble(), 1e-9);
        }
        JsonNode area = row(report, "FASTER", "area under", rgVsBase);
        assertEquals(mean(areaDiff), area.get("estimate").asDouble(), 1e-9);
        JsonNode osc = row(report, "LESS_OSCILLATION", "oscillation", rgVsBase);
        assertEquals(mean(oscDiff), osc.get("estimate").asDouble(), 1e-9);
        JsonNode faster = row(report, "FASTER", "optimiser steps", rgVsBase);
        assertEquals(rgFirst + baseFirst, faster.get("n").asInt(), faster.toString());
        assertTrue(faster.get("measure").asText().contains(String.format(java.util.Locale.ROOT, "(%.4f = 0.95 ×", target)), faster.toString());
        // Runs that never reach the target are reported as censored, not given a number.
        JsonNode timePairs = null;
        for (JsonNode t : report.get("claims").get("timePairs")) {
            if (t.get("comparison").asText().equals(rgVsBase)) {
                timePairs = t;
            }
        }
        assertTrue(timePairs != null, report.get("claims").toString());
        assertEquals(CONFIRM.size(), timePairs.get("pairs").asInt());
        assertEquals(rgCensored, timePairs.get("candidateCensored").asInt(), timePairs.toString());
        assertEquals(baseCensored, timePairs.get("referenceCensored").asInt(), timePairs.toString());
        assertEquals(rgFirst, timePairs.get("candidateFirst").asInt(), timePairs.toString());
        assertEquals(baseFirst, timePairs.get("referenceFirst").asInt(), timePairs.toString());
        // Robustness: every tuning run trains normally on this data, so there is no discordant pair and no test.
        JsonNode robust = row(report, "MORE_ROBUST", "runs without", rgVsBase);
        assertEquals(0, robust.get("n").asInt());
        assertTrue(robust.get("reason").asText().startsWith("no discordant pair"), robust.toString());
        // Holm over the rows' raw p-values (rows without a test do not count).
        List<double[]> tested = new ArrayList<>();
        for (int i = 0; i < m; i++) {
            JsonNode p = rows.get(i).get("pValue");
            if (p.isNumber() && !Double.isNaN(p.asDouble())) {
                tested.add(new double[]{p.asDouble(), i});
            }
        }
        tested.sort((u, v) -> Double.compare(u[0], v[0]));
        double running = 0;
        for (int k = 0; k < tested.size(); k++) {
            running = Math.max(running, Math.min(1, (tested.size() - k) * tested.get(k)[0]));
            assertEquals(running, rows.get((int) tested.get(k)[1]).get("adjustedPValue").asDouble(), 1e-12);
        }
    }

    private static double mean(double[] v) {
        return java.util.Arrays.stream(v).average().orElse(Double.NaN);
    }

    private static double sd(double[] v) {
        double mu = mean(v);
        return Math.sqrt(java.util.Arrays.stream(v).map(x -> (x - mu) * (x - mu)).sum() / (v.length - 1));
    }

    private static double area(double[][] c) {
        double s = 0;
        for (int i = 1; i < c[0].length; i++) {
            s += (c[0][i] - c[0][i - 1]) * (c[1][i] + c[1][i - 1]) / 2;
        }
        return s / (c[0][c[0].length - 1] - c[0][0]);
    }

    /** RMS over interior points of the distance beyond both neighbours (the residual from the running median of 3). */
    private static double oscillation(double[] y) {
        double s = 0;
        for (int i = 1; i < y.length - 1; i++) {
            double lo = Math.min(y[i - 1], y[i + 1]);
            double hi = Math.max(y[i - 1], y[i + 1]);
            double r = y[i] > hi ? y[i] - hi : y[i] < lo ? y[i] - lo : 0;
            s += r * r;
        }
        return Math.sqrt(s / (y.length - 2));
    }

    private static double firstReach(double[][] c, double target) {
        for (int i = 0; i < c[0].length; i++) {
            if (c[1][i] >= target) {
                return c[0][i];
            }
        }
        return Double.POSITIVE_INFINITY;
    }

    @Test
    @Order(3)
    public void anInterruptedConfirmStageResumesWithoutTrainingTheTuningStageAgain() throws IOException {
        Map<Key, Path> runs = runsByKey();
        Path redo = runs.entrySet().stream().filter(e -> e.getKey().seed() == 102).map(Map.Entry::getValue).sorted().findFirst().orElseThrow();
        byte[] params = SweepCliTest.parameters(redo);
        Map<Path, FileTime> times = new HashMap<>();
        for (Path dir : runs.values()) {
            if (!dir.equals(redo)) {
                times.put(dir, Files.getLastModifiedTime(dir.resolve(RunFiles.MODEL)));
            }
        }
        // Killed while training a confirm run: its directory is not published, a half-written attempt remains.
        Path half = out.resolve("runs").resolve(".attempt-" + redo.getFileName() + "-local-1");
        Files.createDirectories(half);
        Files.move(redo.resolve(RunFiles.MODEL), half.resolve(RunFiles.MODEL));
        SweepCliTest.RunExecutorTestAccess.deleteTree(redo);
        BadInputFixtures.Result r = sweep(confirm, out, "--workers", "2");
        assertEquals(0, r.status(), r.err());
        assertTrue(r.out().contains("10 runs planned, 10 already done, 0 to train"), r.out());
        int confirmRuns = runs.size() - 10;
        assertTrue(r.out().contains("stage 2 (confirm): " + confirmRuns + " runs (3 chosen cells x 2 fresh seeds), " + (confirmRuns - 1)
                + " already done, 1 to train"), r.out());
        assertFalse(Files.exists(half));
        assertArrayEquals(params, SweepCliTest.parameters(redo));
        for (Map.Entry<Path, FileTime> t : times.entrySet()) {
            assertEquals(t.getValue(), Files.getLastModifiedTime(t.getKey().resolve(RunFiles.MODEL)), t.getKey() + " was rewritten");
        }
        assertFalse(r.out().contains("not in this sweep"), r.out());
    }

    @Test
    @Order(4)
    public void failedTuningRunsHoldTheConfirmStageBackAndTheReportGivesNoVerdict() throws IOException {
        // The tuning runs but one, published; the missing one fails in every worker (a JVM that only prints its version).
        Path partial = tmp.resolve("partial");
        Map<Key, Path> runs = runsByKey();
        List<Path> tuning = runs.entrySet().stream().filter(e -> TUNING.contains(e.getKey().seed())).map(Map.Entry::getValue).sorted().toList();
        for (Path dir : tuning.subList(1, tuning.size())) {
            copyTree(dir, partial.resolve("runs").resolve(dir.getFileName().toString()));
        }
        String old = System.getProperty(io.github.randomgradient.sweep.SweepJob.JVM_OPTIONS_PROPERTY);
        System.setProperty(io.github.randomgradient.sweep.SweepJob.JVM_OPTIONS_PROPERTY, "-version");
        BadInputFixtures.Result r;
        try {
            r = sweep(confirm, partial, "--workers", "1");
        } finally {
            if (old == null) {
                System.clearProperty(io.github.randomgradient.sweep.SweepJob.JVM_OPTIONS_PROPERTY);
            } else {
                System.setProperty(io.github.randomgradient.sweep.SweepJob.JVM_OPTIONS_PROPERTY, old);
            }
        }
        assertEquals(4, r.status(), r.err());
        assertTrue(r.err().contains("1 run(s) failed twice") && r.err().contains("the confirm stage has not run"), r.err());
        assertTrue(r.out().contains("stage 2 (confirm): not run: 1 tuning run(s) failed"), r.out());
        JsonNode report = RunFiles.JSON.readTree(partial.resolve("report").resolve(SweepReport.JSON).toFile());
        assertTrue(report.get("confirm").get("status").asText().startsWith("not run: 1 tuning run(s) failed"), report.get("confirm").toString());
        assertEquals(0, report.get("verdicts").size(), "no verdict without the confirm stage");
        assertEquals(0, report.get("confirm").get("runs").size());
        assertFalse(Files.exists(partial.resolve(ConfirmCell.FILE)), "no cells are chosen from an incomplete tuning stage");
        assertTrue(Files.readString(partial.resolve("report").resolve(SweepReport.MARKDOWN)).contains("No verdict: the confirm stage has not run"));
    }

    @Test
    @Order(5)
    public void autoConfirmSeedsRunThePairsTheMarginNeedsCappedByMaxConfirmSeedsAndSaySo() throws IOException {
        // The same tuning stage (same identities: adopted, not trained again); auto with a cap of 3 seeds from 101, so
        // 101 and 102 are already done and at most one seed trains.
        Path auto = variant("auto", "<property name=\"autoConfirmSeeds\" value=\"true\"/><property name=\"maxConfirmSeeds\" "
                + "value=\"3\"/><property name=\"firstConfirmSeed\" value=\"101\"/>");
        BadInputFixtures.Result r = sweep(auto, out, "--workers", "2");
        assertEquals(0, r.status(), r.err());
        JsonNode report = RunFiles.JSON.readTree(out.resolve("report").resolve(SweepReport.JSON).toFile());
        JsonNode choice = report.get("claims").get("autoSeeds");
        int chosen = choice.get("chosen").asInt();
        // Recomputed: the tuned cells' paired test-accuracy differences over the tuning seeds, the pairs the 0.5 pp margin
        // needs at 80% power one-sided at alpha / m, capped at 3.
        Map<Key, Path> runs = runsByKey();
        JsonNode tuned = report.get("tuned");
        double rgLr = 0;
        double baseLr = 0;
        for (JsonNode t : tuned) {
            if (t.get("arm").asText().equals("baseline")) {
                baseLr = Double.parseDouble(t.get("learningRate").asText());
            } else if (t.get("arm").asText().startsWith("rg(")) {
                rgLr = Double.parseDouble(t.get("learningRate").asText());
            }
        }
        double[] d = new double[TUNING.size()];
        for (int i = 0; i < d.length; i++) {
            d[i] = RunFiles.at(runs.get(key("rg", rgLr, TUNING.get(i)))).readEvaluation().accuracy()
                    - RunFiles.at(runs.get(key("baseline", baseLr, TUNING.get(i)))).readEvaluation().accuracy();
        }
        int m = report.get("claims").get("tests").asInt();
        int expected;
        if (sd(d) > 0) {
            int needed = io.github.randomgradient.report.stats.PowerAnalysis.nonInferiorityPairs(0.005, 0, sd(d), 0.05 / m, 0.8, 10_000).pairs();
            expected = Math.max(2, Math.min(3, needed));
            assertEquals(needed > 3, choice.get("capBinds").asBoolean(), choice.toString());
        } else {
            expected = 3;
        }
        assertEquals(expected, chosen, choice.toString());
        assertEquals(chosen, report.get("confirm").get("seeds").size());
        assertTrue(r.out().contains("stage 2 (confirm): " + choice.get("why").asText()), r.out());
        assertTrue(r.out().indexOf(choice.get("why").asText()) < r.out().indexOf("Report: "), "said before stage 2 trains");
        assertTrue(Files.readString(out.resolve("report").resolve(SweepReport.MARKDOWN)).contains(choice.get("why").asText()));
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> s = Files.walk(from)) {
            for (Path f : (Iterable<Path>) s::iterator) {
                Path target = to.resolve(from.relativize(f).toString());
                if (Files.isDirectory(f)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(f, target);
                }
            }
        }
    }
}

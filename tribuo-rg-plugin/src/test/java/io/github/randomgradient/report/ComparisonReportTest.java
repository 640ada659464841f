package io.github.randomgradient.report;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.randomgradient.report.ReportData.DiffRow;
import io.github.randomgradient.report.ReportData.SeedConvergence;
import io.github.randomgradient.report.ReportData.TrainerSummary;
import io.github.randomgradient.report.ReportData.Verdict;
import io.github.randomgradient.report.ReportOptions.Comparison;
import io.github.randomgradient.run.ProvenanceFacts;
import io.github.randomgradient.run.RunFiles;
import io.github.randomgradient.run.RunRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.apache.commons.math3.stat.inference.TTest;
import org.tribuo.math.optimisers.Adam;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static io.github.randomgradient.report.RunFixtures.BASELINE;
import static io.github.randomgradient.report.RunFixtures.LEARNING_RATE;
import static io.github.randomgradient.report.RunFixtures.LR_MATCHED;
import static io.github.randomgradient.report.RunFixtures.RG;
import static io.github.randomgradient.report.RunFixtures.TARGET;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link ComparisonReport} on real run directories of Tribuo's LinearSGDTrainer: baseline, RG and
 * lr-matched baseline, three seeds each.
 */
public class ComparisonReportTest {

    @TempDir
    static Path output;

    private static Map<String, List<RunFiles>> experiment;

    private static final ReportOptions DEFAULT = new ReportOptions(List.of(), TARGET, "RG vs baseline, linear SGD");

    @BeforeAll
    public static void writeRuns() {
        experiment = RunFixtures.writeExperiment(output);
    }

    private static double[] accuracies(String trainer) {
        return experiment.get(trainer).stream().mapToDouble(r -> r.readEvaluation().accuracy()).toArray();
    }

    @Test
    public void jsonAccuracyMeanIsTheMeanOfTheEvaluationFiles() throws Exception {
        ComparisonReport report = ComparisonReport.build(RunFixtures.select(experiment, 3), DEFAULT);
        JsonNode json = RunFiles.JSON.readTree(report.toJson());
        assertEquals(3, json.get("trainers").size());
        for (JsonNode trainer : json.get("trainers")) {
            String name = trainer.get("trainer").asText();
            double expected = Arrays.stream(accuracies(name)).average().orElseThrow();
            assertEquals(expected, trainer.get("accuracy").get("mean").asDouble(), 1e-12, name);
            assertEquals(3, trainer.get("accuracy").get("n").asInt(), name);
        }
        assertEquals(List.of(BASELINE, RG, LR_MATCHED),
                report.data().trainers().stream().map(TrainerSummary::trainer).toList());
        assertEquals(9, report.data().runs().size());
        // Round trip of the data model, NaN included.
        assertEquals(report.data(), RunFiles.JSON.readValue(report.toJson(), ReportData.class));
    }

    @Test
    public void provenanceDiffHoldsTheKeysThatReallyDiffer() {
        ReportData data = ComparisonReport.build(RunFixtures.select(experiment, 3), DEFAULT).data();
        Map<String, Map<String, String>> rows = data.provenanceDiff().rows().stream()
                .collect(Collectors.toMap(DiffRow::key, DiffRow::values));
        assertEquals(Map.of(BASELINE, "org.tribuo.math.optimisers.SimpleSGD",
                        RG, "io.github.randomgradient.rg.RandomGradientOptimiser",
                        LR_MATCHED, "org.tribuo.math.optimisers.SimpleSGD"),
                rows.get("optimiser.class-name"));
        assertEquals(Map.of(BASELINE, ReportData.MISSING, RG, "io.github.randomgradient.rg.UniformLossScale",
                LR_MATCHED, ReportData.MISSING), rows.get("optimiser.lossScale.class-name"));
        assertEquals("1.0", rows.get("optimiser.lossScale.high").get(RG));
        assertEquals("0.0", rows.get("optimiser.lossScale.low").get(RG));
        assertEquals(Map.of(BASELINE, "0.05", RG, ReportData.MISSING, LR_MATCHED, "0.025"),
                rows.get("optimiser.initialLearningRate"));
        assertEquals("0.05", rows.get("optimiser.optimiser.initialLearningRate").get(RG));
        for (String key : rows.keySet()) {
            assertFalse(key.equals("seed") || key.endsWith(".seed"), "seed key in the diff: " + key);
            assertFalse(ProvenanceFacts.isVolatile(key), "volatile key in the diff: " + key);
            assertFalse(key.contains("trained-at") || key.contains("invocation-count"), "time key in the diff: " + key);
        }
        // Equal between all trainers, so not a difference.
        assertFalse(rows.containsKey("epochs"));
        assertFalse(rows.containsKey("minibatchSize"));
        assertFalse(rows.containsKey("objective.class-name"));
        assertEquals(List.of(1L, 2L, 3L), data.trainer(RG).seeds());
        assertTrue(data.provenanceDiff().sameDataHash());
        assertTrue(data.provenanceDiff().trainingDataNote().contains("cannot be confirmed"),
                data.provenanceDiff().trainingDataNote());
    }

    @Test
    public void oneSeedGivesNoVerdict() {
        ReportData data = ComparisonReport.build(RunFixtures.select(experiment, 1), DEFAULT).data();
        // Default comparisons: the RG trainer against both constant-scale trainers.
        assertEquals(2, data.verdicts().size());
        Verdict v = data.verdicts().get(0);
        assertEquals(RG, v.candidate());
        assertEquals(BASELINE, v.reference());
        assertEquals(SeedComparison.Outcome.TOO_FEW_SEEDS, v.comparison().outcome());
        assertTrue(Double.isNaN(v.comparison().pValue()));
        assertTrue(v.sentence().startsWith("linear-rg − linear-baseline test accuracy: no verdict: a test needs at least "
                + "2 seeds per trainer (linear-rg has 1, linear-baseline has 1)"), v.sentence());
        assertEquals(LR_MATCHED, data.verdicts().get(1).reference());
        assertEquals(SeedComparison.Outcome.TOO_FEW_SEEDS, data.verdicts().get(1).comparison().outcome());
    }

    @Test
    public void threeSeedsGiveAVerdictWithItsPValue() {
        ReportData data = ComparisonReport.build(RunFixtures.select(experiment, 3), DEFAULT).data();
        Verdict v = data.verdicts().get(0);
        assertEquals(RG + "/" + BASELINE, v.candidate() + "/" + v.reference());
        SeedComparison.Result r = v.comparison();
        // Paired by seed: accuracies() lists seeds 1, 2, 3 for both trainers.
        double p = new TTest().pairedTTest(accuracies(RG), accuracies(BASELINE));
        assertEquals(SeedComparison.Design.PAIRED, r.design());
        assertEquals(List.of(1L, 2L, 3L), r.pairedSeeds());
        assertEquals(p, r.pValue(), 1e-15);
        assertEquals(2, r.comparisons(), "Holm over both default comparisons");
        double otherP = data.verdicts().get(1).comparison().pValue();
        double holm = p <= otherP ? Math.min(1, 2 * p) : Math.max(Math.min(1, 2 * otherP), Math.min(1, p));
        assertEquals(holm, r.adjustedPValue(), 1e-15);
        double diff = Arrays.stream(accuracies(RG)).average().orElseThrow()
                - Arrays.stream(accuracies(BASELINE)).average().orElseThrow();
        assertEquals(diff, r.difference(), 1e-12);
        SeedComparison.Outcome expected = holm < 0.05 ? (diff > 0 ? SeedComparison.Outcome.HIGHER
                : SeedComparison.Outcome.LOWER) : SeedComparison.Outcome.NO_DIFFERENCE;
        assertEquals(expected, r.outcome(), v.sentence());
        assertTrue(v.sentence().contains("paired t-test p = " + ReportFormat.pValue(p) + " (Holm-adjusted over 2 "
                + "comparisons: " + ReportFormat.pValue(holm) + ")"), v.sentence());
        assertTrue(v.sentence().contains(", 3 paired seeds: "), v.sentence());
        assertTrue(v.sentence().contains("smallest attainable p with 3 paired seeds: 0.250; a distribution-free test "
                + "cannot detect an effect with this design"), v.sentence());
        // RG's mean step is half the baseline's: the caveat is appended.
        assertTrue(v.sentence().contains("RG's mean step is lr × E[u] = 0.05 × 0.5 = 0.025"), v.sentence());
        assertTrue(v.sentence().contains("compare with the lr-matched baseline before crediting the noise"), v.sentence());
        // Against the lr-matched baseline the mean steps are equal: no caveat.
        Verdict matched = data.verdicts().get(1);
        assertEquals(LR_MATCHED, matched.reference());
        assertFalse(Double.isNaN(matched.comparison().pValue()));
        assertFalse(matched.sentence().contains("mean step"), matched.sentence());
    }

    @Test
    public void namedComparisonsAreTheOnlyVerdicts() {
        ReportOptions options = new ReportOptions(List.of(new Comparison(LR_MATCHED, BASELINE)), TARGET, "matched");
        ReportData data = ComparisonReport.build(RunFixtures.select(experiment, 3), options).data();
        assertEquals(1, data.verdicts().size());
        assertEquals(LR_MATCHED, data.verdicts().get(0).candidate());
        assertTrue(data.verdicts().get(0).sentence().contains("mean step is lr × E[u]"), data.verdicts().get(0).sentence());

        ReportOptions unknown = new ReportOptions(List.of(new Comparison("cnn-rg", BASELINE)), TARGET, "unknown");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ComparisonReport.build(RunFixtures.select(experiment, 3), unknown));
        assertTrue(e.getMessage().contains("'cnn-rg'") && e.getMessage().contains(BASELINE), e.getMessage());
    }

    @Test
    public void lossScaleAndEffectiveLearningRateComeFromProvenance() {
        ReportData data = ComparisonReport.build(RunFixtures.select(experiment, 3), DEFAULT).data();
        TrainerSummary rg = data.trainer(RG);
        assertTrue(rg.randomGradient());
        assertEquals("U[0.0, 1.0)", rg.lossScale());
        assertEquals(0.5, rg.lossScaleMean(), 0.0);
        assertEquals(0.0, rg.lossScaleMin(), 0.0);
        assertEquals(1.0, rg.lossScaleMax(), 0.0);
        assertEquals(LEARNING_RATE, rg.learningRate(), 0.0);
        assertEquals(LEARNING_RATE * 0.5, rg.effectiveLearningRate(), 1e-15);
        assertEquals("0.9 (standard)", rg.momentum());
        assertEquals("RandomGradientOptimiser(SimpleSGD)", rg.optimiser());

        TrainerSummary baseline = data.trainer(BASELINE);
        assertFalse(baseline.randomGradient());
        assertEquals(1.0, baseline.lossScaleMean(), 0.0);
        assertEquals(LEARNING_RATE, baseline.effectiveLearningRate(), 0.0);
        assertEquals(LEARNING_RATE * 0.5, data.trainer(LR_MATCHED).effectiveLearningRate(), 1e-15);
    }

    @Test
    public void convergenceIsComputedFromTheHistories() {
        ReportData data = ComparisonReport.build(RunFixtures.select(experiment, 3), DEFAULT).data();
        TrainerSummary baseline = data.trainer(BASELINE);
        assertEquals(3, baseline.convergence().seedsReached());
        assertEquals(2.0, baseline.convergence().epochsToTarget().median(), 0.0);

        TrainerSummary rg = data.trainer(RG);
        assertEquals(2, rg.convergence().seedsReached());
        assertEquals(3, rg.convergence().seeds());
        assertEquals(Arrays.asList(3, 3, null),
                rg.convergence().perSeed().stream().map(SeedConvergence::epochsToTarget).toList());
        assertEquals(2, rg.convergence().epochsToTarget().n());
        assertEquals(3.0, rg.convergence().epochsToTarget().median(), 0.0);
        assertEquals(3.0, rg.convergence().epochsToTarget().min(), 0.0);
        assertEquals(3.0, rg.convergence().epochsToTarget().max(), 0.0);

        // Oscillation: the mean over seeds of each fabricated history's mean |step change|.
        double expected = RunFixtures.SEEDS.stream()
                .mapToDouble(s -> RunFixtures.history(RG, s).meanAbsoluteStepChange()).average().orElseThrow();
        assertEquals(expected, rg.convergence().oscillation().mean(), 1e-12);
        assertTrue(rg.convergence().oscillation().mean() > baseline.convergence().oscillation().mean());

        // Curves: mean over seeds 1..3 of the fabricated epoch values.
        assertEquals(3, baseline.curve().size());
        assertEquals(1, baseline.curve().get(0).epoch());
        assertEquals(3, baseline.curve().get(0).seeds());
        assertEquals(0.60 + 0.02, baseline.curve().get(0).meanTrainingLoss(), 1e-12);
        assertEquals(0.90, baseline.curve().get(2).meanTestAccuracy(), 1e-12);
        assertEquals((0.89 + 0.89 + 0.84) / 3, rg.curve().get(2).meanTestAccuracy(), 1e-12);

        // Final training loss per run is the history's last epoch.
        assertEquals(0.40 + 0.01, data.runs().get(0).finalTrainingLoss(), 1e-12);
        assertEquals(0.40 + 0.02, baseline.finalTrainingLoss().mean(), 1e-12);
    }

    @Test
    public void summaryTableListsEveryTrainer() {
        ComparisonReport report = ComparisonReport.build(RunFixtures.select(experiment, 3), DEFAULT);
        String table = report.summaryTable();
        String[] lines = table.split("\n");
        assertEquals(4, lines.length, table);
        assertTrue(lines[0].startsWith("trainer") && lines[0].contains("effective lr"), table);
        assertTrue(lines[2].startsWith(RG) && lines[2].contains("0.5") && lines[2].contains("0.025"), table);
        assertTrue(lines[1].contains(ReportFormat.meanSd(report.data().trainer(BASELINE).accuracy(), 4)), table);
    }

    @Test
    public void timingsAreMedianAndRangeNeverANegativeInterval(@TempDir Path dir) throws IOException {
        // Three seeds whose training took 0.5, 0.6 and 30 s: mean ± t interval would be [-34.9, 55.0].
        List<RunFiles> runs = new ArrayList<>();
        double[] seconds = {0.5, 0.6, 30.0};
        for (int i = 0; i < 3; i++) {
            RunFiles run = RunFixtures.writeRun(dir, BASELINE, i + 1);
            RunRecord r = run.readRun();
            run.writeJson(RunFiles.RUN, new RunRecord(r.trainer(), r.seed(), r.status(), seconds[i], r.trainExamples(),
                    r.testExamples(), r.modelClass(), r.lossScale(), r.lossScaleMean(), r.learningRate(),
                    r.effectiveLearningRate(), r.finishedAt(), r.sha256()));
            runs.add(run);
        }
        TrainerSummary t = ComparisonReport.build(runs, new ReportOptions(List.of(), TARGET, "timings")).data().trainer(BASELINE);
        assertEquals(0.6, t.trainSeconds().median(), 1e-12);
        assertEquals(0.5, t.trainSeconds().min(), 1e-12);
        assertEquals(30.0, t.trainSeconds().max(), 1e-12);
        double perSecond = RunFixtures.TRAIN_SIZE * RunFixtures.EPOCHS;
        assertEquals(perSecond / 0.6, t.samplesPerSecond().median(), 1e-9);
        assertEquals(perSecond / 30.0, t.samplesPerSecond().min(), 1e-9);
        List<String> row = ReportTables.metrics(ComparisonReport.build(runs, new ReportOptions(List.of(), TARGET, "timings")).data())
                .rows().get(0).stream().map(io.github.randomgradient.report.doc.Block.Cell::text).toList();
        assertEquals("0.60 [0.50–30.00]", row.get(5), row.toString());
        assertFalse(row.get(6).contains("-"), row.toString());
    }

    @Test
    public void tribuoAdamAndMissingHistoryAreNoted(@TempDir Path dir) {
        List<RunFiles> runs = new ArrayList<>(RunFixtures.select(experiment, 1));
        runs.add(RunFixtures.writeRun(dir, "linear-adam", 1L, new Adam(0.01, 0.9, 0.999, 1e-8), RunRecord.COMPLETE, null));
        ReportData data = ComparisonReport.build(runs, DEFAULT).data();
        assertTrue(data.trainer("linear-adam").usesTribuoAdam());
        assertTrue(Double.isNaN(data.runs().get(3).finalTrainingLoss()));
        assertEquals(0, data.trainer("linear-adam").convergence().seedsReached());
        assertNull(data.trainer("linear-adam").convergence().perSeed().get(0).epochsToTarget());
        assertTrue(data.trainer("linear-adam").curve().isEmpty());
        assertTrue(data.notes().stream().anyMatch(n -> n.contains("linear-adam") && n.contains("oracle/tribuo#401")), data.notes().toString());
        assertTrue(data.notes().stream().anyMatch(n -> n.startsWith("linear-adam: 1 of 1 runs have no training history")),
                data.notes().toString());
        // No history, so no samples/s: the console table shows the missing mark, not NaN.
        assertTrue(Double.isNaN(data.trainer("linear-adam").samplesPerSecond().median()));
        String table = ComparisonReport.build(runs, DEFAULT).summaryTable();
        assertFalse(table.contains("NaN"), table);
    }

    @Test
    public void anEmptyRunListIsRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ComparisonReport.build(List.of(), DEFAULT));
        assertTrue(e.getMessage().contains("run list is empty"), e.getMessage());
    }

    @Test
    public void aRunListedTwiceIsRejected() {
        RunFiles run = experiment.get(RG).get(0);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ComparisonReport.build(List.of(run, run), DEFAULT));
        assertTrue(e.getMessage().contains("listed twice") && e.getMessage().contains(run.dir().toString()), e.getMessage());
    }
}

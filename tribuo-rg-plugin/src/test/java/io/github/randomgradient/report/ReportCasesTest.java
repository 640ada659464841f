package io.github.randomgradient.report;

import io.github.randomgradient.history.Divergence;
import io.github.randomgradient.history.EpochRecord;
import io.github.randomgradient.history.TrainingHistory;
import io.github.randomgradient.report.ReportData.ClassRow;
import io.github.randomgradient.run.FailedRun;
import io.github.randomgradient.report.ReportData.TrainerSummary;
import io.github.randomgradient.report.ReportData.Verdict;
import io.github.randomgradient.report.ReportOptions.Comparison;
import io.github.randomgradient.rg.CyclicalLossScale;
import io.github.randomgradient.rg.RandomGradientOptimiser;
import io.github.randomgradient.rg.UniformLossScale;
import io.github.randomgradient.run.EvaluationRecord;
import io.github.randomgradient.run.LoadedRun;
import io.github.randomgradient.run.ProvenanceFacts;
import io.github.randomgradient.run.RunFiles;
import io.github.randomgradient.run.RunRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tribuo.Dataset;
import org.tribuo.MutableDataset;
import org.tribuo.classification.Label;
import org.tribuo.classification.LabelFactory;
import org.tribuo.classification.example.GaussianLabelDataSource;
import org.tribuo.impl.ArrayExample;
import org.tribuo.math.optimisers.Adam;
import org.tribuo.math.optimisers.SGD;
import org.tribuo.provenance.SimpleDataSourceProvenance;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static io.github.randomgradient.report.RunFixtures.BASELINE;
import static io.github.randomgradient.report.RunFixtures.RG;
import static io.github.randomgradient.report.RunFixtures.TARGET;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The report a reader sees, case by case, built from real run directories of Tribuo's
 * LinearSGDTrainer (baseline and RG): where a case needs controlled test accuracies, the trained
 * run's recorded accuracy is replaced ({@link RunFixtures#withAccuracy}) and the rest stays as trained.
 */
public class ReportCasesTest {

    private static final ReportOptions RG_VS_BASELINE = new ReportOptions(List.of(new Comparison(RG, BASELINE)), TARGET,
            "cases");

    /** Runs of RG and the baseline with the given accuracies, seed i → accuracies[i]. */
    private static List<RunFiles> runs(Path dir, long[] rgSeeds, double[] rg, long[] baseSeeds, double[] base) {
        List<RunFiles> out = new ArrayList<>();
        for (int i = 0; i < rgSeeds.length; i++) {
            out.add(RunFixtures.withAccuracy(RunFixtures.writeRun(dir, RG, rgSeeds[i]), rg[i]));
        }
        for (int i = 0; i < baseSeeds.length; i++) {
            out.add(RunFixtures.withAccuracy(RunFixtures.writeRun(dir, BASELINE, baseSeeds[i]), base[i]));
        }
        return out;
    }

    @Test
    public void pairedVerdictComesFirst(@TempDir Path dir) throws IOException {
        List<RunFiles> runs = runs(dir, new long[]{1, 2, 3}, new double[]{0.81, 0.751, 0.902},
                new long[]{1, 2, 3}, new double[]{0.80, 0.74, 0.89});
        ComparisonReport report = ComparisonReport.build(runs, RG_VS_BASELINE);
        Verdict v = report.data().verdicts().get(0);
        String answer = "linear-rg − linear-baseline test accuracy: +1.10 pp [+0.85, +1.35], paired t-test p = 0.003, "
                + "3 paired seeds: linear-rg is higher beyond seed noise (smallest attainable p with 3 paired seeds: 0.250;";
        assertTrue(v.sentence().startsWith(answer), v.sentence());
        // RG wraps the baseline's optimiser; that is the loss scale, not a confound.
        assertFalse(v.sentence().contains("CAUTION"), v.sentence());
        // The same values unpaired would not show it: seed noise (0.06 between seeds) swamps 0.011.
        assertEquals(SeedComparison.Outcome.NO_DIFFERENCE, SeedComparison.compare("test accuracy", true, RG,
                List.of(new SeedComparison.Sample(1, 0.81), new SeedComparison.Sample(2, 0.751), new SeedComparison.Sample(3, 0.902)),
                BASELINE, List.of(new SeedComparison.Sample(4, 0.80), new SeedComparison.Sample(5, 0.74),
                        new SeedComparison.Sample(6, 0.89))).outcome());
        // Answer first on the page and last on the console.
        List<Path> written = ReportWriter.write(report, dir.resolve("report"));
        String md = Files.readString(written.get(0));
        assertTrue(md.startsWith("# cases\n\n## Answer\n\n- " + answer), md.substring(0, 300));
        assertTrue(md.contains("Runs are paired by seed value (never by position)"));
        assertTrue(report.answerLines().endsWith(v.sentence() + "\n"));
    }

    @Test
    public void seedsArePairedByValueAndLoneSeedsAreLeftOutWithAWarning(@TempDir Path dir) {
        List<RunFiles> runs = runs(dir, new long[]{3, 1, 2}, new double[]{0.90, 0.80, 0.70},
                new long[]{4, 2, 3}, new double[]{0.95, 0.69, 0.885});
        Verdict v = ComparisonReport.build(runs, RG_VS_BASELINE).data().verdicts().get(0);
        assertEquals(List.of(2L, 3L), v.comparison().pairedSeeds());
        assertEquals(0.0125, v.comparison().difference(), 1e-12);
        assertTrue(v.sentence().contains("2 paired seeds") && v.sentence().contains(
                "; seeds [1, 4] have a healthy run for one trainer only (the other's run is missing, diverged or collapsed) and are left out of the pairs"), v.sentence());
    }

    @Test
    public void accuraciesAreComparedInCountsSoEqualDifferencesAreEqual(@TempDir Path dir) throws IOException {
        // The fixtures' test set has 400 examples. RG gets 1 more right at every seed in both twins; in doubles
        // 301/400 − 300/400, 308/400 − 307/400 and 315/400 − 314/400 are not all equal, so the first twin was
        // "linear-rg is higher" with a p-value near 1e-27 while the second (351, 353, 355 against 350, 352, 354:
        // equal doubles) could not be tested. From the test-set counts both are +1, +1, +1: cannot test.
        for (double[] base : List.of(new double[]{300, 307, 314}, new double[]{350, 352, 354})) {
            Path twin = dir.resolve("twin" + (int) base[0]);
            double[] rg = java.util.Arrays.stream(base).map(k -> (k + 1) / 400).toArray();
            double[] ref = java.util.Arrays.stream(base).map(k -> k / 400).toArray();
            ComparisonReport report = ComparisonReport.build(runs(twin, new long[]{1, 2, 3}, rg, new long[]{1, 2, 3}, ref),
                    RG_VS_BASELINE);
            Verdict v = report.data().verdicts().get(0);
            assertEquals(SeedComparison.Outcome.CANNOT_TEST, v.comparison().outcome(), v.sentence());
            assertTrue(v.comparison().exactCounts());
            assertEquals(0.0025, v.comparison().difference(), 0.0);
            assertTrue(v.sentence().startsWith("linear-rg − linear-baseline test accuracy: +0.25 pp, 3 paired seeds: no "
                    + "seed-to-seed variation in the per-seed differences: cannot test"), v.sentence());
            // The pages say how the comparison was made.
            ReportWriter.write(report, twin.resolve("report"));
            String md = Files.readString(twin.resolve("report").resolve("report.md"));
            assertTrue(md.contains("Accuracies are compared as counts of correct test examples over the test set's size")
                    && md.contains("Pratt's handling of zero differences"), md);
            String json = Files.readString(twin.resolve("report").resolve("report.json"));
            assertTrue(json.contains("\"exactCounts\" : true"), json.substring(0, 400));
        }
    }

    @Test
    public void constantSamplesGiveNoVerdict(@TempDir Path dir) {
        List<RunFiles> runs = runs(dir, new long[]{1, 2}, new double[]{0.8033, 0.8033},
                new long[]{1, 2}, new double[]{0.8, 0.8});
        Verdict v = ComparisonReport.build(runs, RG_VS_BASELINE).data().verdicts().get(0);
        assertEquals(SeedComparison.Outcome.CANNOT_TEST, v.comparison().outcome());
        assertTrue(v.sentence().startsWith("linear-rg − linear-baseline test accuracy: +0.33 pp, 2 paired seeds: no "
                + "seed-to-seed variation in the per-seed differences: cannot test (values linear-rg [seed 1=0.8033, "
                + "seed 2=0.8033], linear-baseline [seed 1=0.8, seed 2=0.8])"), v.sentence());
        assertFalse(v.sentence().contains("beyond"), v.sentence());
    }

    /** Three well separated classes A, B, C; {@code withC} false leaves C out. */
    private static Dataset<Label> threeClasses(int perClass, long seed, boolean withC) {
        LabelFactory factory = new LabelFactory();
        MutableDataset<Label> data = new MutableDataset<>(new SimpleDataSourceProvenance("three classes", factory), factory);
        SplittableRandom rng = new SplittableRandom(seed);
        double[][] centres = {{0, 0}, {20, 0}, {0, 20}};
        String[] labels = {"A", "B", "C"};
        for (int c = 0; c < (withC ? 3 : 2); c++) {
            for (int i = 0; i < perClass; i++) {
                data.add(new ArrayExample<>(new Label(labels[c]), new String[]{"x", "y"},
                        new double[]{centres[c][0] + rng.nextDouble() - 0.5, centres[c][1] + rng.nextDouble() - 0.5}));
            }
        }
        return data;
    }

    @Test
    public void anAbsentClassIsNotAveragedAsZero(@TempDir Path dir) throws IOException {
        Dataset<Label> train = threeClasses(100, 1L, true);
        Dataset<Label> test = threeClasses(50, 2L, false);
        List<RunFiles> runs = new ArrayList<>();
        for (long seed : new long[]{1, 2}) {
            runs.add(RunFixtures.writeRun(dir, BASELINE, seed, SGD.getSimpleSGD(0.05), RunRecord.COMPLETE, null,
                    Map.of(), train, test));
        }
        EvaluationRecord tribuo = runs.get(0).readEvaluation();
        assertEquals(1.0, tribuo.accuracy(), 0.0, "the classes are separable");
        assertEquals(2.0 / 3, tribuo.macroF1(), 1e-12, "Tribuo counts the absent class as F1 = 0");
        ComparisonReport report = ComparisonReport.build(runs, new ReportOptions(List.of(), TARGET, "absent class"));
        TrainerSummary t = report.data().trainer(BASELINE);
        assertEquals(1.0, t.macroF1().mean(), 0.0, "a perfect classifier has macro-F1 1");
        ClassRow c = t.perClass().stream().filter(r -> r.label().equals("C")).findFirst().orElseThrow();
        assertEquals(0.0, c.support(), 0.0);
        assertTrue(Double.isNaN(c.f1()));
        String md = Files.readString(ReportWriter.write(report, dir.resolve("report")).get(0));
        assertTrue(md.contains("| class | support | linear-baseline: precision / recall / F1 |"), md);
        assertTrue(md.contains("| C | 0 | n/a / n/a / n/a |"), md);
        assertTrue(md.contains("| A | 50 | 1.0000 / 1.0000 / 1.0000 |"), md);
        assertTrue(md.contains("n/a: the class is absent from the test set (support 0); it is left out of the macro averages"));
    }

    @Test
    public void aTestLabelNeverSeenInTrainingIsAClearError() {
        Dataset<Label> train = threeClasses(50, 1L, false);
        Dataset<Label> test = threeClasses(20, 2L, true);
        org.tribuo.Model<Label> model = new org.tribuo.classification.sgd.linear.LinearSGDTrainer(
                new org.tribuo.classification.sgd.objectives.LogMulticlass(), SGD.getSimpleSGD(0.05), 1, -1, 16, 1L).train(train);
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> io.github.randomgradient.run.RunRecorder.evaluate(model, test));
        assertEquals("the test data has labels [C] that the model never saw in training (its labels: [A, B]); it cannot "
                + "predict them, so the evaluation would misreport them: evaluate on test data whose labels the model knows",
                e.getMessage());
    }

    @Test
    public void anAdamPairIsNotToldAboutEffectiveLearningRates(@TempDir Path dir) throws IOException {
        List<RunFiles> runs = new ArrayList<>();
        for (long seed : new long[]{1, 2, 3}) {
            runs.add(RunFixtures.writeRun(dir, RG, seed, new RandomGradientOptimiser(new Adam(0.001, 0.9, 0.999, 1e-8),
                    UniformLossScale.paperDefault(), seed), RunRecord.COMPLETE, null));
            runs.add(RunFixtures.writeRun(dir, BASELINE, seed, new Adam(0.001, 0.9, 0.999, 1e-8), RunRecord.COMPLETE, null));
        }
        ComparisonReport report = ComparisonReport.build(runs, RG_VS_BASELINE);
        TrainerSummary rg = report.data().trainer(RG);
        assertTrue(rg.adaptive());
        assertTrue(Double.isNaN(rg.effectiveLearningRate()));
        String sentence = report.data().verdicts().get(0).sentence();
        assertTrue(sentence.contains("; RandomGradientOptimiser(Adam) is adaptive: a constant loss scale cancels in its "
                + "update (apart from ε), so lr × E[u] is not linear-rg's step; its per-batch u reweights the mini-batches "
                + "inside the moment estimates instead. The control for linear-rg is mean-preserving RG"), sentence);
        assertFalse(sentence.contains("0.001 × 0.5") || sentence.contains("lr-matched baseline before"), sentence);
        String md = Files.readString(ReportWriter.write(report, dir.resolve("report")).get(0));
        assertTrue(md.contains("| linear-rg | U[0.0, 1.0) | 0.5 | [0, 1] | 0.001 | n/a (adaptive optimiser) |"), md);
    }

    @Test
    public void aDecayingLossScaleGetsNoLrMatchedStep(@TempDir Path dir) throws IOException {
        // TRIANGULAR2 halves its amplitude every cycle: its first-cycle mean (0.5) is not a run's mean
        // factor, so neither E[u] nor lr × E[u] may be shown as if it were.
        CyclicalLossScale decaying = new CyclicalLossScale(0.0, 1.0, 5, CyclicalLossScale.Mode.TRIANGULAR2, 1.0);
        List<RunFiles> runs = new ArrayList<>();
        for (long seed : new long[]{1, 2, 3}) {
            runs.add(RunFixtures.writeRun(dir, RG, seed, new RandomGradientOptimiser(SGD.getSimpleSGD(0.05, 0.9, SGD.Momentum.STANDARD),
                    decaying, seed), RunRecord.COMPLETE, null));
            runs.add(RunFixtures.writeRun(dir, BASELINE, seed, SGD.getSimpleSGD(0.025, 0.9, SGD.Momentum.STANDARD), RunRecord.COMPLETE, null));
        }
        ComparisonReport report = ComparisonReport.build(runs, RG_VS_BASELINE);
        TrainerSummary rg = report.data().trainer(RG);
        assertTrue(Double.isNaN(rg.lossScaleMean()));
        assertTrue(Double.isNaN(rg.effectiveLearningRate()));
        String sentence = report.data().verdicts().get(0).sentence();
        assertTrue(sentence.contains("; the loss scale of linear-rg (cyclic[0.0, 1.0] TRIANGULAR2 step 5) is a schedule whose "
                + "mean factor depends on the run's length, so no lr-matched step (lr × E[u]) follows from it"), sentence);
        assertFalse(sentence.contains("0.05 × 0.5"), sentence);
        String md = Files.readString(ReportWriter.write(report, dir.resolve("report")).get(0));
        assertTrue(md.contains("| linear-rg | cyclic[0.0, 1.0] TRIANGULAR2 step 5 | n/a (schedule) | [0, 1] | 0.05 | "
                + "n/a (mean depends on run length) |"), md);
        Map<String, String> audit = ProvenanceFacts.of(runs.get(0).readProvenance()).auditTable();
        assertTrue(audit.get("loss scale mean E[u]").startsWith("depends on the run's length"), audit.toString());
    }

    @Test
    public void runsOnDifferentDataAreNotCompared(@TempDir Path dir) {
        Dataset<Label> otherTrain = new MutableDataset<>(new GaussianLabelDataSource(RunFixtures.TRAIN.size(), 9L,
                new double[]{0.0, 0.0}, new double[]{1.0, 0.0, 0.0, 1.0}, new double[]{2.0, 2.0}, new double[]{1.0, 0.0, 0.0, 1.0}));
        List<RunFiles> runs = new ArrayList<>();
        for (long seed : new long[]{1, 2}) {
            runs.add(RunFixtures.writeRun(dir, RG, seed, new RandomGradientOptimiser(SGD.getSimpleSGD(0.05, 0.9, SGD.Momentum.STANDARD),
                    UniformLossScale.paperDefault(), seed), RunRecord.COMPLETE, null));
            runs.add(RunFixtures.writeRun(dir, BASELINE, seed, SGD.getSimpleSGD(0.05, 0.9, SGD.Momentum.STANDARD), RunRecord.COMPLETE,
                    null, Map.of(), otherTrain, RunFixtures.TEST));
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ComparisonReport.build(runs, RG_VS_BASELINE));
        assertTrue(e.getMessage().startsWith("the runs trained on different data"), e.getMessage());
    }

    @Test
    public void aDivergedSeedIsLeftOutAndCounted(@TempDir Path dir) throws IOException {
        List<RunFiles> runs = new ArrayList<>();
        for (long seed : new long[]{1, 2, 3}) {
            runs.add(RunFixtures.writeRun(dir, BASELINE, seed));
            if (seed == 2) {
                EpochRecord first = RunFixtures.history(RG, 2).epochs().get(0);
                EpochRecord huge = new EpochRecord(2, first.steps(), 3.6e30, 0.5, 0.1, 0.1, 0.01, 1e4, first.stepLosses());
                TrainingHistory h = new TrainingHistory("accuracy", "test", List.of(first, huge),
                        new Divergence(3, 41L, Double.POSITIVE_INFINITY, 1e4, 0.62));
                runs.add(RunFixtures.writeRun(dir, RG, seed, RunFixtures.optimiser(RG, seed), RunRecord.DIVERGED, h));
            } else {
                runs.add(RunFixtures.writeRun(dir, RG, seed));
            }
        }
        ComparisonReport report = ComparisonReport.build(runs, RG_VS_BASELINE);
        Verdict v = report.data().verdicts().get(0);
        assertEquals(List.of(1L, 3L), v.comparison().pairedSeeds());
        assertTrue(v.sentence().contains("; 1 of 3 linear-rg seeds diverged (seed 2) and is left out"), v.sentence());
        TrainerSummary rg = report.data().trainer(RG);
        assertEquals(2, rg.accuracy().n());
        assertTrue(rg.finalTrainingLoss().mean() < 1, "the diverged loss 3.6e30 is not summarised");
        assertTrue(rg.curve().stream().allMatch(p -> p.seeds() == 2 && p.maxTrainingLoss() < 1));
        assertTrue(report.answerLines().startsWith("linear-rg seed 2 diverged: non-finite loss Infinity at epoch 3, step 41 "
                + "(learning rate 10000.0, loss scale 0.62)\n"), report.answerLines());
        String md = Files.readString(ReportWriter.write(report, dir.resolve("report")).get(0));
        assertTrue(md.contains("| linear-rg | 2 | diverged | 3 | 41 | ∞ | 10000 | 0.62 |"), md);
        assertTrue(md.contains("| linear-rg | 2 (1 failed) |"), md);
    }

    @Test
    public void aCollapsedSeedIsLeftOutAndCounted(@TempDir Path dir) {
        List<RunFiles> runs = new ArrayList<>();
        for (long seed : new long[]{1, 2, 3}) {
            runs.add(RunFixtures.writeRun(dir, BASELINE, seed));
        }
        runs.add(RunFixtures.writeRun(dir, RG, 1));
        // Learning rate 0: the weights stay at zero and the model predicts one class for every example.
        runs.add(RunFixtures.writeRun(dir, RG, 2, new RandomGradientOptimiser(SGD.getSimpleSGD(0.0),
                UniformLossScale.paperDefault(), 2), RunRecord.COMPLETE, RunFixtures.history(RG, 2)));
        // Never clearly above the majority share: test accuracy 0.5 at every epoch and at the end.
        TrainingHistory chance = new TrainingHistory("accuracy", "test", RunFixtures.history(RG, 3).epochs().stream()
                .map(e -> new EpochRecord(e.epoch(), e.steps(), 0.693, 0.5, 0.5, 0.5, 0.01, 0.05, e.stepLosses())).toList(), null);
        runs.add(RunFixtures.withAccuracy(RunFixtures.writeRun(dir, RG, 3, RunFixtures.optimiser(RG, 3), RunRecord.COMPLETE,
                chance), 0.5));
        ComparisonReport report = ComparisonReport.build(runs, RG_VS_BASELINE);
        List<FailedRun> failed = report.data().failedRuns();
        assertEquals(List.of(2L, 3L), failed.stream().map(FailedRun::seed).toList());
        assertTrue(failed.stream().allMatch(f -> f.status().equals(LoadedRun.COLLAPSED)));
        assertTrue(failed.get(0).description().startsWith("predicts a single class"), failed.get(0).description());
        assertTrue(failed.get(1).description().startsWith("test accuracy never rose clearly above the majority-class share"),
                failed.get(1).description());
        Verdict v = report.data().verdicts().get(0);
        assertEquals(SeedComparison.Outcome.TOO_FEW_SEEDS, v.comparison().outcome());
        assertTrue(v.sentence().contains("; 2 of 3 linear-rg seeds collapsed (seeds 2, 3) and are left out"), v.sentence());
    }

    @Test
    public void aValidationCurveThatRoseClearlyShowsTheRunLearnedAsATestCurveDoes(@TempDir Path dir) {
        // Final test accuracy at the majority share, but the held-out curve at 0.9 in every epoch: a sweep's run, whose
        // curve is the validation split's, learned; a curve of unknown data ("") does not count.
        Map<String, Boolean> collapsed = new LinkedHashMap<>();
        for (String heldOut : List.of("validation", "test", "")) {
            Path sub = dir.resolve(heldOut.isEmpty() ? "unknown" : heldOut);
            List<RunFiles> runs = new ArrayList<>();
            for (long seed : new long[]{1, 2}) {
                runs.add(RunFixtures.writeRun(sub, BASELINE, seed));
            }
            runs.add(RunFixtures.writeRun(sub, RG, 1));
            TrainingHistory rose = new TrainingHistory("accuracy", heldOut, RunFixtures.history(RG, 2).epochs().stream()
                    .map(e -> new EpochRecord(e.epoch(), e.steps(), 0.3, 0.9, 0.3, 0.9, 0.01, 0.05, e.stepLosses())).toList(), null);
            runs.add(RunFixtures.withAccuracy(RunFixtures.writeRun(sub, RG, 2, RunFixtures.optimiser(RG, 2), RunRecord.COMPLETE,
                    rose), 0.5));
            collapsed.put(heldOut, ComparisonReport.build(runs, RG_VS_BASELINE).data().failedRuns().stream()
                    .anyMatch(f -> f.seed() == 2 && f.status().equals(LoadedRun.COLLAPSED)));
        }
        assertEquals(Map.of("validation", false, "test", false, "", true), collapsed);
    }
}

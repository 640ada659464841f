package io.github.randomgradient.report;

import io.github.randomgradient.history.EpochRecord;
import io.github.randomgradient.history.TrainingHistory;
import io.github.randomgradient.report.ReportData.ClassRow;
import io.github.randomgradient.report.ReportData.Convergence;
import io.github.randomgradient.report.ReportData.CurvePoint;
import io.github.randomgradient.report.ReportData.SeedConvergence;
import io.github.randomgradient.report.ReportData.StepPoint;
import io.github.randomgradient.report.ReportData.TrainerSummary;
import io.github.randomgradient.rg.LossScale;

import io.github.randomgradient.run.EvaluationRecord;
import io.github.randomgradient.run.LoadedRun;
import io.github.randomgradient.run.ProvenanceFacts;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Per-trainer summaries of a {@link ComparisonReport}: configuration from the first run's provenance,
 * results over the healthy runs (diverged and collapsed runs are counted, not summarised).
 */
final class TrainerSummaries {

    /** The most points a per-step curve keeps (every k-th step of the smoothed curve). */
    static final int MAX_STEP_POINTS = 400;

    private TrainerSummaries() {}

    /**
     * Summarises one trainer.
     * @param trainer The trainer's name.
     * @param all All its runs (at least one), healthy or not.
     * @param healthy Its runs that neither diverged nor collapsed.
     * @param target The target test accuracy.
     * @return The summary.
     */
    static TrainerSummary summarise(String trainer, List<LoadedRun> all, List<LoadedRun> healthy, double target) {
        ProvenanceFacts facts = all.get(0).facts();
        LossScale scale = facts.lossScale();
        int n = healthy.size();
        List<Long> seeds = new ArrayList<>();
        double[] accuracy = new double[n];
        double[] macroF1 = new double[n];
        double[] finalLoss = new double[n];
        double[] seconds = new double[n];
        double[] samplesPerSecond = new double[n];
        double[] oscillation = new double[n];
        double[] deviation = new double[n];
        List<SeedConvergence> perSeed = new ArrayList<>();
        List<Double> reached = new ArrayList<>();
        TreeMap<Integer, List<EpochRecord>> byEpoch = new TreeMap<>();
        List<float[]> stepLosses = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            LoadedRun r = healthy.get(i);
            TrainingHistory h = r.history();
            seeds.add(r.seed());
            accuracy[i] = r.evaluation().accuracy();
            macroF1[i] = r.evaluation().macroF1OverPresentClasses();
            finalLoss[i] = r.finalLoss();
            seconds[i] = r.record().trainSeconds();
            samplesPerSecond[i] = h == null || !(r.record().trainSeconds() > 0) ? Double.NaN
                    : (double) r.record().trainExamples() * h.epochs().size() / r.record().trainSeconds();
            float[] steps = h == null ? new float[0] : allSteps(h);
            oscillation[i] = h == null ? Double.NaN : h.meanAbsoluteStepChange();
            deviation[i] = h == null ? Double.NaN : Statistics.deviationFromMovingAverage(steps);
            Integer epochs = h == null ? null : epochsToTarget(h, target);
            if (epochs != null) {
                reached.add(epochs.doubleValue());
            }
            perSeed.add(new SeedConvergence(r.seed(), epochs, oscillation[i]));
            if (h != null) {
                stepLosses.add(steps);
                for (EpochRecord e : h.epochs()) {
                    byEpoch.computeIfAbsent(e.epoch(), k -> new ArrayList<>()).add(e);
                }
            }
        }
        Convergence convergence = new Convergence(target, reached.size(), n, perSeed,
                Statistics.medianRange(reached.stream().mapToDouble(Double::doubleValue).toArray()),
                Statistics.summarise(oscillation, 0, Double.POSITIVE_INFINITY),
                Statistics.summarise(deviation, 0, Double.POSITIVE_INFINITY));
        List<CurvePoint> curve = new ArrayList<>();
        for (Map.Entry<Integer, List<EpochRecord>> e : byEpoch.entrySet()) {
            double[] loss = e.getValue().stream().mapToDouble(EpochRecord::meanLoss).filter(Double::isFinite).toArray();
            double[] acc = e.getValue().stream().mapToDouble(EpochRecord::heldOutMetric).filter(Double::isFinite).toArray();
            curve.add(new CurvePoint(e.getKey(), e.getValue().size(), mean(loss), min(loss), max(loss),
                    mean(acc), min(acc), max(acc)));
        }
        List<Long> failed = all.stream().filter(r -> !healthy.contains(r)).map(LoadedRun::seed).toList();
        boolean adaptive = facts.isAdaptive();
        return new TrainerSummary(trainer, facts.isRandomGradient(), scale.describe(), scale.runMeanFactor(),
                scale.min(), scale.max(), facts.learningRate().orElse(Double.NaN),
                adaptive ? Double.NaN : facts.effectiveLearningRate().orElse(Double.NaN), adaptive,
                facts.momentum().orElse("not recorded"), facts.optimiser().orElse("not recorded"),
                facts.weightDecay(), all.stream().anyMatch(r -> r.facts().usesTribuoAdam()), seeds, failed,
                Statistics.summarise(accuracy, 0, 1), Statistics.summarise(macroF1, 0, 1),
                Statistics.summarise(finalLoss, 0, Double.POSITIVE_INFINITY),
                Statistics.medianRange(seconds), Statistics.medianRange(samplesPerSecond), convergence,
                curve, stepCurve(stepLosses), perClass(healthy));
    }

    private static float[] allSteps(TrainingHistory h) {
        int total = h.epochs().stream().mapToInt(EpochRecord::steps).sum();
        float[] out = new float[total];
        int pos = 0;
        for (EpochRecord e : h.epochs()) {
            System.arraycopy(e.stepLosses(), 0, out, pos, e.steps());
            pos += e.steps();
        }
        return out;
    }

    /**
     * The per-step loss smoothed by a centred moving average of {@value Statistics#MOVING_AVERAGE_WINDOW}
     * steps, averaged over the seeds that reach each step, thinned to at most {@value #MAX_STEP_POINTS} points.
     */
    private static List<StepPoint> stepCurve(List<float[]> runs) {
        int length = runs.stream().mapToInt(a -> a.length).max().orElse(0);
        double[] sum = new double[length];
        int[] count = new int[length];
        for (float[] steps : runs) {
            double[] smooth = Statistics.movingAverage(steps, Statistics.MOVING_AVERAGE_WINDOW);
            for (int i = 0; i < smooth.length; i++) {
                if (Double.isFinite(smooth[i])) {
                    sum[i] += smooth[i];
                    count[i]++;
                }
            }
        }
        int every = Math.max(1, (length + MAX_STEP_POINTS - 1) / MAX_STEP_POINTS);
        List<StepPoint> out = new ArrayList<>();
        for (int i = 0; i < length; i += every) {
            if (count[i] > 0) {
                out.add(new StepPoint(i, sum[i] / count[i]));
            }
        }
        return out;
    }

    /** Per class, the mean over runs of precision, recall and F1; NaN for a class absent from the test set. */
    private static List<ClassRow> perClass(List<LoadedRun> runs) {
        Map<String, double[]> sums = new LinkedHashMap<>();
        for (LoadedRun r : runs) {
            Map<String, EvaluationRecord.ClassMetrics> classes = r.evaluation().perClass();
            if (classes == null) {
                continue;
            }
            classes.forEach((label, c) -> {
                double[] s = sums.computeIfAbsent(label, k -> new double[5]);
                s[0] += c.support();
                s[1] += c.precision();
                s[2] += c.recall();
                s[3] += c.f1();
                s[4]++;
            });
        }
        List<ClassRow> out = new ArrayList<>();
        sums.forEach((label, s) -> {
            double support = s[0] / s[4];
            boolean absent = support == 0;
            out.add(new ClassRow(label, support, absent ? Double.NaN : s[1] / s[4], absent ? Double.NaN : s[2] / s[4],
                    absent ? Double.NaN : s[3] / s[4]));
        });
        return out;
    }

    /** The first epoch whose test accuracy reached the target, or null if none did. */
    private static Integer epochsToTarget(TrainingHistory history, double target) {
        for (EpochRecord e : history.epochs()) {
            if (e.heldOutMetric() >= target) {
                return e.epoch();
            }
        }
        return null;
    }

    private static double mean(double[] v) {
        return v.length == 0 ? Double.NaN : java.util.Arrays.stream(v).average().orElse(Double.NaN);
    }

    private static double min(double[] v) {
        return java.util.Arrays.stream(v).min().orElse(Double.NaN);
    }

    private static double max(double[] v) {
        return java.util.Arrays.stream(v).max().orElse(Double.NaN);
    }
}

package io.github.randomgradient.report;

import io.github.randomgradient.history.Divergence;
import io.github.randomgradient.report.ReportData.ClassRow;
import io.github.randomgradient.report.ReportData.CurvePoint;
import io.github.randomgradient.report.ReportData.DiffRow;
import io.github.randomgradient.run.FailedRun;
import io.github.randomgradient.report.ReportData.RunRow;
import io.github.randomgradient.report.ReportData.TrainerSummary;
import io.github.randomgradient.report.doc.Block.Table;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The tables and fixed texts of a comparison report, shared by the Markdown and HTML pages
 * ({@link ReportPage} puts them in order).
 */
final class ReportTables {

    private ReportTables() {}

    static final String DIFF_TEXT = "Trainer-provenance values that differ between trainers (first run of each; "
            + "seeds, time stamps and invocation counts left out; " + ReportData.MISSING + " = not recorded by that trainer).";

    static final String SCALE_TEXT = "Random Gradient multiplies each mini-batch loss by u drawn from the loss scale. "
            + "With an SGD-family optimiser (SGD, momentum, Nesterov) the step is proportional to the loss, so RG's mean "
            + "step is that of learning rate × E[u]: compare RG with a baseline at that effective learning rate (the "
            + "lr-matched control). With an adaptive optimiser (Adam and its kin) a constant factor cancels in the update "
            + "(apart from ε), so there is no effective learning rate; a per-batch u instead reweights the mini-batches "
            + "inside the moment estimates, and the control is mean-preserving RG (E[u] = 1). An optimiser's weight decay "
            + "is applied by the update rule and is not scaled by u (an L2 term inside the loss would be).";

    static final String METRICS_TEXT = "Over the seeds that neither diverged nor collapsed: accuracy, macro-F1 and loss "
            + "as mean ± sample standard deviation [95% Student-t interval of the mean; where it leaves the measure's range, "
            + "[0, 1] for accuracy and macro-F1 and [0, ∞) for loss, it is cut to the range and marked 'cut to the range', "
            + "which keeps its coverage]; training seconds and samples/s as median "
            + "[min–max] (a timing is positive and skewed). Macro-F1 averages the classes present in the test set. Training "
            + "seconds are the wall-clock time of Trainer.train in the experiment's JVM (data conversion included, "
            + "evaluation excluded); the experiment interleaves trainers seed by seed, so load on the machine falls on every "
            + "trainer alike, but JVM warm-up falls on the very first run only (compare its training seconds with the others'). "
            + "Samples/s = training examples × completed epochs / training seconds.";

    static final String OSCILLATION_TEXT = "Oscillation of the unscaled per-step (mini-batch) training loss L_t, in units "
            + "of the loss, over the whole run: mean |Δ loss| = (1/(n−1)) Σ_t |L_{t+1} − L_t|; deviation from trend = "
            + "standard deviation of L_t − M_t, where M_t is the centred moving average of L over "
            + Statistics.MOVING_AVERAGE_WINDOW + " mini-batches (fewer at the ends). Epochs to target: median [min–max] over "
            + "the seeds that reached the target (counts have no symmetric interval). Both oscillation measures are at least "
            + "0, and their intervals are cut at 0 where they would reach below it.";

    static final String PER_CLASS_TEXT = "Per test class, mean over the healthy seeds. n/a: the class is absent from the "
            + "test set (support 0); it is left out of the macro averages (Tribuo's own macro-F1 counts it as 0).";

    static String intro(ReportData data) {
        return data.runs().size() + " runs of " + data.trainers().size() + " trainers, " + data.failedRuns().size()
                + " of them diverged or collapsed. Target test accuracy for convergence: "
                + ReportFormat.num(data.targetAccuracy()) + ".";
    }

    static Table provenance(ReportData data) {
        List<String> header = new ArrayList<>();
        header.add("provenance key");
        header.addAll(data.provenanceDiff().trainers());
        List<List<String>> rows = new ArrayList<>();
        for (DiffRow row : data.provenanceDiff().rows()) {
            List<String> cells = new ArrayList<>();
            cells.add(row.key());
            for (String trainer : data.provenanceDiff().trainers()) {
                String value = row.values().getOrDefault(trainer, ReportData.MISSING);
                // Class names are shown without their package (report.json keeps them whole).
                cells.add(row.key().endsWith("class-name") ? value.substring(value.lastIndexOf('.') + 1) : value);
            }
            rows.add(cells);
        }
        return Table.of(header, rows);
    }

    static Table seeds(ReportData data) {
        List<List<String>> rows = new ArrayList<>();
        for (TrainerSummary t : data.trainers()) {
            rows.add(List.of(t.trainer(), join(t.seeds()), t.failedSeeds().isEmpty() ? "none" : join(t.failedSeeds())));
        }
        return Table.of(List.of("trainer", "seeds", "failed seeds (left out)"), rows);
    }

    private static String join(List<Long> seeds) {
        return seeds.stream().map(String::valueOf).collect(Collectors.joining(", "));
    }

    static Table scale(ReportData data) {
        List<List<String>> rows = new ArrayList<>();
        for (TrainerSummary t : data.trainers()) {
            rows.add(List.of(t.trainer(), t.lossScale(), lossScaleMean(t),
                    "[" + ReportFormat.num(t.lossScaleMin()) + ", " + ReportFormat.num(t.lossScaleMax()) + "]",
                    ReportFormat.num(t.learningRate()), effectiveLearningRate(t), t.momentum(), t.optimiser(),
                    t.weightDecay()));
        }
        return Table.of(List.of("trainer", "loss scale", "E[u]", "range", "learning rate",
                "effective learning rate (lr × E[u], SGD family)", "momentum", "optimiser", "weight decay"), rows);
    }

    /** The effective learning rate, or why an adaptive optimiser has none. */
    static String lossScaleMean(TrainerSummary t) {
        return Double.isNaN(t.lossScaleMean()) ? "n/a (schedule)" : ReportFormat.num(t.lossScaleMean());
    }

    static String effectiveLearningRate(TrainerSummary t) {
        return t.adaptive() ? "n/a (adaptive optimiser)"
                : Double.isNaN(t.lossScaleMean()) ? "n/a (mean depends on run length)" : ReportFormat.num(t.effectiveLearningRate());
    }

    static Table metrics(ReportData data) {
        List<List<String>> rows = new ArrayList<>();
        for (TrainerSummary t : data.trainers()) {
            rows.add(List.of(t.trainer(), seedCount(t), ReportFormat.summary(t.accuracy(), 4),
                    ReportFormat.summary(t.macroF1(), 4), ReportFormat.summary(t.finalTrainingLoss(), 4),
                    ReportFormat.medianRange(t.trainSeconds(), 2), ReportFormat.medianRange(t.samplesPerSecond(), 0)));
        }
        return Table.of(List.of("trainer", "seeds", "test accuracy", "test macro-F1", "final training loss",
                "training seconds, median [min–max]", "samples/s, median [min–max]"), rows);
    }

    /** "3", or "2 (1 failed)". */
    static String seedCount(TrainerSummary t) {
        return t.seeds().size() + (t.failedSeeds().isEmpty() ? "" : " (" + t.failedSeeds().size() + " failed)");
    }

    /** One row per test class, one precision / recall / F1 column per trainer (support from the first trainer). */
    static Table perClass(ReportData data) {
        Map<String, Map<String, ClassRow>> byClass = new LinkedHashMap<>();
        for (TrainerSummary t : data.trainers()) {
            for (ClassRow c : t.perClass()) {
                byClass.computeIfAbsent(c.label(), k -> new LinkedHashMap<>()).put(t.trainer(), c);
            }
        }
        List<String> header = new ArrayList<>(List.of("class", "support"));
        data.trainers().forEach(t -> header.add(t.trainer() + ": precision / recall / F1"));
        List<List<String>> rows = new ArrayList<>();
        byClass.forEach((label, cells) -> {
            List<String> row = new ArrayList<>(List.of(label, ReportFormat.num(cells.values().iterator().next().support())));
            for (TrainerSummary t : data.trainers()) {
                ClassRow c = cells.get(t.trainer());
                row.add(c == null ? ReportData.MISSING : na(c.precision()) + " / " + na(c.recall()) + " / " + na(c.f1()));
            }
            rows.add(row);
        });
        return Table.of(header, rows);
    }

    private static String na(double x) {
        return Double.isNaN(x) ? "n/a" : ReportFormat.fixed(x, 4);
    }

    static Table convergence(ReportData data) {
        List<List<String>> rows = new ArrayList<>();
        for (TrainerSummary t : data.trainers()) {
            String perSeed = t.convergence().perSeed().stream()
                    .map(s -> "seed " + s.seed() + ": " + (s.epochsToTarget() == null ? "never" : s.epochsToTarget()))
                    .collect(Collectors.joining(", "));
            Statistics.MedianRange e = t.convergence().epochsToTarget();
            String epochs = e.n() == 0 ? ReportData.MISSING : ReportFormat.num(e.median()) + " [" + ReportFormat.num(e.min())
                    + "–" + ReportFormat.num(e.max()) + "]";
            rows.add(List.of(t.trainer(), t.convergence().seedsReached() + " of " + t.convergence().seeds(), epochs, perSeed,
                    ReportFormat.summary(t.convergence().oscillation(), 4),
                    ReportFormat.summary(t.convergence().lossDeviation(), 4)));
        }
        return Table.of(List.of("trainer", "seeds reaching target", "epochs to target, median [min–max]",
                "epochs to target per seed", "mean |Δ loss| between mini-batches",
                "std of loss around its moving average"), rows);
    }

    static Table curve(ReportData data) {
        List<List<String>> rows = new ArrayList<>();
        for (TrainerSummary t : data.trainers()) {
            for (CurvePoint p : t.curve()) {
                rows.add(List.of(t.trainer(), Integer.toString(p.epoch()), Integer.toString(p.seeds()),
                        range(p.meanTrainingLoss(), p.minTrainingLoss(), p.maxTrainingLoss()),
                        range(p.meanTestAccuracy(), p.minTestAccuracy(), p.maxTestAccuracy())));
            }
        }
        return Table.of(List.of("trainer", "epoch", "seeds", "training loss, mean [min–max]",
                "test accuracy, mean [min–max]"), rows);
    }

    private static String range(double mean, double min, double max) {
        return ReportFormat.fixed(mean, 4) + " [" + ReportFormat.fixed(min, 4) + "–" + ReportFormat.fixed(max, 4) + "]";
    }

    static Table runs(ReportData data) {
        List<List<String>> rows = new ArrayList<>();
        for (RunRow r : data.runs()) {
            rows.add(List.of(r.trainer(), Long.toString(r.seed()), r.status(), ReportFormat.fixed(r.accuracy(), 4),
                    ReportFormat.fixed(r.macroF1(), 4), ReportFormat.fixed(r.finalTrainingLoss(), 4),
                    ReportFormat.fixed(r.trainSeconds(), 2)));
        }
        return Table.of(List.of("trainer", "seed", "status", "test accuracy", "test macro-F1", "final training loss",
                "training seconds"), rows);
    }

    static Table failed(ReportData data) {
        List<List<String>> rows = new ArrayList<>();
        for (FailedRun r : data.failedRuns()) {
            Divergence d = r.divergence();
            String none = ReportData.MISSING;
            rows.add(d == null
                    ? List.of(r.trainer(), Long.toString(r.seed()), r.status(), none, none, none, none, none, r.description())
                    : List.of(r.trainer(), Long.toString(r.seed()), r.status(), Integer.toString(d.epoch()),
                    Long.toString(d.step()), ReportFormat.num(d.loss()), ReportFormat.num(d.learningRate()),
                    ReportFormat.num(d.lossScale()), r.description()));
        }
        return Table.of(List.of("trainer", "seed", "status", "epoch", "step", "loss", "learning rate", "loss scale u",
                "what happened"), rows);
    }
}

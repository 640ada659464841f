package io.github.randomgradient.report;

import io.github.randomgradient.run.FailedRun;
import io.github.randomgradient.report.ReportData.TrainerSummary;
import io.github.randomgradient.report.ReportData.Verdict;
import io.github.randomgradient.report.ReportOptions.Comparison;

import io.github.randomgradient.run.LoadedRun;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * The verdicts of a {@link ComparisonReport}: which trainers are compared, the paired statistics on
 * test accuracy over their healthy runs ({@link SeedComparison}, Holm-corrected together), the failed
 * runs each side lost, and what RG's loss scale means for the optimiser in use.
 */
final class Verdicts {

    /** The metric every verdict compares. */
    static final String METRIC = "test accuracy";

    private Verdicts() {}

    /**
     * The comparisons to give a verdict on: the named ones, else every RG trainer against every trainer
     * with a constant loss scale.
     * @throws IllegalArgumentException If a named comparison names a trainer without runs.
     */
    static List<Comparison> comparisons(ReportOptions options, Map<String, List<LoadedRun>> byTrainer,
                                        List<TrainerSummary> trainers, List<String> notes) {
        if (!options.comparisons().isEmpty()) {
            for (Comparison c : options.comparisons()) {
                for (String name : List.of(c.candidate(), c.reference())) {
                    if (!byTrainer.containsKey(name)) {
                        throw new IllegalArgumentException("comparison " + c.candidate() + " vs " + c.reference()
                                + " names trainer '" + name + "', which has no runs; the runs' trainers are "
                                + byTrainer.keySet());
                    }
                }
            }
            return options.comparisons();
        }
        List<Comparison> out = new ArrayList<>();
        for (TrainerSummary candidate : trainers) {
            if (candidate.randomGradient()) {
                for (TrainerSummary reference : trainers) {
                    if (!reference.randomGradient()) {
                        out.add(new Comparison(candidate.trainer(), reference.trainer()));
                    }
                }
            }
        }
        if (out.isEmpty()) {
            notes.add("no verdicts: the default comparison (every Random Gradient trainer against every trainer with a "
                    + "constant loss scale) needs at least one of each; name comparisons in the report options");
        }
        return out;
    }

    /**
     * The verdicts, Holm-corrected over all comparisons.
     * @param comparisons The comparisons.
     * @param healthy Per trainer, its runs that neither diverged nor collapsed.
     * @param all Per trainer, all its runs.
     * @param failed The failed runs.
     * @param trainers The trainer summaries.
     * @return One verdict per comparison, in order.
     */
    static List<Verdict> verdicts(List<Comparison> comparisons, Map<String, List<LoadedRun>> healthy,
                                  Map<String, List<LoadedRun>> all, List<FailedRun> failed, List<TrainerSummary> trainers) {
        List<SeedComparison.Result> results = new ArrayList<>();
        for (Comparison c : comparisons) {
            results.add(SeedComparison.compare(METRIC, true, c.candidate(), samples(healthy.get(c.candidate())),
                    c.reference(), samples(healthy.get(c.reference()))));
        }
        results = SeedComparison.holm(results);
        List<Verdict> out = new ArrayList<>();
        for (int i = 0; i < comparisons.size(); i++) {
            Comparison c = comparisons.get(i);
            SeedComparison.Result r = results.get(i);
            List<FailedRun> candFailed = failed.stream().filter(f -> f.trainer().equals(c.candidate())).toList();
            List<FailedRun> refFailed = failed.stream().filter(f -> f.trainer().equals(c.reference())).toList();
            String sentence = r.sentence() + failures(c.candidate(), candFailed, all.get(c.candidate()).size())
                    + failures(c.reference(), refFailed, all.get(c.reference()).size())
                    + caveat(find(trainers, c.candidate()), find(trainers, c.reference()))
                    + confounds(all.get(c.candidate()), all.get(c.reference()));
            out.add(new Verdict(c.candidate(), c.reference(), r, candFailed.stream().map(FailedRun::seed).toList(),
                    refFailed.stream().map(FailedRun::seed).toList(), sentence));
        }
        return out;
    }

    /**
     * Settings other than the loss scale and the learning rate in which two trainers differ: then
     * the verdict is not about the loss scale alone, and the sentence says so.
     */
    private static final Set<String> STRUCTURAL = Set.of("blockFactory", "featureConverter", "outputConverter",
            "optimiser", "torchOptimiser", "schedule", "momentum", "beta1", "beta2", "weightDecay", "lrSchedule", "lrPower", "stepEpochs", "stepGamma", "epochs",
            "batchSize", "lastBatch", "objective", "minibatchSize");

    static String confounds(List<LoadedRun> candidate, List<LoadedRun> reference) {
        if (candidate.isEmpty() || reference.isEmpty()) {
            return "";
        }
        Map<String, String> a = ProvenanceDiffs.configuration(candidate.get(0).facts());
        Map<String, String> b = ProvenanceDiffs.configuration(reference.get(0).facts());
        Set<String> keys = new TreeSet<>(a.keySet());
        keys.addAll(b.keySet());
        List<String> differ = new ArrayList<>();
        for (String k : keys) {
            String top = k.contains(".") ? k.substring(0, k.indexOf('.')) : k;
            // Only settings that change the experiment besides the loss scale and learning rate; Tribuo's RG
            // decorator nests the wrapped optimiser, so nested optimiser keys are not compared.
            boolean structural = STRUCTURAL.contains(top) && !(top.equals("optimiser") && k.contains("."));
            if (!structural || Objects.equals(a.get(k), b.get(k))) {
                continue;
            }
            if (!differ.contains(top)) {
                differ.add(top);
            }
        }
        return differ.isEmpty() ? "" : "; CAUTION: the two trainers also differ in " + String.join(", ", differ)
                + ", so this is not a comparison of the loss scale alone (and same-seed runs need not share initial weights)";
    }

    /**
     * Each run's test accuracy as the count of correct test examples over the test set's size, so that
     * per-seed differences are exact; a value that is not such a count (no per-class supports recorded)
     * is compared as recorded.
     */
    static List<SeedComparison.Sample> samples(List<LoadedRun> runs) {
        return runs.stream().map(r -> {
            double accuracy = r.evaluation().accuracy();
            long n = r.evaluation().examples();
            return new SeedComparison.Sample(r.seed(), accuracy, PairedDifferences.isCount(accuracy, n) ? n : 0);
        }).toList();
    }

    /** "; 1 of 3 linear-rg seeds diverged (seed 2) and is left out". */
    private static String failures(String trainer, List<FailedRun> failed, int seeds) {
        if (failed.isEmpty()) {
            return "";
        }
        Map<String, List<FailedRun>> byStatus = failed.stream().collect(Collectors.groupingBy(FailedRun::status,
                TreeMap::new, Collectors.toList()));
        List<String> parts = new ArrayList<>();
        byStatus.forEach((status, runs) -> parts.add(runs.size() + " of " + seeds + " " + trainer + " seeds " + status
                + " (seed" + (runs.size() > 1 ? "s " : " ") + runs.stream().map(f -> Long.toString(f.seed()))
                .collect(Collectors.joining(", ")) + ")"));
        return "; " + String.join(", ", parts) + " and " + (failed.size() > 1 ? "are" : "is") + " left out";
    }

    private static TrainerSummary find(List<TrainerSummary> trainers, String name) {
        return trainers.stream().filter(t -> t.trainer().equals(name)).findFirst().orElseThrow();
    }

    /**
     * What the loss scale does to the step for this pair's optimisers. SGD family: RG's mean step is
     * lr × E[u], so a baseline at a different lr × E[u] needs the lr-matched control. Adaptive optimisers:
     * a constant factor cancels (apart from ε) and a per-batch u reweights mini-batches inside the moment
     * estimates, so the control is RG with E[u] = 1 (mean-preserving), not an lr-matched baseline.
     */
    static String caveat(TrainerSummary cand, TrainerSummary ref) {
        TrainerSummary rg = cand.randomGradient() || !ref.randomGradient() ? cand : ref;
        TrainerSummary other = rg == cand ? ref : cand;
        if (rg.adaptive() || other.adaptive()) {
            TrainerSummary adaptive = rg.adaptive() ? rg : other;
            if (!rg.randomGradient()) {
                return "";
            }
            String sentence = "; " + adaptive.optimiser() + " is adaptive: a constant loss scale cancels in its update "
                    + "(apart from ε), so lr × E[u] is not " + rg.trainer() + "'s step; its per-batch u reweights the "
                    + "mini-batches inside the moment estimates instead";
            return sentence + (rg.lossScaleMean() == 1.0 ? "" : ". The control for " + rg.trainer() + " is mean-preserving "
                    + "RG (UniformLossScale with meanPreserving = true, E[u] = 1), not an lr-matched baseline");
        }
        for (TrainerSummary t : List.of(cand, ref)) {
            if (Double.isNaN(t.lossScaleMean())) {
                return "; the loss scale of " + t.trainer() + " (" + t.lossScale() + ") is a schedule whose mean factor "
                        + "depends on the run's length, so no lr-matched step (lr × E[u]) follows from it; compare the "
                        + "realised mean factor per epoch in the training histories";
            }
            if (Double.isNaN(t.effectiveLearningRate())) {
                return "; the learning rate of " + t.trainer() + " is not recorded in its provenance, so whether the mean "
                        + "steps (lr × E[u]) match cannot be checked";
            }
        }
        double x = cand.effectiveLearningRate();
        double y = ref.effectiveLearningRate();
        if (Math.abs(x - y) <= 1e-9 * Math.max(Math.abs(x), Math.abs(y))) {
            return "";
        }
        return "; " + (rg.randomGradient() ? "RG's" : rg.trainer() + "'s") + " mean step is lr × E[u] = " + step(rg)
                + " for " + rg.trainer() + " vs " + step(other) + " for " + other.trainer()
                + "; compare with the lr-matched baseline before crediting the noise";
    }

    private static String step(TrainerSummary t) {
        return ReportFormat.num(t.learningRate()) + " × " + ReportFormat.num(t.lossScaleMean()) + " = "
                + ReportFormat.num(t.effectiveLearningRate());
    }

    /**
     * The design of the comparisons in words: pairing by seed, why runs pair, the tests and the correction.
     * @param comparisons The number of comparisons.
     * @return The paragraph.
     */
    static String design(int comparisons) {
        return "Runs are paired by seed value (never by position): runs of different trainers with the same seed share "
                + "the initial weights and the order of the mini-batches. DJLTrainer splits its seeded generator into the "
                + "weight-initialisation, shuffling and loss-scale streams in that fixed order, so drawing u moves neither "
                + "(checked: factors within 1e-6 of 1 train the baseline's model); "
                + "Tribuo's LinearSGDTrainer starts from zero weights and shuffles with its own seeded generator, and "
                + "RandomGradientOptimiser draws u from a separate generator (checked: with u = 1 it trains the baseline's "
                + "model bit for bit). Each verdict is a paired t-test on the per-seed differences of test accuracy, with "
                + "a 95% Student-t interval of the mean difference (cut to [−100, +100] pp where it leaves that range, and "
                + "marked so), and the Wilcoxon signed-rank test alongside from " + SeedComparison.WILCOXON_MIN_PAIRS
                + " pairs (Pratt's handling of zero differences: zeros are ranked, then their ranks dropped; ties share "
                + "their mid-rank; p-value from the exact null distribution over the observed mid-ranks up to "
                + SignedRankTest.EXACT_MAX_PAIRS + " pairs, from the normal approximation with tie and continuity "
                + "corrections above; the same whichever trainer comes first); Welch's t-test when fewer than 2 seeds "
                + "are common. Accuracies are compared as counts of correct test examples over the test set's size, so "
                + "the per-seed differences are exact: equal differences are equal, and no variation is decided exactly. A seed "
                + "run by one trainer only is left out of the pairs. The p-values are Holm-corrected over the "
                + comparisons + " comparison" + (comparisons == 1 ? "" : "s") + " of this report, at α = "
                + SeedComparison.ALPHA + ". Values that do not vary from seed to seed give no verdict. Diverged and "
                + "collapsed runs are left out of summaries, charts and verdicts, and counted in the verdicts.";
    }
}

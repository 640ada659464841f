package io.github.randomgradient.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.github.randomgradient.run.FailedRun;
import io.github.randomgradient.report.ReportData.RunRow;
import io.github.randomgradient.report.ReportData.TrainerSummary;
import io.github.randomgradient.report.ReportData.Verdict;
import io.github.randomgradient.report.ReportOptions.Comparison;

import io.github.randomgradient.run.LoadedRun;
import io.github.randomgradient.run.ProvenanceFacts;
import io.github.randomgradient.run.RunFiles;
import io.github.randomgradient.run.RunRecord;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * A comparison of training runs, Random Gradient against baselines, built from run directories
 * ({@link RunFiles}) and nothing else: configuration comes from each run's provenance
 * ({@link ProvenanceFacts}), results from its evaluation, history and run record.
 * <p>
 * The report opens with its answer: one verdict per comparison on test accuracy ({@link Verdicts},
 * statistics by {@link SeedComparison}: runs paired by seed, Holm-corrected). It then holds per
 * trainer ({@link TrainerSummaries}) its loss scale, E[u], learning rate and, for SGD-family
 * optimisers, the effective learning rate (learning rate × E[u]); summaries over seeds of test
 * accuracy, macro-F1, final training loss, training seconds and samples per second; per-class
 * metrics; convergence (epochs to a target, two oscillation measures) and curves; the provenance
 * values that differ between trainers ({@link ProvenanceDiffs}); the runs that diverged or
 * collapsed, kept out of every summary; and notes ({@link ReportNotes}).
 * <p>
 * For SGD-family optimisers RG's mean step is that of a baseline at learning rate × E[u] (half the
 * learning rate for the paper's U[0, 1)), and a verdict against a baseline whose effective learning
 * rate differs says so. For adaptive optimisers a constant factor cancels, and the verdict says that
 * instead.
 * <p>
 * Instances are immutable; {@link ReportWriter} writes them as Markdown, HTML, JSON and PNG files.
 * <pre>
 * Reference: "Fast, Better Training Trick: Random Gradient".
 * </pre>
 */
public final class ComparisonReport {

    private final ReportData data;

    private ComparisonReport(ReportData data) {
        this.data = data;
    }

    /**
     * Reads the run directories and builds the report.
     * <p>
     * Each run directory is read by {@link RunFiles#read()}. Runs are grouped by
     * {@link RunRecord#trainer()}, in the order trainers are first seen.
     * @param runs The run directories, at least one.
     * @param options What to compare, the target test accuracy and the title.
     * @return The report.
     * @throws IllegalArgumentException If the run list is empty, a file is missing or cannot be read
     *                                  (the message names the run directory and the file), a (trainer, seed)
     *                                  is listed twice, a comparison names a trainer without runs, or the
     *                                  runs trained on different data (file hashes, or dataset provenance).
     * @throws NullPointerException If {@code runs} or {@code options} is null.
     */
    public static ComparisonReport build(List<RunFiles> runs, ReportOptions options) {
        Objects.requireNonNull(runs, "runs");
        Objects.requireNonNull(options, "options");
        if (runs.isEmpty()) {
            throw new IllegalArgumentException("no runs to report on: the run list is empty; give at least one complete "
                    + "run directory (<output>/runs/<trainer>/seed-<seed>/)");
        }
        Map<String, List<LoadedRun>> byTrainer = new LinkedHashMap<>();
        Map<String, List<LoadedRun>> healthy = new LinkedHashMap<>();
        Set<String> seen = new HashSet<>();
        List<RunRow> rows = new ArrayList<>();
        List<FailedRun> failed = new ArrayList<>();
        for (RunFiles files : runs) {
            LoadedRun run = Objects.requireNonNull(files, "a run directory in the run list is null").read();
            if (!seen.add(run.trainer() + "\u0000" + run.seed())) {
                throw new IllegalArgumentException("run directory " + files.dir() + ": trainer '" + run.trainer()
                        + "' with seed " + run.seed() + " is listed twice; give each (trainer, seed) run once");
            }
            byTrainer.computeIfAbsent(run.trainer(), k -> new ArrayList<>()).add(run);
            List<LoadedRun> ok = healthy.computeIfAbsent(run.trainer(), k -> new ArrayList<>());
            Optional<FailedRun> failure = run.failure();
            failure.ifPresentOrElse(failed::add, () -> ok.add(run));
            rows.add(new RunRow(run.trainer(), run.seed(), failure.map(FailedRun::status).orElse(run.record().status()),
                    run.evaluation().accuracy(), run.evaluation().macroF1OverPresentClasses(), run.finalLoss(),
                    run.record().trainSeconds(), files.dir().toString()));
        }

        List<TrainerSummary> trainers = new ArrayList<>();
        for (Map.Entry<String, List<LoadedRun>> e : byTrainer.entrySet()) {
            trainers.add(TrainerSummaries.summarise(e.getKey(), e.getValue(), healthy.get(e.getKey()),
                    options.targetAccuracy()));
        }

        List<String> notes = new ArrayList<>();
        List<Comparison> comparisons = Verdicts.comparisons(options, byTrainer, trainers, notes);
        List<Verdict> verdicts = Verdicts.verdicts(comparisons, healthy, byTrainer, failed, trainers);
        notes.addAll(ReportNotes.notes(byTrainer, trainers, failed));
        Map<String, org.tribuo.provenance.ModelProvenance> provenances = new LinkedHashMap<>();
        byTrainer.values().forEach(list -> list.forEach(r -> provenances.put(r.files().dir().toString(), r.facts().getProvenance())));
        Optional<String> mix = io.github.randomgradient.run.EnvironmentChange.mixNote(provenances);
        mix.ifPresent(m -> notes.add(0, "Numeric environments: " + m + "."));
        io.github.randomgradient.run.EnvironmentChange.sharedNote(provenances).ifPresent(m -> notes.add("Numeric environment: " + m + "."));

        String design = Verdicts.design(comparisons.size()) + mix.map(m -> " Caution: " + m + ".").orElse("");
        ReportData data = new ReportData(options.title(), options.targetAccuracy(), rows, trainers,
                ProvenanceDiffs.provenanceDiff(byTrainer), failed, verdicts, design, notes);
        return new ComparisonReport(data);
    }

    /**
     * The report's content as plain data, as written to {@code report.json}.
     * @return The data.
     */
    public ReportData data() {
        return data;
    }

    /**
     * The report's content as indented JSON ({@link RunFiles#JSON}; NaN written as {@code "NaN"}),
     * readable back into {@link ReportData} with the same mapper.
     * @return The JSON text.
     * @throws UncheckedIOException If the data cannot be encoded.
     */
    public String toJson() {
        try {
            return RunFiles.JSON.writeValueAsString(data);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException("could not encode the report '" + data.title() + "' as JSON", e);
        }
    }

    /** A median for the console table, or the missing-value mark when no seed has one (e.g. all diverged). */
    private static String median(Statistics.MedianRange r, int digits) {
        return Double.isNaN(r.median()) ? ReportData.MISSING : ReportFormat.fixed(r.median(), digits);
    }

    /**
     * A compact plain-text table for the console: per trainer the number of healthy seeds (and failed
     * ones), test accuracy (mean ± sd over healthy seeds), macro-F1, final training loss, training
     * seconds, samples per second, E[u] and the effective learning rate (learning rate × E[u], SGD family).
     * @return The table, one line per trainer after a header, lines ending in {@code \n}.
     */
    public String summaryTable() {
        List<String[]> lines = new ArrayList<>();
        lines.add(new String[]{"trainer", "seeds", "accuracy", "macro-F1", "final loss", "median s", "median samples/s", "E[u]",
                "effective lr"});
        for (TrainerSummary t : data.trainers()) {
            lines.add(new String[]{t.trainer(), ReportTables.seedCount(t), ReportFormat.meanSd(t.accuracy(), 4),
                    ReportFormat.meanSd(t.macroF1(), 4), ReportFormat.meanSd(t.finalTrainingLoss(), 4),
                    median(t.trainSeconds(), 1), median(t.samplesPerSecond(), 0),
                    ReportTables.lossScaleMean(t), ReportTables.effectiveLearningRate(t)});
        }
        int[] width = new int[lines.get(0).length];
        for (String[] line : lines) {
            for (int i = 0; i < line.length; i++) {
                width[i] = Math.max(width[i], line[i].length());
            }
        }
        StringBuilder sb = new StringBuilder();
        for (String[] line : lines) {
            for (int i = 0; i < line.length; i++) {
                sb.append(i == 0 ? "" : "  ");
                sb.append(line[i]).append(" ".repeat(width[i] - line[i].length()));
            }
            sb.setLength(sb.toString().stripTrailing().length());
            sb.append('\n');
        }
        return sb.toString();
    }

    /**
     * The answer first, for the console: one line per verdict ({@link Verdict#sentence()}), then one
     * line per failed run (trainer, seed, diverged or collapsed, and where).
     * @return The lines, each ending in {@code \n}; empty if there is nothing to say.
     */
    public String answerLines() {
        StringBuilder sb = new StringBuilder();
        for (FailedRun f : data.failedRuns()) {
            sb.append(f.trainer()).append(" seed ").append(f.seed()).append(' ').append(f.status()).append(": ")
                    .append(f.description()).append('\n');
        }
        for (Verdict v : data.verdicts()) {
            sb.append(v.sentence()).append('\n');
        }
        return sb.toString();
    }

    @Override
    public String toString() {
        return "ComparisonReport(title=" + data.title() + ",trainers=" + data.trainers().size() + ",runs="
                + data.runs().size() + ")";
    }
}

package io.github.randomgradient.report;

import io.github.randomgradient.history.Divergence;
import io.github.randomgradient.history.EpochRecord;
import io.github.randomgradient.history.TrainingHistory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectReader;
import com.oracle.labs.mlrg.olcut.config.json.JsonProvenanceSerialization;
import com.oracle.labs.mlrg.olcut.provenance.ObjectProvenance;
import com.oracle.labs.mlrg.olcut.provenance.io.ProvenanceSerializationException;
import io.github.randomgradient.report.ReportData.Convergence;
import io.github.randomgradient.report.ReportData.CurvePoint;
import io.github.randomgradient.report.ReportData.DiffRow;
import io.github.randomgradient.report.ReportData.DivergedRun;
import io.github.randomgradient.report.ReportData.ProvenanceDiff;
import io.github.randomgradient.report.ReportData.RunRow;
import io.github.randomgradient.report.ReportData.SeedConvergence;
import io.github.randomgradient.report.ReportData.TrainerSummary;
import io.github.randomgradient.report.ReportData.Verdict;
import io.github.randomgradient.report.ReportOptions.Comparison;
import io.github.randomgradient.rg.LossScale;
import org.tribuo.provenance.ModelProvenance;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

/**
 * A comparison of training runs, Random Gradient against baselines, built from run directories
 * ({@link RunFiles}) and nothing else: configuration comes from each run's provenance
 * ({@link ProvenanceFacts}), results from its evaluation, history and run record.
 * <p>
 * The report holds a runs table; per trainer its loss scale, E[u], learning rate and effective
 * learning rate (learning rate × E[u]) and summaries over seeds (mean, standard deviation, 95%
 * Student-t interval) of test accuracy, macro-F1, final training loss and training seconds;
 * convergence (epochs to a target test accuracy, oscillation of the mini-batch loss) and mean
 * curves per epoch; the provenance values that differ between trainers; the runs that diverged;
 * a verdict per comparison on test accuracy (Welch t-test over seeds); and notes.
 * <p>
 * Because RG multiplies each mini-batch loss by \( u \sim U[low, high) \), its mean step is that of
 * a baseline at learning rate × E[u] (half the learning rate for the paper's U[0, 1)). A verdict
 * against a baseline whose effective learning rate differs says so.
 * <p>
 * Instances are immutable; {@link ReportWriter} writes them as Markdown, HTML, JSON and PNG files.
 * <pre>
 * Reference: "Fast, Better Training Trick: Random Gradient".
 * </pre>
 */
public final class ComparisonReport {

    /** Significance level of the verdicts. */
    private static final double ALPHA = 0.05;

    private final ReportData data;

    private ComparisonReport(ReportData data) {
        this.data = data;
    }

    /**
     * Reads the run directories and builds the report.
     * <p>
     * Each run directory must hold {@value RunFiles#RUN}, {@value RunFiles#EVALUATION},
     * {@value RunFiles#PROVENANCE} and {@value RunFiles#MODEL} (checked for presence only; the model
     * is not loaded); {@value RunFiles#HISTORY} is optional (Tribuo's own trainers keep none). Runs are
     * grouped by {@link RunRecord#trainer()}, in the order trainers are first seen.
     * @param runs The run directories, at least one.
     * @param options What to compare, the target test accuracy and the title.
     * @return The report.
     * @throws IllegalArgumentException If the run list is empty, a file is missing or cannot be read
     *                                  (the message names the run directory and the file), a (trainer, seed)
     *                                  is listed twice, or a comparison names a trainer without runs.
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
        Set<String> seen = new HashSet<>();
        List<LoadedRun> all = new ArrayList<>();
        for (RunFiles files : runs) {
            LoadedRun run = LoadedRun.read(files);
            if (!seen.add(run.record.trainer() + "\u0000" + run.record.seed())) {
                throw new IllegalArgumentException("run directory " + files.dir() + ": trainer '" + run.record.trainer()
                        + "' with seed " + run.record.seed() + " is listed twice; give each (trainer, seed) run once");
            }
            all.add(run);
            byTrainer.computeIfAbsent(run.record.trainer(), k -> new ArrayList<>()).add(run);
        }

        List<RunRow> rows = new ArrayList<>();
        List<DivergedRun> diverged = new ArrayList<>();
        for (LoadedRun r : all) {
            rows.add(new RunRow(r.record.trainer(), r.record.seed(), r.record.status(), r.evaluation.accuracy(),
                    r.evaluation.macroF1(), r.finalLoss(), r.record.trainSeconds(), r.files.dir().toString()));
            Divergence divergence = r.history == null ? null : r.history.divergence();
            if (r.record.isDiverged() || divergence != null || r.facts.diverged()) {
                String description = divergence != null ? divergence.describe()
                        : r.facts.runFields().getOrDefault("divergence",
                        "where it diverged is recorded neither in " + RunFiles.HISTORY + " nor in the run provenance");
                diverged.add(new DivergedRun(r.record.trainer(), r.record.seed(), r.record.status(), divergence, description));
            }
        }

        List<TrainerSummary> trainers = new ArrayList<>();
        for (Map.Entry<String, List<LoadedRun>> e : byTrainer.entrySet()) {
            trainers.add(summarise(e.getKey(), e.getValue(), options.targetAccuracy()));
        }

        List<String> notes = new ArrayList<>();
        List<Verdict> verdicts = new ArrayList<>();
        for (Comparison c : comparisons(options, byTrainer, trainers, notes)) {
            verdicts.add(verdict(c, byTrainer, trainers));
        }
        notes.addAll(notes(byTrainer, trainers, diverged));

        ReportData data = new ReportData(options.title(), options.targetAccuracy(), rows, trainers,
                provenanceDiff(byTrainer), diverged, verdicts, notes);
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

    /**
     * A compact plain-text table for the console: per trainer the number of seeds, test accuracy
     * (mean ± sd over seeds), macro-F1, final training loss, training seconds, E[u] and the effective
     * learning rate (learning rate × E[u]).
     * @return The table, one line per trainer after a header, lines ending in {@code \n}.
     */
    public String summaryTable() {
        List<String[]> lines = new ArrayList<>();
        lines.add(new String[]{"trainer", "n", "accuracy", "macro-F1", "final loss", "seconds", "E[u]", "effective lr"});
        for (TrainerSummary t : data.trainers()) {
            lines.add(new String[]{t.trainer(), Integer.toString(t.seeds().size()), ReportFormat.meanSd(t.accuracy(), 4),
                    ReportFormat.meanSd(t.macroF1(), 4), ReportFormat.meanSd(t.finalTrainingLoss(), 4),
                    ReportFormat.meanSd(t.trainSeconds(), 1), ReportFormat.num(t.lossScaleMean()),
                    ReportFormat.num(t.effectiveLearningRate())});
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

    @Override
    public String toString() {
        return "ComparisonReport(title=" + data.title() + ",trainers=" + data.trainers().size() + ",runs="
                + data.runs().size() + ")";
    }

    // ---------------------------------------------------------------------------------------------
    // Reading a run directory.

    /** One run directory, read and checked. {@code history} is null if the run wrote none. */
    private record LoadedRun(RunFiles files, RunRecord record, EvaluationRecord evaluation, TrainingHistory history,
                             ProvenanceFacts facts) {

        static LoadedRun read(RunFiles files) {
            Objects.requireNonNull(files, "a run directory in the run list is null");
            RunRecord record = readJson(files, RunFiles.RUN, RunRecord.class);
            if (record.trainer() == null || record.trainer().isBlank() || record.status() == null) {
                throw invalid(files, RunFiles.RUN, "it names no trainer or status (trainer=" + record.trainer()
                        + ", status=" + record.status() + ")");
            }
            EvaluationRecord evaluation = readJson(files, RunFiles.EVALUATION, EvaluationRecord.class);
            if (!(evaluation.accuracy() >= 0.0 && evaluation.accuracy() <= 1.0)) {
                throw invalid(files, RunFiles.EVALUATION, "its accuracy " + evaluation.accuracy() + " is not in [0, 1]");
            }
            TrainingHistory history = Files.exists(files.file(RunFiles.HISTORY)) ? readHistory(files) : null;
            ProvenanceFacts facts = ProvenanceFacts.of(readProvenance(files));
            Path model = files.file(RunFiles.MODEL);
            try {
                if (!Files.isRegularFile(model)) {
                    throw missing(files, RunFiles.MODEL);
                }
                if (Files.size(model) == 0) {
                    throw invalid(files, RunFiles.MODEL, "it is empty");
                }
            } catch (IOException e) {
                throw new IllegalArgumentException(where(files, RunFiles.MODEL) + "could not be read: " + e.getMessage(), e);
            }
            return new LoadedRun(files, record, evaluation, history, facts);
        }

        double finalLoss() {
            return history == null ? Double.NaN : history.finalLoss();
        }

        String seedLabel() {
            return "seed " + record.seed();
        }
    }

    private static String where(RunFiles files, String name) {
        return "run directory " + files.dir() + ": " + name + " (" + files.file(name) + ") ";
    }

    private static IllegalArgumentException missing(RunFiles files, String name) {
        return new IllegalArgumentException(where(files, name) + "is missing; the run did not finish or its files were "
                + "moved: re-run it, or leave the directory out of the report");
    }

    private static IllegalArgumentException invalid(RunFiles files, String name, String why) {
        return new IllegalArgumentException(where(files, name) + "is corrupt: " + why);
    }

    /** A reader for which a field missing from the file is an error, not a silent 0. */
    private static ObjectReader strictReader(Class<?> type) {
        return RunFiles.JSON.readerFor(type).with(DeserializationFeature.FAIL_ON_MISSING_CREATOR_PROPERTIES,
                DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);
    }

    private static IllegalArgumentException corrupt(RunFiles files, String name, String type, JsonProcessingException e) {
        JsonLocation at = e.getLocation();
        String location = at == null || at.getLineNr() < 0 ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr();
        return new IllegalArgumentException(where(files, name) + "is corrupt: not a valid " + type + location + ": "
                + e.getOriginalMessage(), e);
    }

    /** Reads a JSON file strictly. */
    private static <V> V readJson(RunFiles files, String name, Class<V> type) {
        Path path = files.file(name);
        if (!Files.isRegularFile(path)) {
            throw missing(files, name);
        }
        V value;
        try {
            value = strictReader(type).readValue(path.toFile());
        } catch (JsonProcessingException e) {
            throw corrupt(files, name, type.getSimpleName(), e);
        } catch (IOException e) {
            throw new IllegalArgumentException(where(files, name) + "could not be read: " + e.getMessage(), e);
        }
        if (value == null) {
            throw invalid(files, name, "it holds JSON null instead of a " + type.getSimpleName());
        }
        return value;
    }

    /** Reads {@value RunFiles#HISTORY} strictly: every field must be present (a null epoch fails in the record). */
    private static TrainingHistory readHistory(RunFiles files) {
        return readJson(files, RunFiles.HISTORY, TrainingHistory.class);
    }

    private static ModelProvenance readProvenance(RunFiles files) {
        Path path = files.file(RunFiles.PROVENANCE);
        if (!Files.isRegularFile(path)) {
            throw missing(files, RunFiles.PROVENANCE);
        }
        ObjectProvenance provenance;
        try {
            provenance = new JsonProvenanceSerialization(true).deserializeAndUnmarshal(Files.readString(path));
        } catch (IOException e) {
            throw new IllegalArgumentException(where(files, RunFiles.PROVENANCE) + "could not be read: " + e.getMessage(), e);
        } catch (ProvenanceSerializationException | RuntimeException e) {
            throw invalid(files, RunFiles.PROVENANCE, "not an OLCUT JSON provenance: " + e.getMessage());
        }
        if (!(provenance instanceof ModelProvenance)) {
            throw invalid(files, RunFiles.PROVENANCE, "it holds a " + (provenance == null ? "null" : provenance.getClass().getName())
                    + ", not a Tribuo ModelProvenance");
        }
        return (ModelProvenance) provenance;
    }

    // ---------------------------------------------------------------------------------------------
    // Per-trainer summaries.

    private static TrainerSummary summarise(String trainer, List<LoadedRun> runs, double target) {
        ProvenanceFacts facts = runs.get(0).facts;
        LossScale scale = facts.lossScale();
        int n = runs.size();
        List<Long> seeds = new ArrayList<>();
        double[] accuracy = new double[n];
        double[] macroF1 = new double[n];
        double[] finalLoss = new double[n];
        double[] seconds = new double[n];
        double[] oscillation = new double[n];
        List<SeedConvergence> perSeed = new ArrayList<>();
        List<Double> reached = new ArrayList<>();
        TreeMap<Integer, List<EpochRecord>> byEpoch = new TreeMap<>();
        for (int i = 0; i < n; i++) {
            LoadedRun r = runs.get(i);
            seeds.add(r.record.seed());
            accuracy[i] = r.evaluation.accuracy();
            macroF1[i] = r.evaluation.macroF1();
            finalLoss[i] = r.finalLoss();
            seconds[i] = r.record.trainSeconds();
            oscillation[i] = r.history == null ? Double.NaN : r.history.meanAbsoluteStepChange();
            Integer epochs = r.history == null ? null : epochsToTarget(r.history, target);
            if (epochs != null) {
                reached.add(epochs.doubleValue());
            }
            perSeed.add(new SeedConvergence(r.record.seed(), epochs, oscillation[i]));
            if (r.history != null) {
                for (EpochRecord e : r.history.epochs()) {
                    byEpoch.computeIfAbsent(e.epoch(), k -> new ArrayList<>()).add(e);
                }
            }
        }
        Convergence convergence = new Convergence(target, reached.size(), n, perSeed,
                Statistics.summarise(reached.stream().mapToDouble(Double::doubleValue).toArray()),
                Statistics.summarise(oscillation));
        List<CurvePoint> curve = new ArrayList<>();
        for (Map.Entry<Integer, List<EpochRecord>> e : byEpoch.entrySet()) {
            List<EpochRecord> epochs = e.getValue();
            curve.add(new CurvePoint(e.getKey(), epochs.size(),
                    finiteMean(epochs.stream().mapToDouble(EpochRecord::meanLoss).toArray()),
                    finiteMean(epochs.stream().mapToDouble(EpochRecord::heldOutMetric).toArray())));
        }
        return new TrainerSummary(trainer, facts.isRandomGradient(), scale.describe(), scale.expectedValue(),
                scale.min(), scale.max(), facts.learningRate().orElse(Double.NaN),
                facts.effectiveLearningRate().orElse(Double.NaN), facts.momentum().orElse("not recorded"),
                facts.optimiser().orElse("not recorded"), runs.stream().anyMatch(r -> r.facts.usesTribuoAdam()), seeds,
                Statistics.summarise(accuracy), Statistics.summarise(macroF1), Statistics.summarise(finalLoss),
                Statistics.summarise(seconds), convergence, curve);
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

    private static double finiteMean(double[] values) {
        double sum = 0;
        int n = 0;
        for (double v : values) {
            if (Double.isFinite(v)) {
                sum += v;
                n++;
            }
        }
        return n == 0 ? Double.NaN : sum / n;
    }

    // ---------------------------------------------------------------------------------------------
    // Provenance diff.

    /** Is a flattened trainer-provenance key a configuration value (not a seed, not a time stamp or counter)? */
    private static boolean isConfiguration(String key) {
        return !ProvenanceFacts.isVolatile(key) && !key.equals("seed") && !key.endsWith(".seed");
    }

    private static Map<String, String> configuration(ProvenanceFacts facts) {
        Map<String, String> out = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : facts.trainerFields().entrySet()) {
            if (isConfiguration(e.getKey())) {
                out.put(e.getKey(), e.getValue());
            }
        }
        return out;
    }

    private static ProvenanceDiff provenanceDiff(Map<String, List<LoadedRun>> byTrainer) {
        Map<String, Map<String, String>> configs = new LinkedHashMap<>();
        Set<String> keys = new LinkedHashSet<>();
        for (Map.Entry<String, List<LoadedRun>> e : byTrainer.entrySet()) {
            Map<String, String> config = configuration(e.getValue().get(0).facts);
            configs.put(e.getKey(), config);
            keys.addAll(config.keySet());
        }
        List<DiffRow> rows = new ArrayList<>();
        for (String key : keys) {
            Map<String, String> values = new LinkedHashMap<>();
            for (Map.Entry<String, Map<String, String>> e : configs.entrySet()) {
                values.put(e.getKey(), e.getValue().getOrDefault(key, ReportData.MISSING));
            }
            if (new HashSet<>(values.values()).size() > 1) {
                rows.add(new DiffRow(key, values));
            }
        }
        Map<String, String> hashes = new LinkedHashMap<>();
        Set<String> allHashes = new LinkedHashSet<>();
        for (Map.Entry<String, List<LoadedRun>> e : byTrainer.entrySet()) {
            Set<String> trainerHashes = new LinkedHashSet<>();
            for (LoadedRun r : e.getValue()) {
                trainerHashes.add(r.facts.dataHash());
            }
            allHashes.addAll(trainerHashes);
            hashes.put(e.getKey(), String.join(" | ", trainerHashes));
        }
        boolean same = allHashes.size() == 1;
        String note;
        String source = byTrainer.values().iterator().next().get(0).facts.dataSource();
        if (!same) {
            note = "the runs trained on different data (data hashes differ: " + String.join(" | ", allHashes)
                    + "); the comparison is not like for like";
        } else if (allHashes.contains("none recorded")) {
            note = "no run recorded a hash of its training data, so it cannot be confirmed that all runs used the same "
                    + "data (first run's data source: " + source + ")";
        } else {
            LoadedRun first = byTrainer.values().iterator().next().get(0);
            note = "all runs trained on the same data, " + source + ", and were tested on " + first.record.testExamples()
                    + " examples (" + allHashes.iterator().next() + ")";
        }
        String shared = sharedSettings(byTrainer);
        if (!shared.isEmpty()) {
            note += "; settings shared by every trainer: " + shared;
        }
        return new ProvenanceDiff(new ArrayList<>(byTrainer.keySet()), rows, hashes, same, note);
    }

    /** The common optimisation settings, listed when every trainer records the same value. */
    private static String sharedSettings(Map<String, List<LoadedRun>> byTrainer) {
        String[][] settings = {{"epochs", "epochs"}, {"batch size", "batchSize", "minibatchSize"}, {"optimiser", "optimiser"},
                {"momentum", "momentum", "rho"}, {"weight decay", "weightDecay"}, {"schedule", "lrSchedule"}};
        List<String> out = new ArrayList<>();
        for (String[] setting : settings) {
            Set<String> values = new LinkedHashSet<>();
            for (List<LoadedRun> runs : byTrainer.values()) {
                ProvenanceFacts facts = runs.get(0).facts;
                values.add(setting[0].equals("optimiser") ? facts.optimiser().orElse(null)
                        : facts.field(Arrays.copyOfRange(setting, 1, setting.length)).orElse(null));
            }
            if (values.size() == 1 && !values.contains(null)) {
                out.add(setting[0] + " " + values.iterator().next());
            }
        }
        return String.join(", ", out);
    }

    // ---------------------------------------------------------------------------------------------
    // Verdicts.

    private static List<Comparison> comparisons(ReportOptions options, Map<String, List<LoadedRun>> byTrainer,
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

    private static TrainerSummary find(List<TrainerSummary> trainers, String name) {
        return trainers.stream().filter(t -> t.trainer().equals(name)).findFirst().orElseThrow();
    }

    private static Verdict verdict(Comparison c, Map<String, List<LoadedRun>> byTrainer, List<TrainerSummary> trainers) {
        TrainerSummary cand = find(trainers, c.candidate());
        TrainerSummary ref = find(trainers, c.reference());
        double[] a = byTrainer.get(c.candidate()).stream().mapToDouble(r -> r.evaluation.accuracy()).toArray();
        double[] b = byTrainer.get(c.reference()).stream().mapToDouble(r -> r.evaluation.accuracy()).toArray();
        double meanA = cand.accuracy().mean();
        double meanB = ref.accuracy().mean();
        double diff = meanA - meanB;
        double p = Double.NaN;
        String outcome;
        String sentence;
        if (a.length < 2 || b.length < 2) {
            outcome = Verdict.NO_VERDICT;
            sentence = c.candidate() + " vs " + c.reference() + ": no verdict: needs at least 2 seeds per trainer ("
                    + c.candidate() + " has " + a.length + ", " + c.reference() + " has " + b.length + ")";
        } else {
            p = Statistics.welchPValue(a, b);
            String test = "Welch t-test p = " + ReportFormat.pValue(p) + ", n = " + a.length + " vs " + b.length;
            if (p < ALPHA && diff != 0.0) {
                outcome = diff > 0 ? Verdict.BETTER : Verdict.WORSE;
                sentence = c.candidate() + " is " + outcome + " than " + c.reference() + " by " + ReportFormat.signed(diff)
                        + " accuracy, larger than the seed-to-seed noise (" + test + ")";
            } else {
                outcome = Verdict.NO_DIFFERENCE;
                sentence = c.candidate() + " vs " + c.reference() + ": no difference beyond seed-to-seed noise (difference "
                        + ReportFormat.signed(diff) + " accuracy, " + test + ")";
            }
        }
        return new Verdict(c.candidate(), c.reference(), a.length, b.length, meanA, meanB, diff, p, outcome,
                sentence + stepCaveat(cand, ref));
    }

    /** The E[u] caveat when the two sides' mean steps (learning rate × E[u]) differ or cannot be compared. */
    private static String stepCaveat(TrainerSummary cand, TrainerSummary ref) {
        for (TrainerSummary t : List.of(cand, ref)) {
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
        TrainerSummary rg = cand.randomGradient() || !ref.randomGradient() ? cand : ref;
        TrainerSummary other = rg == cand ? ref : cand;
        return "; " + (rg.randomGradient() ? "RG's" : rg.trainer() + "'s") + " mean step is lr × E[u] = " + step(rg)
                + " for " + rg.trainer() + " vs " + step(other) + " for " + other.trainer()
                + "; compare with the lr-matched baseline before crediting the noise";
    }

    private static String step(TrainerSummary t) {
        return ReportFormat.num(t.learningRate()) + " × " + ReportFormat.num(t.lossScaleMean()) + " = "
                + ReportFormat.num(t.effectiveLearningRate());
    }

    // ---------------------------------------------------------------------------------------------
    // Notes.

    private static List<String> notes(Map<String, List<LoadedRun>> byTrainer, List<TrainerSummary> trainers,
                                      List<DivergedRun> diverged) {
        List<String> notes = new ArrayList<>();
        for (TrainerSummary t : trainers) {
            if (t.usesTribuoAdam()) {
                notes.add("WARNING: " + t.trainer() + " uses Tribuo 4.3.2's Adam, which is defective: it multiplies the "
                        + "update by the square root of the second moment instead of dividing by it (oracle/tribuo#401); "
                        + "its results are not those of Adam");
            }
        }
        for (Map.Entry<String, List<LoadedRun>> e : byTrainer.entrySet()) {
            List<LoadedRun> runs = e.getValue();
            long without = runs.stream().filter(r -> r.history == null).count();
            if (without > 0) {
                notes.add(e.getKey() + ": " + without + " of " + runs.size() + " runs have no training history (Tribuo's own "
                        + "trainers keep none); its final training loss, convergence and curves leave them out");
            }
            Map<String, String> first = configuration(runs.get(0).facts);
            Set<String> differing = new LinkedHashSet<>();
            for (LoadedRun r : runs.subList(1, runs.size())) {
                Map<String, String> config = configuration(r.facts);
                Set<String> keys = new LinkedHashSet<>(first.keySet());
                keys.addAll(config.keySet());
                for (String k : keys) {
                    if (!Objects.equals(first.get(k), config.get(k))) {
                        differing.add(k + " (" + runs.get(0).seedLabel() + ": " + first.getOrDefault(k, ReportData.MISSING)
                                + ", " + r.seedLabel() + ": " + config.getOrDefault(k, ReportData.MISSING) + ")");
                    }
                }
            }
            if (!differing.isEmpty()) {
                notes.add(e.getKey() + ": its runs differ in configuration beyond the seed, so its seeds are not repeats "
                        + "of one configuration: " + String.join("; ", differing));
            }
        }
        if (!diverged.isEmpty()) {
            notes.add(diverged.size() + " run(s) diverged; their test accuracy (of the model as training stopped) is "
                    + "included in the summaries and verdicts");
        }
        return notes;
    }
}

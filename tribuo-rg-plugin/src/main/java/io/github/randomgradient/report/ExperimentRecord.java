package io.github.randomgradient.report;

import io.github.randomgradient.run.RunFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What an experiment asked of its report, recorded with its runs as {@code <output>/}{@value #FILE}
 * so that a report rebuilt later from the run directories uses the experiment's own title, target
 * accuracy and comparisons instead of defaults.
 *
 * @param trainers The trainers' component names, in the experiment's (and the report's) order; null
 *                 (a record written before trainers were recorded) is read as empty.
 * @param title The report title.
 * @param targetAccuracy The target test accuracy for "epochs to target", in [0, 1].
 * @param comparisons The named comparisons, each {@code candidate vs reference}; empty for the default.
 */
public record ExperimentRecord(List<String> trainers, String title, double targetAccuracy, List<String> comparisons) {

    /** The file name, in the experiment's output directory (beside {@code runs/}). */
    public static final String FILE = "experiment.json";

    /**
     * Validates and freezes the record.
     * @throws NullPointerException If the title or comparisons are null.
     */
    public ExperimentRecord {
        trainers = trainers == null ? List.of() : List.copyOf(trainers);
        Objects.requireNonNull(title, "title");
        comparisons = List.copyOf(comparisons);
    }

    /**
     * The report options this record asks for.
     * @return The options.
     * @throws IllegalArgumentException If a comparison does not read {@code candidate vs reference} or the
     *                                  target is not in [0, 1].
     */
    public ReportOptions toOptions() {
        return new ReportOptions(comparisons.stream().map(ExperimentRecord::parse).toList(), targetAccuracy, title);
    }

    /**
     * Parses {@code candidate vs reference}.
     * @param text The comparison.
     * @return The comparison.
     * @throws IllegalArgumentException If it does not read {@code candidate vs reference}.
     */
    public static ReportOptions.Comparison parse(String text) {
        String[] parts = text.trim().split("\\s+vs\\s+");
        if (parts.length != 2) {
            throw new IllegalArgumentException("a comparison must read 'candidate vs reference', found '" + text + "'");
        }
        return new ReportOptions.Comparison(parts[0].trim(), parts[1].trim());
    }

    /**
     * Orders run directories as the experiment listed their trainers (runs of unlisted trainers last),
     * keeping the given order within a trainer.
     * @param runs The run directories, {@code .../<trainer>/seed-<n>/}.
     * @return The runs in report order.
     */
    public List<RunFiles> inTrainerOrder(List<RunFiles> runs) {
        return runs.stream().sorted(java.util.Comparator.comparingInt(r -> {
            Path trainerDir = r.dir().toAbsolutePath().normalize().getParent();
            int i = trainerDir == null ? -1 : trainers.indexOf(trainerDir.getFileName().toString());
            return i < 0 ? Integer.MAX_VALUE : i;
        })).toList();
    }

    /**
     * Writes the record atomically into an experiment output directory.
     * @param output The output directory.
     */
    public void write(Path output) {
        RunFiles.at(output).writeJson(FILE, this);
    }

    /**
     * Reads the record of an experiment output directory, if it has one.
     * @param output The output directory.
     * @return The record, empty if the directory holds no {@value #FILE}.
     * @throws IllegalArgumentException If the file exists but is corrupt.
     */
    public static Optional<ExperimentRecord> read(Path output) {
        if (!Files.exists(output.resolve(FILE))) {
            return Optional.empty();
        }
        try {
            return Optional.of(RunFiles.JSON.readValue(output.resolve(FILE).toFile(), ExperimentRecord.class));
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException(output.resolve(FILE) + " is corrupt: " + e.getMessage(), e);
        }
    }
}

package io.github.randomgradient.report;

import io.github.randomgradient.history.TrainingHistory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;

/**
 * The files of one run directory, {@code <output>/runs/<trainer>/seed-<seed>/}:
 * <ul>
 *     <li>{@value #MODEL}: the model as Tribuo protobuf ({@code Model.serializeToFile});</li>
 *     <li>{@value #PROVENANCE}: the model provenance, OLCUT {@code JsonProvenanceSerialization};</li>
 *     <li>{@value #EVALUATION}: the test evaluation ({@link EvaluationRecord});</li>
 *     <li>{@value #HISTORY}: the per-epoch {@link TrainingHistory}, if the model has one;</li>
 *     <li>{@value #RUN}: the {@link RunRecord}, written last: a run is complete only when it exists.</li>
 * </ul>
 * Every file is written to a temporary name and moved into place atomically, so an interrupted
 * run never leaves a partial file under a real name.
 */
public final class RunFiles {

    /** Model file name. */
    public static final String MODEL = "model.tribuo.pb";
    /** Provenance file name. */
    public static final String PROVENANCE = "provenance.json";
    /** Evaluation file name. */
    public static final String EVALUATION = "evaluation.json";
    /** History file name. */
    public static final String HISTORY = "history.json";
    /** Run record file name, the completion marker. */
    public static final String RUN = "run.json";

    /** The JSON mapper used for every file this project writes: indented, NaN written as "NaN". */
    public static final ObjectMapper JSON = new ObjectMapper()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private final Path dir;

    private RunFiles(Path dir) {
        this.dir = dir;
    }

    /**
     * The files of a run directory.
     * @param dir The run directory.
     * @return Its files.
     */
    public static RunFiles at(Path dir) {
        return new RunFiles(dir);
    }

    /**
     * The run directory of a trainer and seed under an experiment's output directory.
     * @param output The experiment output directory.
     * @param trainer The trainer's component name.
     * @param seed The seed.
     * @return The run's files.
     */
    public static RunFiles of(Path output, String trainer, long seed) {
        return new RunFiles(output.resolve("runs").resolve(trainer).resolve("seed-" + seed));
    }

    /**
     * The run directory.
     * @return The directory.
     */
    public Path dir() {
        return dir;
    }

    /**
     * A file of this run.
     * @param name One of the file-name constants.
     * @return Its path.
     */
    public Path file(String name) {
        return dir.resolve(name);
    }

    /**
     * Is the run complete: is its {@value #RUN} readable and are the model, provenance and evaluation present?
     * @return True if complete.
     */
    public boolean isComplete() {
        if (!Files.isRegularFile(file(RUN)) || !Files.isRegularFile(file(MODEL)) || !Files.isRegularFile(file(PROVENANCE))
                || !Files.isRegularFile(file(EVALUATION))) {
            return false;
        }
        try {
            readRun();
            return true;
        } catch (UncheckedIOException e) {
            return false;
        }
    }

    /**
     * Writes bytes atomically: to a temporary file in the run directory, then moved into place.
     * @param name The file name.
     * @param bytes The content.
     * @throws UncheckedIOException If the file cannot be written.
     */
    public void write(String name, byte[] bytes) {
        try {
            Files.createDirectories(dir);
            Path tmp = partialFile(dir, name);
            Files.write(tmp, bytes, java.nio.file.StandardOpenOption.CREATE_NEW);
            try {
                Files.move(tmp, file(name), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file(name), StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not write " + file(name), e);
        }
    }

    /**
     * A fresh temporary name for {@code name} in {@code dir} (hidden, ending in {@code .partial}), for
     * writing a file before moving it into place. Unlike {@code Files.createTempFile} the file is
     * created with the usual permissions when it is written.
     * @param dir The directory.
     * @param name The final file name.
     * @return The temporary path (not created).
     */
    static Path partialFile(Path dir, String name) {
        return dir.resolve("." + name + "." + java.util.UUID.randomUUID() + ".partial");
    }

    /**
     * Writes an object as JSON, atomically.
     * @param name The file name.
     * @param value The object.
     * @throws UncheckedIOException If the file cannot be written.
     */
    public void writeJson(String name, Object value) {
        try {
            write(name, JSON.writeValueAsBytes(value));
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException("could not encode " + name + " as JSON", e);
        }
    }

    /**
     * Writes text, atomically.
     * @param name The file name.
     * @param text The UTF-8 text.
     */
    public void writeText(String name, String text) {
        write(name, text.getBytes(StandardCharsets.UTF_8));
    }

    private <V> V readJson(String name, Class<V> type) {
        try {
            return JSON.readValue(file(name).toFile(), type);
        } catch (IOException e) {
            throw new UncheckedIOException("could not read " + file(name) + ": " + e.getMessage(), e);
        }
    }

    /**
     * Reads the run record.
     * @return The run record.
     * @throws UncheckedIOException If it is missing or malformed.
     */
    public RunRecord readRun() {
        return readJson(RUN, RunRecord.class);
    }

    /**
     * Reads the evaluation.
     * @return The evaluation.
     * @throws UncheckedIOException If it is missing or malformed.
     */
    public EvaluationRecord readEvaluation() {
        return readJson(EVALUATION, EvaluationRecord.class);
    }

    /**
     * Reads the training history, if the run wrote one.
     * @return The history.
     * @throws UncheckedIOException If it exists but is malformed.
     */
    public Optional<TrainingHistory> readHistory() {
        return Files.isRegularFile(file(HISTORY)) ? Optional.of(readJson(HISTORY, TrainingHistory.class)) : Optional.empty();
    }

    /**
     * Deletes every file of the run that is not complete, including temporary files.
     * @throws UncheckedIOException If a file cannot be deleted.
     */
    public void clear() {
        if (!Files.isDirectory(dir)) {
            return;
        }
        try (var files = Files.list(dir)) {
            for (Path p : (Iterable<Path>) files::iterator) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not clear " + dir, e);
        }
    }
}

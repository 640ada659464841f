package io.github.randomgradient.run;

import io.github.randomgradient.config.Digests;

import io.github.randomgradient.history.TrainingHistory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import com.oracle.labs.mlrg.olcut.config.json.JsonProvenanceSerialization;
import com.oracle.labs.mlrg.olcut.provenance.ObjectProvenance;
import com.oracle.labs.mlrg.olcut.provenance.io.ProvenanceSerializationException;
import org.tribuo.provenance.ModelProvenance;

import com.google.protobuf.InvalidProtocolBufferException;
import org.tribuo.protos.core.ModelProto;

import java.io.IOException;
import java.io.InputStream;
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
 *     <li>{@value #HISTORY}: the {@link TrainingHistory} (per epoch, and the held-out curve's points), if the model has one;</li>
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
     * The most bytes a file or directory name may have: 255, the limit of ext4, XFS, Btrfs, NTFS
     * and APFS ({@code NAME_MAX}), counted in bytes of UTF-8, not in characters.
     */
    public static final int MAX_NAME_BYTES = 255;

    /** Length of the hash suffix {@link #boundedName(String, int)} appends: {@code ~} and 16 hex digits. */
    static final int HASH_SUFFIX_BYTES = 17;

    /**
     * A file or directory name the tool makes, kept within {@code maxBytes} bytes of UTF-8.
     * <p>
     * A name that fits is returned unchanged. A longer one is shortened deterministically: its longest
     * prefix (whole code points) that leaves room for the suffix, then {@code ~} and the first 16 hex
     * digits of the SHA-256 of the whole name. The name stays readable, the same name always gives the
     * same result (so resuming finds the run again), and two long names that share their prefix still
     * differ (in their hash).
     * @param name The name.
     * @param maxBytes The most bytes, at least {@value #HASH_SUFFIX_BYTES} + 4.
     * @return The name, at most {@code maxBytes} bytes of UTF-8.
     * @throws IllegalArgumentException If {@code maxBytes} leaves no room for a prefix and the suffix.
     */
    public static String boundedName(String name, int maxBytes) {
        if (maxBytes < HASH_SUFFIX_BYTES + 4) {
            throw new IllegalArgumentException("maxBytes must be >= " + (HASH_SUFFIX_BYTES + 4) + ", found " + maxBytes);
        }
        byte[] utf8 = name.getBytes(StandardCharsets.UTF_8);
        if (utf8.length <= maxBytes) {
            return name;
        }
        int budget = maxBytes - HASH_SUFFIX_BYTES;
        StringBuilder prefix = new StringBuilder();
        int used = 0;
        for (int i = 0; i < name.length(); ) {
            int cp = name.codePointAt(i);
            int bytes = new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8).length;
            if (used + bytes > budget) {
                break;
            }
            prefix.appendCodePoint(cp);
            used += bytes;
            i += Character.charCount(cp);
        }
        return prefix + "~" + Digests.sha256(utf8).substring(0, HASH_SUFFIX_BYTES - 1);
    }

    /**
     * The run directory of a trainer and seed under an experiment's output directory.
     * <p>
     * The trainer's directory is its component name, shortened by {@link #boundedName(String, int)}
     * when longer than {@value #MAX_NAME_BYTES} bytes of UTF-8 (the run record keeps the full name,
     * so reports show it), so a long trainer name never fails on the file system after training.
     * @param output The experiment output directory.
     * @param trainer The trainer's component name.
     * @param seed The seed.
     * @return The run's files.
     * @throws IllegalArgumentException If the name is empty, starts with '.' or would leave {@code runs/}.
     */
    public static RunFiles of(Path output, String trainer, long seed) {
        Path runs = output.resolve("runs");
        String name = boundedName(trainer, MAX_NAME_BYTES);
        Path dir;
        try {
            dir = runs.resolve(name).resolve("seed-" + seed);
        } catch (java.nio.file.InvalidPathException e) {
            throw new IllegalArgumentException("trainer name '" + trainer + "' cannot name a run directory under " + runs
                    + ": use letters, digits, '.', '_' and '-' only", e);
        }
        if (trainer.isEmpty() || name.startsWith(".") || !dir.normalize().getParent().equals(runs.resolve(name).normalize())
                || !runs.resolve(name).normalize().getParent().equals(runs.normalize())) {
            throw new IllegalArgumentException("trainer name '" + trainer + "' cannot name a run directory under " + runs
                    + ": use letters, digits, '.', '_' and '-' only");
        }
        return new RunFiles(dir);
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
     * Is the run complete: does {@link #read()} accept it?
     * @return True if complete.
     */
    public boolean isComplete() {
        try {
            read();
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /**
     * Reads the run directory strictly: the one place that decides what a complete run is.
     * {@value #RUN}, {@value #EVALUATION}, {@value #PROVENANCE} and {@value #MODEL} must be present and
     * well formed: every field of the JSON records present, and the model file a complete Tribuo
     * protobuf of the class the run record names. {@value #HISTORY} is optional (Tribuo's own
     * trainers keep none) but strict when present.
     * @return The run.
     * @throws IllegalArgumentException If a file is missing, empty, unreadable or corrupt; the message
     *                                  names the run directory, the file and what is wrong.
     */
    public LoadedRun read() {
        RunRecord record = readRun();
        if (record.trainer() == null || record.trainer().isBlank() || record.status() == null) {
            throw invalid(RUN, "it names no trainer or status (trainer=" + record.trainer() + ", status=" + record.status() + ")");
        }
        EvaluationRecord evaluation = readEvaluation();
        if (!(evaluation.accuracy() >= 0.0 && evaluation.accuracy() <= 1.0)) {
            throw invalid(EVALUATION, "its accuracy " + evaluation.accuracy() + " is not in [0, 1]");
        }
        TrainingHistory history = readHistory().orElse(null);
        ProvenanceFacts facts;
        ModelProvenance provenance = readProvenance();
        try {
            facts = ProvenanceFacts.of(provenance);
        } catch (IllegalStateException e) {
            throw invalid(PROVENANCE, e.getMessage());
        }
        Path model = file(MODEL);
        try {
            if (Files.isDirectory(model)) {
                throw invalid(MODEL, "it is a directory, not a model file");
            }
            if (!Files.isRegularFile(model)) {
                throw missing(MODEL);
            }
            if (Files.size(model) == 0) {
                throw invalid(MODEL, "it is empty");
            }
            checkModelFile(model, record);
        } catch (IOException e) {
            throw new IllegalArgumentException(where(MODEL) + "could not be read (" + e.getClass().getSimpleName() + "): "
                    + e.getMessage(), e);
        }
        checkHashes(record);
        checkSplit(provenance);
        return new LoadedRun(this, record, evaluation, history, facts);
    }

    /**
     * Parses the model file's Tribuo protobuf envelope without loading the model. The model bytes are
     * its last field and length-prefixed, so a file cut anywhere either fails to parse or lacks them.
     */
    private void checkModelFile(Path model, RunRecord record) throws IOException {
        ModelProto proto;
        try (InputStream in = Files.newInputStream(model)) {
            proto = ModelProto.parseFrom(in);
        } catch (InvalidProtocolBufferException e) {
            throw invalid(MODEL, "not a complete Tribuo protobuf model (" + e.getMessage() + "); it was cut short or "
                    + "overwritten: re-run the run");
        }
        if (!proto.hasSerializedData() || proto.getClassName().isEmpty()) {
            throw invalid(MODEL, "it holds no model (class name '" + proto.getClassName() + "', model bytes "
                    + (proto.hasSerializedData() ? "present" : "absent") + "); it was cut short: re-run the run");
        }
        if (record.modelClass() != null && !record.modelClass().equals(proto.getClassName())) {
            throw invalid(MODEL, "it holds a " + proto.getClassName() + " but " + RUN + " records a " + record.modelClass()
                    + "; the file belongs to another run");
        }
    }

    /** The split file a sweep run's training data refers to (a run of a sweep) must be there, unchanged ({@link SplitFile#verify}). */
    private void checkSplit(ModelProvenance provenance) {
        try {
            SplitFile.verify(dir, provenance.getDatasetProvenance());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(where(PROVENANCE) + ": " + e.getMessage(), e);
        }
    }

    /** Every file {@value #RUN} records a SHA-256 for must still have it: nothing was replaced after the run. */
    private void checkHashes(RunRecord record) {
        if (record.sha256() == null) {
            return;
        }
        for (java.util.Map.Entry<String, String> e : new java.util.TreeMap<>(record.sha256()).entrySet()) {
            String actual;
            try {
                if (!Files.isRegularFile(file(e.getKey()))) {
                    throw missing(e.getKey());
                }
                actual = Digests.sha256(Files.readAllBytes(file(e.getKey())));
            } catch (IOException x) {
                throw new IllegalArgumentException(where(e.getKey()) + "could not be read (" + x.getClass().getSimpleName() + "): "
                        + x.getMessage(), x);
            }
            if (!actual.equals(e.getValue())) {
                throw invalid(e.getKey(), "its SHA-256 is " + actual + " but " + RUN + " records " + e.getValue()
                        + ": the file was replaced (e.g. by another run's) or altered after the run; re-run the run");
            }
        }
    }

    private String where(String name) {
        return "run directory " + dir + ": " + name + " (" + file(name) + ") ";
    }

    private IllegalArgumentException missing(String name) {
        return new IllegalArgumentException(where(name) + "is missing; the run did not finish or its files were "
                + "moved: re-run it, or leave the directory out of the report");
    }

    private IllegalArgumentException invalid(String name, String why) {
        return new IllegalArgumentException(where(name) + "is corrupt: " + why);
    }

    /** A reader for which a field missing from the JSON, or null for a number, is an error, not a silent 0. */
    private static com.fasterxml.jackson.databind.ObjectReader strictReader(Class<?> type) {
        return JSON.readerFor(type).with(DeserializationFeature.FAIL_ON_MISSING_CREATOR_PROPERTIES,
                DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);
    }

    /** Reads a JSON file strictly: a field missing from the file is an error, not a silent 0. */
    private <V> V readJson(String name, Class<V> type) {
        Path path = file(name);
        if (!Files.isRegularFile(path)) {
            throw missing(name);
        }
        V value;
        try {
            value = strictReader(type).readValue(path.toFile());
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            String location = at == null || at.getLineNr() < 0 ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr();
            throw new IllegalArgumentException(where(name) + "is corrupt: not a valid " + type.getSimpleName() + location
                    + ": " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new IllegalArgumentException(where(name) + "could not be read: " + e.getMessage(), e);
        }
        if (value == null) {
            throw invalid(name, "it holds JSON null instead of a " + type.getSimpleName());
        }
        return value;
    }

    /**
     * Reads the run record strictly.
     * @return The run record.
     * @throws IllegalArgumentException If it is missing or malformed.
     */
    public RunRecord readRun() {
        com.fasterxml.jackson.databind.node.ObjectNode tree = readJson(RUN, com.fasterxml.jackson.databind.node.ObjectNode.class);
        if (!tree.has("sha256")) {
            tree.putNull("sha256"); // written before the files' hashes were recorded
        }
        try {
            return strictReader(RunRecord.class).readValue(tree);
        } catch (IOException e) {
            String message = e instanceof JsonProcessingException ? ((JsonProcessingException) e).getOriginalMessage() : e.getMessage();
            throw invalid(RUN, "not a valid RunRecord: " + message);
        }
    }

    /**
     * Reads the evaluation strictly.
     * @return The evaluation.
     * @throws IllegalArgumentException If it is missing or malformed.
     */
    public EvaluationRecord readEvaluation() {
        return readJson(EVALUATION, EvaluationRecord.class);
    }

    /**
     * Reads the training history strictly, if the run wrote one.
     * @return The history.
     * @throws IllegalArgumentException If it exists but is malformed.
     */
    public Optional<TrainingHistory> readHistory() {
        if (!Files.exists(file(HISTORY))) {
            return Optional.empty();
        }
        com.fasterxml.jackson.databind.node.ObjectNode tree = readJson(HISTORY, com.fasterxml.jackson.databind.node.ObjectNode.class);
        if (!tree.has("evaluations")) {
            tree.putArray("evaluations"); // written before the held-out curve was recorded
        }
        try {
            return Optional.of(strictReader(TrainingHistory.class).readValue(tree));
        } catch (IOException | IllegalArgumentException e) {
            String message = e instanceof JsonProcessingException ? ((JsonProcessingException) e).getOriginalMessage() : e.getMessage();
            throw invalid(HISTORY, "not a valid TrainingHistory: " + message);
        }
    }

    /**
     * Reads the model provenance ({@value #PROVENANCE}).
     * @return The provenance.
     * @throws IllegalArgumentException If it is missing, unreadable or not an OLCUT JSON Tribuo model provenance.
     */
    public ModelProvenance readProvenance() {
        Path path = file(PROVENANCE);
        if (!Files.isRegularFile(path)) {
            throw missing(PROVENANCE);
        }
        ObjectProvenance provenance;
        try {
            provenance = new JsonProvenanceSerialization(true).deserializeAndUnmarshal(Files.readString(path));
        } catch (IOException e) {
            throw new IllegalArgumentException(where(PROVENANCE) + "could not be read: " + e.getMessage(), e);
        } catch (ProvenanceSerializationException | RuntimeException e) {
            throw invalid(PROVENANCE, "not an OLCUT JSON provenance: " + e.getMessage());
        }
        if (!(provenance instanceof ModelProvenance)) {
            throw invalid(PROVENANCE, "it holds a " + (provenance == null ? "null" : provenance.getClass().getName())
                    + ", not a Tribuo ModelProvenance");
        }
        return (ModelProvenance) provenance;
    }

    /**
     * Writes bytes atomically: to a temporary file in the run directory, then moved into place.
     * @param name The file name.
     * @param bytes The content.
     * @return The SHA-256 of the content, lower-case hex (for {@link RunRecord#Digests.sha256()}).
     * @throws UncheckedIOException If the file cannot be written.
     */
    public String write(String name, byte[] bytes) {
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
        return Digests.sha256(bytes);
    }

    /**
     * A fresh temporary name for {@code name} in {@code dir} (hidden, ending in {@code .partial}), for
     * writing a file before moving it into place. Unlike {@code Files.createTempFile} the file is
     * created with the usual permissions when it is written.
     * @param dir The directory.
     * @param name The final file name.
     * @return The temporary path (not created).
     */
    public static Path partialFile(Path dir, String name) {
        return dir.resolve("." + name + "." + java.util.UUID.randomUUID() + ".partial");
    }

    /**
     * Writes an object as JSON, atomically.
     * @param name The file name.
     * @param value The object.
     * @return The SHA-256 of the file's content, lower-case hex.
     * @throws UncheckedIOException If the file cannot be written.
     */
    public String writeJson(String name, Object value) {
        try {
            return write(name, JSON.writeValueAsBytes(value));
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException("could not encode " + name + " as JSON", e);
        }
    }

    /**
     * Writes text, atomically.
     * @param name The file name.
     * @param text The UTF-8 text.
     * @return The SHA-256 of the file's content, lower-case hex.
     */
    public String writeText(String name, String text) {
        return write(name, text.getBytes(StandardCharsets.UTF_8));
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

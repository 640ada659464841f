package io.github.randomgradient.cli;

import com.oracle.labs.mlrg.olcut.config.Option;
import com.oracle.labs.mlrg.olcut.config.Options;
import io.github.randomgradient.history.EpochRecord;
import io.github.randomgradient.history.HasTrainingHistory;
import io.github.randomgradient.run.ProvenanceFacts;
import io.github.randomgradient.run.SplitFile;
import io.github.randomgradient.history.TrainingHistory;
import org.tribuo.Model;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InvalidClassException;
import java.io.InvalidObjectException;
import java.io.ObjectInputFilter;
import java.io.ObjectInputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * {@code audit}: prints what a saved model was trained with, read from its provenance: loss scale
 * (range, apply probability, mean), learning rate and effective learning rate, schedule, momentum,
 * weight decay, optimiser, seed, epochs, batch size, data source and its hash, engine, device and
 * threads; then its per-epoch history if it has one.
 * <pre>
 * tribuo-rg audit --model runs/fashion-mnist/runs/cnn-rg/seed-1/model.tribuo.pb
 * </pre>
 * <p>
 * A model file may be in either format Tribuo 4.3 writes: protobuf ({@code Model.serializeToFile},
 * what the commands write) or Java serialisation ({@code ObjectOutputStream}). {@link #load} reads
 * both, for {@code audit} and {@code report --models}.
 */
public final class AuditCommand {

    private AuditCommand() {}

    /**
     * Command-line options of {@code audit}.
     */
    public static final class AuditOptions implements Options {
        @Override
        public String getOptionsDescription() {
            return "Prints the training configuration of a saved model from its provenance.";
        }

        /** The model file. */
        @Option(charName = 'm', longName = "model", usage = "A saved model: Tribuo protobuf (e.g. model.tribuo.pb) or Java serialisation (only from a trusted source).")
        public Path model;
    }

    /**
     * Entry point.
     * @param args The arguments.
     */
    public static void main(String[] args) {
        System.exit(TribuoRg.execute(() -> run(args, System.out), System.err));
    }

    /** The first bytes of every Java serialisation stream: STREAM_MAGIC 0xACED, STREAM_VERSION 5. */
    private static final byte[] JAVA_SERIALISATION_MAGIC = {(byte) 0xAC, (byte) 0xED, 0x00, 0x05};

    /**
     * The classes a Java-serialised model may hold: Tribuo's and OLCUT's (models, provenance, feature
     * and output domains), tribuo-rg's (DJLModel, its block factories, converters, history), and the
     * plain value and collection classes of {@code java.lang}, {@code java.util} and {@code java.time}
     * they are built from; every other class is refused before it is loaded. This is Tribuo's own
     * JEP 290 filter ({@code docs/jep-290-filter.txt} in oracle/tribuo) widened to OLCUT and tribuo-rg and
     * narrowed to the packages a model uses ({@code java.util.*}, not its sub-packages). Primitive
     * arrays (the parameter bytes) pass any filter pattern.
     */
    /** The deepest object graph a model file may hold (a DJLModel's is a few dozen levels deep). */
    static final int MAX_DEPTH = 500;

    static final String MODEL_CLASSES = "org.tribuo.**;com.oracle.labs.mlrg.olcut.**;io.github.randomgradient.**;"
            + "java.lang.*;java.util.*;java.time.*;java.io.File;java.net.URL;java.net.URI;!*";

    /**
     * Loads a saved model, in either format Tribuo 4.3 writes.
     * <p>
     * A file that starts with Java serialisation's magic number ({@code AC ED 00 05}) cannot be a
     * protobuf {@code ModelProto} (its first byte would be an end-group tag), so it is read with an
     * {@link ObjectInputStream} under an allow-list filter ({@link #MODEL_CLASSES}, merged with any
     * JVM-wide {@code jdk.serialFilter}); any other file is read as protobuf with Tribuo's
     * {@code Model.deserializeFromFile}. Java deserialisation of an untrusted file is still unsafe
     * (the allowed classes can build large object graphs): read only model files you trust, and
     * prefer protobuf.
     * @param file The model file.
     * @return The model.
     * @throws CommandException If the file is missing, is not a readable Tribuo model in either format,
     *                          fails the model's own checks (integrity, format version), or (Java
     *                          serialisation) holds a class that no model needs or this build lacks;
     *                          the message names the file.
     */
    static Model<?> load(Path file) {
        if (Files.isDirectory(file)) {
            Path inside = file.resolve("model.tribuo.pb");
            throw new CommandException("model file " + file.toAbsolutePath() + " is a directory: give the model file itself"
                    + (Files.isRegularFile(inside) ? ", e.g. " + inside : " (model.tribuo.pb in a run directory)"));
        }
        if (!Files.isRegularFile(file)) {
            throw new CommandException("model file not found: " + file.toAbsolutePath());
        }
        try {
            if (Files.size(file) == 0) {
                throw new CommandException("model file " + file.toAbsolutePath() + " is empty (0 bytes), expected a Tribuo model "
                        + "(protobuf or Java serialisation)");
            }
            if (startsWithJavaSerialisationMagic(file)) {
                return readJavaSerialised(file);
            }
            return Model.deserializeFromFile(file);
        } catch (CommandException e) {
            throw e;
        } catch (ClassCastException e) {
            throw new CommandException("could not read model file " + file.toAbsolutePath()
                    + ": it is a Tribuo protobuf file, but of something other than a model (a dataset?)", e);
        } catch (IOException e) {
            throw new CommandException("could not read model file " + file.toAbsolutePath()
                    + ": it is neither a Tribuo protobuf model nor a Java-serialised one, or it is corrupt (" + e + ")", e);
        } catch (RuntimeException e) {
            throw new CommandException("could not read model file " + file.toAbsolutePath() + ": " + rootMessage(e), e);
        }
    }

    /** The model class's own check (integrity, format version) is the innermost cause; Tribuo and Java wrap it. */
    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getMessage();
    }

    private static boolean startsWithJavaSerialisationMagic(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            byte[] head = in.readNBytes(JAVA_SERIALISATION_MAGIC.length);
            return java.util.Arrays.equals(head, JAVA_SERIALISATION_MAGIC);
        }
    }

    /**
     * The allow-list filter, bounded: the stream's first object must be a {@link Model} (anything else
     * is refused before its graph is read, so a file of nested collections costs nothing), and the
     * graph at most {@value #MAX_DEPTH} deep (a deeper one would overflow the stack). It remembers the
     * first class it refused, for the message.
     */
    private static final class ModelClassFilter implements ObjectInputFilter {
        private final ObjectInputFilter allowed;
        private Class<?> refused;
        private Class<?> notAModel;

        ModelClassFilter() {
            ObjectInputFilter ours = ObjectInputFilter.Config.createFilter(MODEL_CLASSES);
            ObjectInputFilter jvmWide = ObjectInputFilter.Config.getSerialFilter();
            this.allowed = jvmWide == null ? ours : ObjectInputFilter.merge(ours, jvmWide);
        }

        @Override
        public Status checkInput(FilterInfo info) {
            if (info.depth() > MAX_DEPTH) {
                return Status.REJECTED;
            }
            Status status = allowed.checkInput(info);
            if (status == Status.REJECTED && refused == null) {
                refused = info.serialClass();
                return status;
            }
            if (info.depth() == 1 && info.serialClass() != null && !Model.class.isAssignableFrom(info.serialClass())) {
                notAModel = info.serialClass();
                return Status.REJECTED;
            }
            return status;
        }
    }

    /** Reads a Java-serialised model under {@link #MODEL_CLASSES}. */
    private static Model<?> readJavaSerialised(Path file) {
        String what = "model file " + file.toAbsolutePath() + " (Java serialisation)";
        ModelClassFilter filter = new ModelClassFilter();
        Object read;
        try (ObjectInputStream in = new ObjectInputStream(new BufferedInputStream(Files.newInputStream(file)))) {
            in.setObjectInputFilter(filter);
            read = in.readObject();
        } catch (InvalidClassException e) {
            if (filter.refused == null && filter.notAModel != null) {
                throw new CommandException("could not read " + what + ": it holds a " + filter.notAModel.getName()
                        + ", not a Tribuo model", e);
            }
            if (filter.refused != null) {
                throw new CommandException("could not read " + what + ": it holds class " + filter.refused.getName()
                        + ", which no Tribuo or tribuo-rg model needs; it was refused unread, as Java deserialisation of "
                        + "other classes can run arbitrary code (allowed: " + MODEL_CLASSES + ")", e);
            }
            throw new CommandException("could not read " + what + ": " + e.getMessage(), e);
        } catch (InvalidObjectException e) {
            // The model class's own checks (DJLModel: integrity, format version) throw this.
            throw new CommandException("could not read " + what + ": " + rootMessage(e), e);
        } catch (ClassNotFoundException e) {
            throw new CommandException("could not read " + what + ": it needs class " + e.getMessage()
                    + ", which this build of tribuo-rg does not have (a model of another library or a newer tribuo-rg?)", e);
        } catch (IOException e) {
            throw new CommandException("could not read " + what + ": it is truncated or corrupt (" + e + ")", e);
        } catch (RuntimeException e) {
            throw new CommandException("could not read " + what + ": " + rootMessage(e), e);
        } catch (StackOverflowError e) {
            throw new CommandException("could not read " + what + ": its object graph is too deep for this JVM's stack", e);
        }
        if (!(read instanceof Model)) {
            throw new CommandException("could not read " + what + ": it holds a " + (read == null ? "null" : read.getClass().getName())
                    + ", not a Tribuo model");
        }
        return (Model<?>) read;
    }

    /**
     * Prints the audit table.
     * @param args The arguments.
     * @param out Where the table is printed.
     * @return The audit rows.
     * @throws CommandException If the model is missing or corrupt.
     */
    public static Map<String, String> run(String[] args, PrintStream out) {
        AuditOptions o = new AuditOptions();
        TribuoRg.configure(args, o);
        if (o.model == null) {
            throw new CommandException("--model is required");
        }
        Model<?> model = load(o.model);
        Map<String, String> rows = new java.util.LinkedHashMap<>(ProvenanceFacts.of(model.getProvenance()).auditTable());
        Path runDir = o.model.toAbsolutePath().getParent();
        try {
            SplitFile.verify(runDir, model.getProvenance().getDatasetProvenance())
                    .ifPresent(v -> rows.put("training split", v.describe()));
        } catch (IllegalArgumentException e) {
            throw new CommandException("model file " + o.model + ": " + e.getMessage(), e);
        }
        int width = rows.keySet().stream().mapToInt(String::length).max().orElse(10);
        out.println("Model " + o.model + " (" + model.getClass().getSimpleName() + ")");
        for (Map.Entry<String, String> e : rows.entrySet()) {
            out.printf("  %-" + width + "s  %s%n", e.getKey(), e.getValue());
        }
        if (model instanceof HasTrainingHistory) {
            TrainingHistory h = ((HasTrainingHistory) model).getTrainingHistory();
            out.printf("History (%s; loss unscaled):%n", h.metric());
            out.printf("  %5s %6s %10s %10s %10s %10s %9s%n", "epoch", "steps", "loss", "scale", "train", "test", "seconds");
            for (EpochRecord r : h.epochs()) {
                String test = Double.isNaN(r.heldOutMetric()) ? "-" : String.format("%.4f", r.heldOutMetric());
                out.printf("  %5d %6d %10.4f %10.4f %10.4f %10s %9.1f%n", r.epoch(), r.steps(), r.meanLoss(),
                        r.meanLossScale(), r.trainingMetric(), test, r.wallSeconds());
            }
            h.divergenceIfAny().ifPresent(d -> out.println("  DIVERGED: " + d.describe()));
        }
        return rows;
    }
}

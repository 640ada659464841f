package io.github.randomgradient.cli;

import com.oracle.labs.mlrg.olcut.config.Option;
import com.oracle.labs.mlrg.olcut.config.Options;
import io.github.randomgradient.history.EpochRecord;
import io.github.randomgradient.history.HasTrainingHistory;
import io.github.randomgradient.run.ProvenanceFacts;
import io.github.randomgradient.history.TrainingHistory;
import org.tribuo.Model;

import java.io.IOException;
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
        @Option(charName = 'm', longName = "model", usage = "A saved model (Tribuo protobuf, e.g. model.tribuo.pb).")
        public Path model;
    }

    /**
     * Entry point.
     * @param args The arguments.
     */
    public static void main(String[] args) {
        System.exit(TribuoRg.execute(() -> run(args, System.out), System.err));
    }

    /**
     * Loads a saved model.
     * @param file The model file.
     * @return The model.
     * @throws CommandException If the file is missing or is not a readable Tribuo model.
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
                throw new CommandException("model file " + file.toAbsolutePath() + " is empty (0 bytes), expected a Tribuo protobuf model");
            }
            return Model.deserializeFromFile(file);
        } catch (CommandException e) {
            throw e;
        } catch (ClassCastException e) {
            throw new CommandException("could not read model file " + file.toAbsolutePath()
                    + ": it is a Tribuo protobuf file, but of something other than a model (a dataset?)", e);
        } catch (IOException e) {
            throw new CommandException("could not read model file " + file.toAbsolutePath()
                    + ": it is not a Tribuo protobuf model or it is corrupt (" + e + ")", e);
        } catch (RuntimeException e) {
            // The model class's own check (integrity, format version) is the innermost cause; Tribuo wraps it.
            Throwable root = e;
            while (root.getCause() != null && root.getCause() != root) {
                root = root.getCause();
            }
            throw new CommandException("could not read model file " + file.toAbsolutePath() + ": " + root.getMessage(), e);
        }
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
        Map<String, String> rows = ProvenanceFacts.of(model.getProvenance()).auditTable();
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

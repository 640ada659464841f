package io.github.randomgradient.cli;

import com.oracle.labs.mlrg.olcut.config.Option;
import com.oracle.labs.mlrg.olcut.config.Options;
import io.github.randomgradient.config.NumericEnvironment;
import io.github.randomgradient.config.ReproducibleMode;
import io.github.randomgradient.run.EnvironmentChange;
import io.github.randomgradient.run.RunFiles;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.logging.Logger;

/**
 * The numeric-environment options that {@code experiment} and {@code sweep} share: {@code --reproducible}
 * ({@link ReproducibleMode}) and {@code --environment-change} ({@link EnvironmentChange}), and the resume check
 * that applies the latter to an output directory's finished runs.
 */
public final class NumericOptions implements Options {

    private static final Logger logger = Logger.getLogger(NumericOptions.class.getName());

    /** The file in an output directory that records the runs of another environment kept by {@code accept}. */
    public static final String MIX_FILE = "environment-change.json";

    @Override
    public String getOptionsDescription() {
        return "Numeric environment (docs/gpu-and-audit.md)";
    }

    /** Reproducible mode. */
    @Option(longName = "reproducible", usage = "Pin libtorch's kernels to AVX2 (ATen, oneDNN, MKL) and one thread, so that the "
            + "same configuration gives the same parameter bytes on every x86-64 machine with AVX2; the tribuo-rg launcher "
            + "exports the pins, which must be set before the JVM starts.")
    public boolean reproducible;

    /** What to do with finished runs of another numeric environment. */
    @Option(longName = "environment-change", usage = "Finished runs trained in another numeric environment (CPU instruction "
            + "set, ISA pins, libtorch): refuse (default; exit 2), retrain (train them again here) or accept (keep them; recorded).")
    public String environmentChange;

    /**
     * Lets {@code --reproducible} stand alone as a flag: OLCUT 5.3's long options all take a value, so a
     * bare {@code --reproducible} (last, or followed by another option) becomes {@code --reproducible true}.
     * @param args The arguments.
     * @return The arguments, with the value added where it was left out.
     * @throws CommandException If {@code --reproducible} is given a value other than true or false (any case).
     */
    static String[] expandFlags(String[] args) {
        List<String> out = new java.util.ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            out.add(args[i]);
            if (args[i].equals("--reproducible")) {
                if (i + 1 == args.length || args[i + 1].startsWith("-")) {
                    out.add("true");
                } else if (!args[i + 1].equalsIgnoreCase("true") && !args[i + 1].equalsIgnoreCase("false")) {
                    // OLCUT would read any other word as false; the launcher would pin the kernels for it.
                    throw new CommandException("--reproducible takes no value, or true or false; found '" + args[i + 1] + "'");
                }
            }
        }
        return out.toArray(new String[0]);
    }

    /**
     * Checks the options before anything loads libtorch: with {@code --reproducible}, turns reproducible mode
     * on in this JVM (and so in its sweep workers) and checks the pins are in the environment.
     * @return The {@code --environment-change} choice.
     * @throws CommandException (exit 2) If {@code --environment-change} has another value, or if
     *     {@code --reproducible} is given in a process started without the pins (the message names them).
     */
    EnvironmentChange check() {
        EnvironmentChange change;
        try {
            change = EnvironmentChange.parse(environmentChange);
        } catch (IllegalArgumentException e) {
            throw new CommandException(e.getMessage());
        }
        // Read by the Spark engine through the sweep job's tribuo.rg.* properties: executors of several environments.
        System.setProperty("tribuo.rg.environmentChange", change.name().toLowerCase(java.util.Locale.ROOT));
        if (reproducible || ReproducibleMode.requested()) {
            try {
                ReproducibleMode.requirePinned(System.getenv(), "--reproducible");
            } catch (IllegalStateException e) {
                throw new CommandException(e.getMessage());
            }
            // Only once the pins are checked: a refused command leaves this JVM as it was.
            System.setProperty(ReproducibleMode.PROPERTY, "true");
        }
        return change;
    }

    /**
     * Compares the environments recorded by finished runs with this process's, before training.
     * @param change The choice.
     * @param finished Finished run directories; those without a provenance file (a run that diverged under
     *     FAIL is recorded without a model) are not compared.
     * @param output The output directory (where {@value #MIX_FILE} records an accepted mix).
     * @param out Where a note is printed.
     * @return The runs to train again (cleared here).
     * @throws CommandException (exit 2) Under refuse, if an environment differs.
     */
    /**
     * The runs an earlier call accepted (a sweep decides its tuning and its confirm runs in turn, into one file).
     * @param file The record of accepted runs.
     * @return Run directory (relative to the output) to its environment, empty if there is no record.
     */
    @SuppressWarnings("unchecked")
    private static Map<String, String> acceptedEarlier(Path file) {
        if (!java.nio.file.Files.isRegularFile(file)) {
            return Map.of();
        }
        try {
            Object runs = RunFiles.JSON.readValue(file.toFile(), Map.class).get("runs");
            return runs instanceof Map ? (Map<String, String>) runs : Map.of();
        } catch (java.io.IOException e) {
            throw new CommandException(file + " is not readable JSON (" + e.getMessage() + "): delete it and rerun with "
                    + "--environment-change accept", e);
        }
    }

    static List<Path> resume(EnvironmentChange change, List<Path> finished, Path output, PrintStream out) {
        Map<Path, NumericEnvironment> recorded = new LinkedHashMap<>();
        for (Path dir : finished) {
            if (!java.nio.file.Files.isRegularFile(RunFiles.at(dir).file(RunFiles.PROVENANCE))) {
                continue;   // e.g. a run that diverged under FAIL: recorded without a model, nothing to compare
            }
            try {
                EnvironmentChange.recorded(RunFiles.at(dir).readProvenance()).ifPresent(env -> recorded.put(dir, env));
            } catch (IllegalArgumentException e) {
                throw new CommandException("finished run " + dir + ": " + e.getMessage() + "; delete the directory to redo the run", e);
            }
        }
        if (recorded.isEmpty()) {
            return List.of();
        }
        Optional<NumericEnvironment> current = EnvironmentChange.current();
        if (current.isEmpty()) {
            return List.of();
        }
        EnvironmentChange.Decision d;
        try {
            d = change.decide(recorded, current.get());
        } catch (IllegalArgumentException e) {
            throw new CommandException(e.getMessage());
        }
        d.note().ifPresent(n -> {
            out.println("note: " + n);
            logger.warning(n);
        });
        for (Path dir : d.retrain()) {
            RunFiles.at(dir).clear();
        }
        if (!d.accepted().isEmpty()) {
            Map<String, Object> mix = new LinkedHashMap<>();
            mix.put("choice", "accept");
            mix.put("note", d.note().orElse(""));
            mix.put("current", d.current().canonical());
            Map<String, String> runs = new LinkedHashMap<>(acceptedEarlier(output.resolve(MIX_FILE)));
            d.accepted().forEach((dir, env) -> runs.put(output.toAbsolutePath().relativize(dir.toAbsolutePath()).toString(), env.canonical()));
            mix.put("runs", runs);
            try {
                RunFiles.JSON.writerWithDefaultPrettyPrinter().writeValue(output.resolve(MIX_FILE).toFile(), mix);
            } catch (java.io.IOException e) {
                throw new CommandException("could not write " + output.resolve(MIX_FILE) + ": " + e.getMessage(), e);
            }
        }
        return d.retrain();
    }
}

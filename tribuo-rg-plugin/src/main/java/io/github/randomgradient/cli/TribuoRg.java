package io.github.randomgradient.cli;

import com.oracle.labs.mlrg.olcut.config.ArgumentException;
import com.oracle.labs.mlrg.olcut.config.ConfigurationManager;
import com.oracle.labs.mlrg.olcut.config.Options;
import com.oracle.labs.mlrg.olcut.config.PropertyException;
import com.oracle.labs.mlrg.olcut.config.UsageException;
import io.github.randomgradient.config.ConfigFiles;
import io.github.randomgradient.data.DataException;
import io.github.randomgradient.history.DivergedRunException;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Paths;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The {@code tribuo-rg} command line: {@code tribuo-rg <command> [options]} with commands
 * {@code experiment}, {@code sweep}, {@code report}, {@code audit} and {@code export-data}; {@code --help} after a
 * command prints its options.
 * <p>
 * Exit status (the contract the README documents):
 * <ul>
 *   <li>0: success;</li>
 *   <li>2: user error (config, data, model file, output directory, arguments): one line naming the
 *       file, component, field and value, no stack trace;</li>
 *   <li>3: training diverged under {@code divergencePolicy=FAIL}: one line naming trainer, seed,
 *       epoch, step, loss, learning rate and loss scale;</li>
 *   <li>1: a defect: the stack trace and a request to report it.</li>
 * </ul>
 */
public final class TribuoRg {

    private static final String USAGE = String.join("\n",
            "usage: tribuo-rg <command> [options]   (tribuo-rg <command> --help for its options)",
            "  experiment   train every configured trainer for every seed, then write the comparison report",
            "               e.g. tribuo-rg experiment -c configs/experiment-fashion-mnist.xml [--data full]",
            "  sweep        run a learning-rate x momentum x RG grid in worker processes, then write the sweep report",
            "               e.g. tribuo-rg sweep -c configs/sweep-smoke.xml [--workers N] [--engine local|spark] [-o DIR]",
            "  report       rebuild a report from run directories or saved models",
            "  audit        print what a saved model was trained with (loss scale, learning rate, momentum, ...)",
            "  export-data  write IDX data as Tribuo protobuf datasets (for Tribuo's ConfigurableTrainTest)");

    /** Held so their levels are not lost to garbage collection. */
    private static final Logger DJL_LOGGER = Logger.getLogger("ai.djl");
    private static final Logger TRIBUO_SGD_LOGGER = Logger.getLogger("org.tribuo.common.sgd");
    /** DJL warns "Failed to detect GPU count" on machines with CUDA libraries but no usable driver; the CPU is used. */
    private static final Logger DJL_CUDA_LOGGER = Logger.getLogger("ai.djl.util.cuda");

    private TribuoRg() {}

    /** A command body that may throw {@link CommandException}. */
    @FunctionalInterface
    interface Body {
        /**
         * Runs the command.
         * @throws Exception On failure.
         */
        void run() throws Exception;
    }

    /**
     * Entry point.
     * @param args The command and its arguments.
     */
    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /** The commands, in the order the usage lists them. */
    static final List<String> COMMANDS = List.of("experiment", "sweep", "report", "audit", "export-data");

    /**
     * Runs a command.
     * @param args The command and its arguments.
     * @param out Standard output.
     * @param err Standard error.
     * @return The exit status.
     */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        setUpLogging();
        if (args.length == 0 || args[0].equals("--help") || args[0].equals("-h")) {
            out.println(USAGE);
            return args.length == 0 ? CommandException.EXIT_BAD_INPUT : 0;
        }
        String[] rest = Arrays.copyOfRange(args, 1, args.length);
        switch (args[0]) {
            case "experiment":
                return execute(() -> ExperimentCommand.run(rest, out), err, out, rest);
            case "sweep":
                return execute(() -> SweepCommand.run(rest, out), err, out, rest);
            case "report":
                return execute(() -> ReportCommand.run(rest, out), err, out, rest);
            case "audit":
                return execute(() -> AuditCommand.run(rest, out), err, out, rest);
            case "export-data":
                return execute(() -> ExportDataCommand.run(rest, out), err, out, rest);
            default:
                err.println("error: unknown command '" + args[0] + "': the commands are " + String.join(", ", COMMANDS)
                        + " (tribuo-rg --help)");
                return CommandException.EXIT_BAD_INPUT;
        }
    }

    /**
     * Runs a command body, turning failures into a message and an exit status.
     * @param body The command.
     * @param err Where errors go.
     * @return The exit status.
     */
    static int execute(Body body, PrintStream err) {
        return execute(body, err, System.out, new String[0]);
    }

    private static int execute(Body body, PrintStream err, PrintStream out, String[] args) {
        try {
            checkWorkingDirectory();
            body.run();
            return 0;
        } catch (UsageException e) {
            out.println(e.getUsage());
            return 0;
        } catch (CommandException e) {
            err.println("error: " + e.getMessage());
            return e.exitStatus();
        } catch (DataException e) {
            // Bad data found below the commands (io.github.randomgradient.data): a user error like any other.
            err.println("error: " + e.getMessage());
            return CommandException.EXIT_BAD_INPUT;
        } catch (DivergedRunException e) {
            err.println("error: " + e.getMessage());
            return CommandException.EXIT_DIVERGED;
        } catch (Exception | LinkageError e) {
            Optional<InvalidPathException> path = invalidPath(e);
            if (path.isPresent()) {
                // A path from the config or an argument that this locale cannot encode (LANG=C): the user's to fix.
                err.println("error: " + unencodablePath(args, path.get()).getMessage());
                return CommandException.EXIT_BAD_INPUT;
            }
            err.println("error: unexpected failure, a defect in tribuo-rg: " + e);
            e.printStackTrace(err);
            err.println("Please report it with the command line, the config and this output.");
            return CommandException.EXIT_DEFECT;
        }
    }

    /**
     * Parses arguments and loads the {@code -c} config files through OLCUT, turning OLCUT's
     * failures into {@link CommandException}s that name the problem.
     * <p>
     * Checked before OLCUT sees them: no argument is empty or blank (an empty {@code --output-dir}
     * would otherwise mean the working directory). Checked after: no argument is left over (OLCUT
     * collects arguments that belong to no option and would ignore them). A path that the JVM's
     * file-name encoding cannot represent (a non-ASCII path under {@code LANG=C}) is named with the
     * option that gave it, and an {@code inherit} whose base component is in another file is
     * explained (OLCUT's {@code inherit} sees the components of its own file only).
     * @param args The arguments.
     * @param options The options to fill.
     * @return The configuration manager.
     * @throws UsageException If {@code --help} was asked for.
     * @throws CommandException If an argument or config file is invalid.
     */
    static ConfigurationManager configure(String[] arguments, Options options) throws UsageException {
        String[] args = NumericOptions.expandFlags(arguments);
        checkNoEmptyArgument(args);
        ConfigurationManager cm;
        try (ConfigFiles files = ConfigFiles.prepare(args)) {
            try {
                cm = new ConfigurationManager(files.args(), options);
            } catch (UsageException e) {
                throw e;
            } catch (RuntimeException e) {
                invalidPath(e).ifPresent(p -> {
                    throw unencodablePath(args, p);
                });
                if (e instanceof ArgumentException) {
                    throw new CommandException("invalid arguments: " + files.real(e.getMessage()), e);
                }
                if (e instanceof PropertyException) {
                    throw new CommandException("invalid config: " + files.real(e.getMessage()), e);
                }
                // OLCUT reports unreadable or malformed config files with ConfigLoaderException.
                throw new CommandException("could not load config " + configFiles(args) + ": " + files.real(rootMessage(e))
                        + inheritHint(rootMessage(e)), e);
            }
        } catch (InvalidPathException e) {
            throw unencodablePath(args, e);
        }
        String[] unnamed = cm.getUnnamedArguments();
        if (unnamed != null && unnamed.length > 0) {
            throw new CommandException("unexpected argument" + (unnamed.length > 1 ? "s " : " ") + "'" + String.join("' '", unnamed)
                    + "': every value belongs to an option (e.g. -c FILE, --output-dir DIR); see tribuo-rg "
                    + (args.length > 0 ? "<command> " : "") + "--help");
        }
        return cm;
    }

    /**
     * Refuses an empty or blank argument: given to an option it would stand for the working directory
     * (an empty {@code --output-dir} wrote runs into the repository root) or for nothing.
     */
    private static void checkNoEmptyArgument(String[] args) {
        for (int i = 0; i < args.length; i++) {
            if (args[i].isBlank()) {
                String after = i > 0 && args[i - 1].startsWith("-") ? "the value of " + args[i - 1] : "argument " + (i + 1);
                boolean directory = i > 0 && List.of("--output-dir", "-o", "--data", "--runs").contains(args[i - 1]);
                throw new CommandException(after + " is " + (args[i].isEmpty() ? "empty" : "blank ('" + args[i] + "')")
                        + ": give a value" + (directory ? " (for a directory, '.' names the working directory)" : ""));
            }
        }
    }

    /**
     * Refuses to start where the JVM cannot name its own working directory: under a locale whose
     * file-name encoding is ASCII ({@code LANG=C}) a non-ASCII directory reads as another path (its
     * bytes become '?'), so every relative path would resolve into a directory that does not exist,
     * and outputs would be created there.
     * @throws CommandException If the working directory, as the JVM names it, is not a directory.
     */
    static void checkWorkingDirectory() {
        String dir = System.getProperty("user.dir", "");
        boolean usable;
        try {
            usable = Files.isDirectory(Paths.get(dir));
        } catch (InvalidPathException e) {
            usable = false;
        }
        if (!usable) {
            throw new CommandException("the working directory cannot be used: the JVM reads it as '" + dir + "', which is not a "
                    + "directory (file-name encoding " + System.getProperty("sun.jnu.encoding", "unknown") + "); under LANG/LC_ALL=C "
                    + "a non-ASCII directory name cannot be represented: run with a UTF-8 locale, e.g. LC_ALL=C.UTF-8 ./tribuo-rg ..., "
                    + "or from a directory with an ASCII path");
        }
    }

    /** The {@link InvalidPathException} among an exception's causes, if any. */
    static Optional<InvalidPathException> invalidPath(Throwable e) {
        for (Throwable c = e; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (c instanceof InvalidPathException) {
                return Optional.of((InvalidPathException) c);
            }
        }
        return Optional.empty();
    }

    /**
     * The user error for a path the JVM cannot turn into a file name: with a non-UTF-8 locale
     * ({@code LANG=C}, {@code LC_ALL=C}) Java encodes file names in ASCII, so a path with any other
     * character cannot be opened, whatever the file system holds.
     * @param args The command's arguments, to name the option that gave the path.
     * @param e The exception.
     * @return The exception to throw.
     */
    static CommandException unencodablePath(String[] args, InvalidPathException e) {
        String input = e.getInput();
        String option = null;
        for (int i = 1; i < args.length; i++) {
            if (args[i].equals(input) || List.of(args[i].split(",")).contains(input)) {
                option = args[i - 1];
                break;
            }
        }
        String encoding = System.getProperty("sun.jnu.encoding", "unknown");
        boolean utf8 = encoding.replace("-", "").equalsIgnoreCase("UTF8");
        return new CommandException("the path '" + input + "'" + (option != null ? " (" + option + ")" : args.length > 0 ? " (in the config or an argument)" : "")
                + " cannot be used as a file name: " + e.getReason()
                + (utf8 ? "" : " under this locale, whose file-name encoding is " + encoding
                        + " (LANG/LC_ALL=C or POSIX); run with a UTF-8 locale, e.g. LC_ALL=C.UTF-8 ./tribuo-rg ..., or use an ASCII path"), e);
    }

    /**
     * Explains OLCUT's "Failed to find base component": its {@code inherit} sees only the components
     * of the file it is written in, not those of included files or other {@code -c} files.
     */
    static String inheritHint(String message) {
        if (message == null || !message.contains("Failed to find base component")) {
            return "";
        }
        return " (OLCUT's inherit only sees components of the same file, not those of <file> includes or other -c files: "
                + "in your own file, define the variant in full with type=\"io.github.randomgradient.djl.DJLTrainer\" and every "
                + "property of the trainer you start from (references to shipped components such as loss scales and networks "
                + "work across files), then inherit from that component in the same file; see docs/configs.md, 'A variant of a shipped trainer')";
    }

    static String configFiles(String[] args) {
        for (int i = 0; i < args.length - 1; i++) {
            if (args[i].equals("-c") || args[i].equals("--config-file")) {
                return args[i + 1];
            }
        }
        return "(none given with -c)";
    }

    /**
     * The message of an exception followed by those of its causes that add something.
     * @param e The exception.
     * @return The messages, joined by ": ".
     */
    static String rootMessage(Throwable e) {
        StringBuilder sb = new StringBuilder(String.valueOf(e.getMessage()));
        for (Throwable c = e.getCause(); c != null && c != c.getCause(); c = c.getCause()) {
            if (c.getMessage() != null && !sb.toString().contains(c.getMessage())) {
                sb.append(": ").append(c.getMessage());
            }
        }
        return sb.toString();
    }

    /** One-line log records, and DJL's start-up chatter at WARNING. */
    private static void setUpLogging() {
        if (System.getProperty("java.util.logging.SimpleFormatter.format") == null) {
            System.setProperty("java.util.logging.SimpleFormatter.format", "%1$tT %4$s %5$s%6$s%n");
        }
        DJL_LOGGER.setLevel(Level.WARNING);
        TRIBUO_SGD_LOGGER.setLevel(Level.WARNING);
        DJL_CUDA_LOGGER.setLevel(Level.SEVERE);
        if (System.getProperty("java.awt.headless") == null) {
            System.setProperty("java.awt.headless", "true");
        }
    }
}

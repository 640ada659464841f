package io.github.randomgradient.cli;

import com.oracle.labs.mlrg.olcut.config.ArgumentException;
import com.oracle.labs.mlrg.olcut.config.ConfigurationManager;
import com.oracle.labs.mlrg.olcut.config.Options;
import com.oracle.labs.mlrg.olcut.config.PropertyException;
import com.oracle.labs.mlrg.olcut.config.UsageException;
import io.github.randomgradient.data.DataException;
import io.github.randomgradient.history.DivergedRunException;

import java.io.PrintStream;
import java.util.Arrays;
import java.util.List;
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
                return execute(() -> ExperimentCommand.run(rest, out), err, out);
            case "sweep":
                return execute(() -> SweepCommand.run(rest, out), err, out);
            case "report":
                return execute(() -> ReportCommand.run(rest, out), err, out);
            case "audit":
                return execute(() -> AuditCommand.run(rest, out), err, out);
            case "export-data":
                return execute(() -> ExportDataCommand.run(rest, out), err, out);
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
        return execute(body, err, System.out);
    }

    private static int execute(Body body, PrintStream err, PrintStream out) {
        try {
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
            err.println("error: unexpected failure, a defect in tribuo-rg: " + e);
            e.printStackTrace(err);
            err.println("Please report it with the command line, the config and this output.");
            return CommandException.EXIT_DEFECT;
        }
    }

    /**
     * Parses arguments and loads the {@code -c} config files through OLCUT, turning OLCUT's
     * failures into {@link CommandException}s that name the problem.
     * @param args The arguments.
     * @param options The options to fill.
     * @return The configuration manager.
     * @throws UsageException If {@code --help} was asked for.
     * @throws CommandException If an argument or config file is invalid.
     */
    static ConfigurationManager configure(String[] args, Options options) throws UsageException {
        try (ConfigFiles files = ConfigFiles.prepare(args)) {
            try {
                return new ConfigurationManager(files.args(), options);
            } catch (UsageException e) {
                throw e;
            } catch (ArgumentException e) {
                throw new CommandException("invalid arguments: " + files.real(e.getMessage()), e);
            } catch (PropertyException e) {
                throw new CommandException("invalid config: " + files.real(e.getMessage()), e);
            } catch (RuntimeException e) {
                // OLCUT reports unreadable or malformed config files with ConfigLoaderException.
                throw new CommandException("could not load config " + configFiles(args) + ": " + files.real(rootMessage(e)), e);
            }
        }
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

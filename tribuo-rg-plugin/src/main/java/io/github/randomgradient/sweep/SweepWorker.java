package io.github.randomgradient.sweep;

import com.oracle.labs.mlrg.olcut.config.ConfigurationManager;
import com.oracle.labs.mlrg.olcut.config.Option;
import com.oracle.labs.mlrg.olcut.config.Options;
import io.github.randomgradient.config.ConfigFiles;
import io.github.randomgradient.config.EngineProbe;
import io.github.randomgradient.data.IdxDirectory;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.ServiceLoader;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * A worker process of a plan (a sweep, or with {@code --plan experiment} an experiment): one JVM that trains runs one at a time (DJL allows one gradient
 * collector per JVM, and one PyTorch thread per process keeps workers from slowing each other).
 * <p>
 * It plans the sweep (or experiment) from the same config files and options as the coordinator (and, for
 * a sweep's confirm run, the confirm stage from the cells the coordinator chose, {@link ConfirmCell#FILE}),
 * loads the data once, then
 * either trains the run named by {@code --run} and exits (0 if published or already published, 1
 * if it failed), or reads commands {@code run <id> <attempt>} from standard input and answers each
 * on standard output with {@code @@sweep done <id>} or {@code @@sweep failed <id> <message>}.
 * Logs go to standard error.
 * <pre>
 * java -cp DIST io.github.randomgradient.sweep.SweepWorker -c sweep.xml --sweep sweep -o OUT [--data DIR] [--run ID --attempt NAME]
 * java -cp DIST io.github.randomgradient.sweep.SweepWorker -c exp.xml --sweep experiment --plan experiment -o OUT [--seeds 1,2] [--epochs N] [--data DIR]
 * java -cp DIST io.github.randomgradient.sweep.SweepWorker -c sweep.xml --probe true
 * </pre>
 */
public final class SweepWorker {

    private static final Logger logger = Logger.getLogger(SweepWorker.class.getName());

    /** Prefix of the protocol lines on standard output. */
    public static final String PREFIX = "@@sweep ";

    private SweepWorker() {}

    /** The worker's options. */
    public static final class WorkerOptions implements Options {
        /** The sweep's component name. */
        @Option(longName = "sweep", usage = "Name of the Sweep component (default: sweep).")
        public String sweep = "sweep";
        /** The sweep output directory. */
        @Option(charName = 'o', longName = "output-dir", usage = "The sweep output directory.")
        public Path output;
        /** The data directory replacing the sweep's IDX sources. */
        @Option(charName = 'd', longName = "data", usage = "'full', 'bundled' or a directory with the four IDX files, replacing the sweep's data sources.")
        public String data;
        /** Probe the engine and exit. */
        @Option(longName = "probe", usage = "true: print this machine's deep-learning engine, its version and its cache directory, then exit.")
        public boolean probe;
        /** A single run to train. */
        @Option(longName = "run", usage = "Train this run identity and exit, instead of reading commands from standard input.")
        public String run;
        /** The attempt name for --run. */
        @Option(longName = "attempt", usage = "The attempt's name, recorded in the run directory.")
        public String attempt = "single";
        /** The kind of plan. */
        @Option(longName = "plan", usage = "sweep (default): --sweep names a Sweep; experiment: it names an Experiment.")
        public String plan = RunPlan.SWEEP;
        /** An experiment's seeds override. */
        @Option(longName = "seeds", usage = "experiment: comma-separated seeds, overriding the configured ones.")
        public List<String> seeds;
        /** An experiment's epochs override. */
        @Option(longName = "epochs", usage = "experiment: epochs per run, overriding the configured value.")
        public int epochs = -1;
    }

    /**
     * Entry point.
     * @param args The arguments.
     */
    public static void main(String[] args) {
        watchParent();
        System.exit(run(args, System.in, System.out));
    }

    /**
     * A worker whose coordinator died (killed, even with {@code kill -9}) stops within a second,
     * abandoning its hidden attempt directory, which the next sweep deletes: an orphan must not
     * publish a run while a new coordinator trains the same one.
     */
    private static void watchParent() {
        ProcessHandle.current().parent().ifPresent(parent -> {
            Thread t = new Thread(() -> {
                while (parent.isAlive()) {
                    try {
                        Thread.sleep(1000);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
                Runtime.getRuntime().halt(1);
            }, "sweep-worker-parent-watch");
            t.setDaemon(true);
            t.start();
        });
    }

    /**
     * Runs the worker.
     * @param args The arguments.
     * @param in Commands (ignored with {@code --run}).
     * @param out Protocol answers.
     * @return The exit status.
     */
    static int run(String[] args, java.io.InputStream in, PrintStream out) {
        if (System.getProperty("java.util.logging.SimpleFormatter.format") == null) {
            System.setProperty("java.util.logging.SimpleFormatter.format", "%1$tT %4$s %5$s%6$s%n");
        }
        Logger.getLogger("ai.djl").setLevel(Level.WARNING);
        if ("start-halt".equals(System.getProperty(RunExecutor.CRASH_HOOK)) && !java.util.Arrays.asList(args).contains("--probe")) {
            Runtime.getRuntime().halt(137);   // tests only: a worker that dies while starting
        }
        WorkerOptions options = new WorkerOptions();
        RunPlan plan;
        SweepData data;
        try (ConfigFiles files = ConfigFiles.prepare(args)) {
            // Through ConfigFiles, as every command: OLCUT 5.3 misses includes in a directory whose path has a space.
            ConfigurationManager cm = new ConfigurationManager(files.args(), options);
            if (options.probe) {
                out.println(PREFIX + "probe " + probe());
                return 0;
            }
            if (options.output == null) {
                throw new SweepException("the worker needs -o, the sweep output directory");
            }
            if (RunPlan.EXPERIMENT.equals(options.plan)) {
                if (options.data != null) {
                    ExperimentPlan.useIdxDirectory(cm, options.sweep, IdxDirectory.resolve(options.data));
                }
                long[] seeds = options.seeds == null ? null : options.seeds.stream().map(String::trim).mapToLong(Long::parseLong).toArray();
                java.util.OptionalInt epochs = options.epochs < 0 ? java.util.OptionalInt.empty() : java.util.OptionalInt.of(options.epochs);
                String[] configArgs = files.args();
                String where = configFiles(args);
                plan = ExperimentPlan.fromConfig(cm, options.sweep, seeds, epochs, (trainer, seed, e) -> ExperimentPlan.configureTrainer(
                        new ConfigurationManager(configArgs, new WorkerOptions()), trainer, seed, e, where), java.util.Map.of());
            } else if (RunPlan.SWEEP.equals(options.plan)) {
                if (options.data != null) {
                    SweepData.useIdxDirectory(cm, options.sweep, IdxDirectory.resolve(options.data));
                }
                plan = SweepPlan.expand(cm, options.sweep);
            } else {
                throw new SweepException("--plan must be 'sweep' or 'experiment', found '" + options.plan + "'");
            }
            data = plan.loadData();
        } catch (RuntimeException e) {
            out.println(PREFIX + "broken " + oneLine(e));
            return 2;
        } catch (Exception e) {
            out.println(PREFIX + "broken " + oneLine(e));
            return 2;
        }
        RunPlan[] current = {plan};
        if (options.run != null) {
            return train(current, options.run, options.attempt, data, options.output, out) ? 0 : 1;
        }
        out.println(PREFIX + "ready");
        out.flush();
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                String[] parts = line.trim().split(" ");
                if (parts.length == 3 && parts[0].equals("run")) {
                    train(current, parts[1], parts[2], data, options.output, out);
                } else if (!line.isBlank()) {
                    out.println(PREFIX + "failed ? unknown command '" + line + "'");
                }
                out.flush();
            }
        } catch (IOException e) {
            logger.severe("lost the coordinator: " + e);
            return 1;
        }
        return 0;
    }

    /**
     * The engine this JVM trains with, found as an {@link EngineProbe} service (the module that
     * trains provides it; this one does not depend on it): loading it unpacks the native library
     * into the cache on first use, so a bad node fails here.
     * @throws IllegalStateException If no engine is on the class path.
     */
    private static String probe() throws Exception {
        List<EngineProbe> probes = ServiceLoader.load(EngineProbe.class).stream().map(ServiceLoader.Provider::get).toList();
        if (probes.isEmpty()) {
            throw new IllegalStateException("no training engine on this worker's class path (no " + EngineProbe.class.getName()
                    + " service): put djl-bridge and its dependencies on it");
        }
        StringBuilder line = new StringBuilder("host=" + java.net.InetAddress.getLocalHost().getHostName() + " java="
                + System.getProperty("java.version"));
        for (EngineProbe p : probes) {
            line.append(' ').append(p.probe());
        }
        return line.toString();
    }

    /**
     * Trains a run of the plan; a run the plan does not hold is looked for in the grid's extension, whose
     * values the coordinator wrote to {@value GridExtension#FILE}, then in the confirm stage, whose cells it
     * wrote to {@value ConfirmCell#FILE} (a worker started, or pooled, before either was planned reads them
     * when it is first asked for one of their runs).
     * @param plan The plan, replaced by the plan with its confirm stage when that is read.
     */
    private static boolean train(RunPlan[] plan, String id, String attempt, SweepData data, Path output, PrintStream out) {
        try {
            if (plan[0] instanceof SweepPlan sweepPlan && sweepPlan.find(id).isEmpty()) {
                // A run of the grid's extension, or of the confirm stage (planned on the extended grid).
                SweepPlan p = sweepPlan;
                java.util.Map<String, List<String>> extension = GridExtension.read(output);
                if (!extension.equals(p.extension())) {
                    p = p.withExtension(extension);
                }
                if (p.find(id).isEmpty() && p.sweep().hasConfirmStage()) {
                    p = p.withConfirmStage(ConfirmCell.read(output));
                }
                plan[0] = p;
            }
            PlannedRun run = plan[0].run(id);
            logger.info("training " + run.dirName() + " (" + attempt + ")");
            RunExecutor.execute(plan[0], run, data, output, attempt);
            out.println(PREFIX + "done " + id);
            return true;
        } catch (RuntimeException e) {
            logger.log(Level.SEVERE, "run " + id + " failed", e);
            out.println(PREFIX + "failed " + id + " " + oneLine(e));
            return false;
        } finally {
            out.flush();
        }
    }

    /** The {@code -c} value, for messages. */
    private static String configFiles(String[] args) {
        for (int i = 0; i < args.length - 1; i++) {
            if (args[i].equals("-c") || args[i].equals("--config-file")) {
                return args[i + 1];
            }
        }
        return "(none given with -c)";
    }

    /**
     * An exception as one line with its causes ({@code A: msg; caused by B: msg}), so that a failure
     * wrapped in a bare {@code InvocationTargetException} or {@code EngineException} still names what went wrong.
     */
    static String oneLine(Throwable e) {
        StringBuilder line = new StringBuilder(describe(e));
        java.util.Set<Throwable> seen = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        seen.add(e);
        for (Throwable c = e.getCause(); c != null && seen.add(c); c = c.getCause()) {
            String d = describe(c);
            if (line.indexOf(d) < 0 && (c.getMessage() == null || line.indexOf(c.getMessage()) < 0)) {
                line.append("; caused by ").append(d);
            }
        }
        return line.toString().replace('\n', ' ');
    }

    private static String describe(Throwable e) {
        return e.getMessage() == null ? e.getClass().getName() : e.getClass().getSimpleName() + ": " + e.getMessage();
    }
}

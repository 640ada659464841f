package io.github.randomgradient.cli;

import com.oracle.labs.mlrg.olcut.config.ConfigurationData;
import com.oracle.labs.mlrg.olcut.config.ConfigurationManager;
import com.oracle.labs.mlrg.olcut.config.Option;
import com.oracle.labs.mlrg.olcut.config.Options;
import com.oracle.labs.mlrg.olcut.config.PropertyException;
import com.oracle.labs.mlrg.olcut.config.property.Property;
import io.github.randomgradient.data.DataChecks;
import io.github.randomgradient.data.DataLoading;
import io.github.randomgradient.data.IdxDirectory;
import io.github.randomgradient.report.ComparisonReport;
import io.github.randomgradient.report.ExperimentRecord;
import io.github.randomgradient.run.ProvenanceFacts;
import io.github.randomgradient.report.ReportOptions;
import io.github.randomgradient.report.ReportWriter;
import io.github.randomgradient.run.RunFiles;
import io.github.randomgradient.run.RunRecord;
import io.github.randomgradient.history.DivergedRunException;
import io.github.randomgradient.sweep.ExperimentPlan;
import io.github.randomgradient.sweep.LocalEngine;
import io.github.randomgradient.sweep.PlannedRun;
import io.github.randomgradient.sweep.RunExecutor;
import io.github.randomgradient.sweep.RunPlan;
import io.github.randomgradient.sweep.SweepData;
import io.github.randomgradient.sweep.SweepEngine;
import io.github.randomgradient.sweep.SweepException;
import io.github.randomgradient.sweep.SweepJob;
import io.github.randomgradient.sweep.SweepRunRecord;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.tribuo.Dataset;
import org.tribuo.Trainer;
import org.tribuo.classification.Label;
import org.tribuo.provenance.ModelProvenance;

import java.io.PrintStream;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.TreeSet;
import java.util.logging.Logger;

/**
 * {@code experiment}: trains every trainer of an {@link Experiment} for every seed, evaluates each
 * model on the test set with Tribuo's {@code LabelEvaluator}, writes one run directory per
 * (trainer, seed) and then the comparison report (Markdown, HTML, JSON).
 * <p>
 * Runs are interleaved by seed (every trainer for the first seed, then the second, ...), so JVM
 * warm-up and machine load fall on every trainer alike and training seconds compare trainers, not
 * run order. Before any training the test labels are checked to occur in the training data. The
 * report's title, target accuracy and comparisons are recorded in {@code <output>/experiment.json}
 * ({@code ExperimentRecord}) so a report rebuilt later from the run directories uses them.
 * <p>
 * An experiment is a {@link RunPlan} ({@link ExperimentPlan}: every trainer instantiated once per seed,
 * each run with a content-addressed identity) on the pipeline sweeps use: every run is trained by
 * {@link RunExecutor} in a hidden attempt directory and published by an atomic rename, with its identity
 * in {@value SweepRunRecord#EXPERIMENT_FILE}. With {@code --workers 1} (the default) and the local engine the
 * runs train here, one after the other; otherwise a {@link SweepEngine} (worker processes, or Spark) trains
 * them, and the run files are the same.
 * <p>
 * Runs are resumable: a published run of the same identity is skipped; a complete run directory without an
 * identity record (written before experiments and sweeps shared one pipeline) is kept if it is the same run by
 * the earlier rule (same trainer configuration, same data hash) and gets its record; a partial one is redone.
 * Directory names stay within the file system's 255-byte limit: a longer trainer name (or
 * {@code --data} output suffix) is shortened deterministically with a hash suffix
 * ({@link RunFiles#boundedName(String, int)}), so it trains and resumes like any other.
 * <pre>
 * tribuo-rg experiment -c configs/experiment-fashion-mnist.xml [--data full|bundled|DIR]
 *                      [--output-dir DIR] [--seeds 1,2,3] [--epochs N] [--experiment NAME]
 *                      [--workers N] [--engine local|spark]
 * </pre>
 */
public final class ExperimentCommand {

    private static final Logger logger = Logger.getLogger(ExperimentCommand.class.getName());

    private ExperimentCommand() {}

    /**
     * Command-line options of {@code experiment}; {@code -c} names the config files.
     */
    public static final class ExperimentOptions implements Options {
        @Override
        public String getOptionsDescription() {
            return "Trains each configured trainer for each seed, evaluates on the test set, and writes run directories and an RG-vs-baseline report.";
        }

        /** The experiment component's name. */
        @Option(charName = 'e', longName = "experiment", usage = "Name of the Experiment component in the config (default: experiment).")
        public String experiment = "experiment";

        /** Data overriding the experiment's data sources: {@code full}, {@code bundled} or a directory. */
        @Option(charName = 'd', longName = "data", usage = "Data replacing the configured sources: 'full' (all of Fashion-MNIST from "
                + "/usr/share/datasets/fashion-mnist, Debian's dataset-fashion-mnist), 'bundled' (data/fashion-mnist-subset) "
                + "or a directory with the four IDX files.")
        public String data;

        /** Output directory override. */
        @Option(charName = 'o', longName = "output-dir", usage = "Directory for runs/ and report/, overriding the configured one.")
        public Path outputDir;

        /** Seeds override. */
        @Option(longName = "seeds", usage = "Comma-separated seeds, overriding the configured ones.")
        public List<String> seeds;

        /** Epochs override. */
        @Option(longName = "epochs", usage = "Epochs per run (an integer >= 1), overriding the configured value.")
        public String epochs;

        /** Worker processes. */
        @Option(charName = 'w', longName = "workers", usage = "Runs trained at once: 1 (default) trains in this JVM; N > 1 in N worker "
                + "processes (local) or concurrent tasks (spark). The run files are the same whatever N.")
        public int workers = 1;

        /** The engine. */
        @Option(longName = "engine", usage = "local (this JVM, or worker processes with --workers N) or spark (needs tribuo-rg-spark "
                + "on the classpath).")
        public String engine = "local";

        /** {@code --reproducible} and {@code --environment-change}. */
        public NumericOptions numeric = new NumericOptions();
    }

    /**
     * Entry point.
     * @param args The arguments.
     */
    public static void main(String[] args) {
        System.exit(TribuoRg.execute(() -> run(args, System.out), System.err));
    }

    /**
     * Runs the experiment.
     * @param args The arguments ({@code -c config.xml} and the options).
     * @param out Where the summary table and report path are printed.
     * @return The report directory.
     * @throws CommandException On a user error found before training (exit status 2; see {@link Preflight}), when a
     *                          run diverges under {@code divergencePolicy=FAIL} (exit status 3), or when runs failed twice in
     *                          their worker processes (exit status 4).
     */
    public static Path run(String[] args, PrintStream out) {
        ExperimentOptions options = new ExperimentOptions();
        ConfigurationManager cm = TribuoRg.configure(args, options);
        io.github.randomgradient.run.EnvironmentChange environmentChange = options.numeric.check();
        OptionalInt epochsOption = parseEpochs(options.epochs);
        long[] seedsOption = options.seeds != null ? parseSeeds(options.seeds) : null;
        if (cm.getComponentNames().isEmpty()) {
            throw new CommandException("no experiment config given: pass one with -c, e.g. -c configs/experiment-fashion-mnist.xml");
        }
        if (options.workers < 1) {
            throw new CommandException("--workers must be >= 1, found " + options.workers);
        }
        SweepEngine engine = SweepCommand.engine(options.engine);
        boolean inThisJvm = options.workers == 1 && engine instanceof LocalEngine;
        Optional<IdxDirectory> dataDir = dataDirectory(options);
        ConfigurationData experimentData = cm.getConfigurationData(options.experiment).orElseThrow(() ->
                new CommandException("no component named '" + options.experiment + "' in the config; components: "
                        + new TreeSet<>(cm.getComponentNames()) + " (choose one with --experiment)"));
        if (!experimentData.getClassName().equals(Experiment.class.getName())) {
            throw new CommandException("component '" + options.experiment + "' is a " + experimentData.getClassName()
                    + ", not an " + Experiment.class.getName());
        }
        try {
            Preflight.checkPropertyKinds(cm, options.experiment);
        } catch (CommandException e) {
            throw new CommandException("config " + TribuoRg.configFiles(args) + ": " + e.getMessage(), e);
        }
        checkTrainers(cm, experimentData);
        Map<String, Optional<DataChecks.IdxPair>> idx = prepareData(cm, experimentData, dataDir);
        if (options.outputDir != null) {
            Preflight.checkWritableDirectory(options.outputDir, "output directory");
        }
        // Trainers before data: Tribuo reads a whole IDX data set when its source is created. Each run's trainer is
        // instantiated once, by the plan, and the same instance is checked and trained.
        long[] seedsEarly = seedsOption != null ? seedsOption : configuredSeeds(experimentData);
        int epochsEarly = epochsOption.orElse(configuredEpochs(experimentData));
        ExperimentPlan plan = seedsEarly == null || epochsEarly < 0 ? null
                : plan(args, cm, options.experiment, Preflight.values(experimentData.get("trainers").orElseThrow()), seedsEarly, epochsEarly);

        Experiment experiment;
        try {
            experiment = (Experiment) cm.lookup(options.experiment);
        } catch (PropertyException e) {
            throw new CommandException("invalid experiment config: " + e.getMessage(), e);
        }
        Path output = options.outputDir != null ? options.outputDir : experiment.getOutputDirectory();
        if (options.outputDir == null && dataDir.isPresent()) {
            // Runs on other data never share a directory with the configured data's runs.
            String suffix = DATA_KEYWORDS.contains(options.data) ? options.data
                    : Paths.get(options.data).toAbsolutePath().normalize().getFileName().toString();
            // Bounded like every directory name the tool makes (RunFiles.boundedName).
            output = output.resolveSibling(RunFiles.boundedName(output.getFileName() + "-" + suffix, RunFiles.MAX_NAME_BYTES));
        }
        long[] seeds = seedsOption != null ? seedsOption : experiment.getSeeds();
        int epochs = epochsOption.orElse(experiment.getEpochs());

        if (plan == null || !Arrays.equals(seeds, seedsEarly) || epochs != epochsEarly
                || !plan.trainerNames().equals(experiment.getTrainers())) {
            plan = plan(args, cm, options.experiment, experiment.getTrainers(), seeds, epochs);
        }
        Preflight.Checked checked = Preflight.check(plan,
                new Preflight.Source(experiment.getTrainSource(), "training data '" + sourceName(experimentData, "trainSource") + "'",
                        idx.get("trainSource")),
                new Preflight.Source(experiment.getTestSource(), "test data '" + sourceName(experimentData, "testSource") + "'",
                        idx.get("testSource")),
                output);
        checkTestLabels(checked.train(), checked.test());
        for (Map.Entry<String, Map<Long, Trainer<Label>>> t : checked.trainers().entrySet()) {
            for (String w : Preflight.trainerWarnings("trainer '" + t.getKey() + "'", t.getValue().values().iterator().next(),
                    Preflight.written(cm, t.getKey(), "momentum"), checked.train().size())) {
                logger.warning(w);
            }
        }
        // Before training, not after: a JVM without fonts gets a report without charts rather than none.
        ReportWriter.chartsUnavailable().ifPresent(why -> logger.warning("charts cannot be drawn in this JVM (" + why
                + "): the report will be written without them, and will say so"));
        SweepJob job = null;
        if (!inThisJvm) {
            // As a sweep: worker processes of one PyTorch thread each (numThreads of the trainers) beyond the cores compete.
            int threads = 1;
            for (PlannedRun run : plan.runs()) {
                try {
                    threads = Math.max(threads, Integer.parseInt(Preflight.configuredValues(plan.trainer(run)).getOrDefault("numThreads", "1")));
                } catch (NumberFormatException e) {
                    // the trainer's own check reports it
                }
            }
            Preflight.threadsWarning(options.workers, threads, Runtime.getRuntime().availableProcessors()).ifPresent(logger::warning);
            job = SweepJob.ofThisJvm(SweepCommand.configFiles(args), options.experiment, output, null, options.workers)
                    .forPlan(RunPlan.EXPERIMENT, workerArgs(options));
            try {
                job.checkJvmOptions();
            } catch (SweepException e) {
                throw new CommandException(e.getMessage(), e);
            }
        }
        // One command at a time per output directory: a second one stops here with exit status 2.
        try (OutputLock lock = OutputLock.acquire(output, "output directory")) {
            Dataset<Label> train = checked.train();
            Dataset<Label> test = checked.test();
            int cleared = RunExecutor.deleteAttempts(output);
            if (cleared > 0) {
                logger.info("deleted " + cleared + " half-written run(s); they run again");
            }
            List<RunFiles> runs = new ArrayList<>();
            for (String trainerName : experiment.getTrainers()) {
                for (long seed : seeds) {
                    runs.add(RunFiles.of(output, trainerName, seed));
                }
            }
            // Before the outstanding runs are listed: runs to be retrained here are cleared by it.
            NumericOptions.resume(environmentChange, runs.stream().filter(RunFiles::isComplete).map(RunFiles::dir).toList(), output, out);
            Set<PlannedRun> todo = new LinkedHashSet<>(outstanding(plan, output, train));
            logger.info("Training data: " + train.size() + " examples, test data: " + test.size() + " examples, labels "
                    + train.getOutputInfo().toReadableString());

            new ExperimentRecord(experiment.getTrainers(), experiment.getTitle(), experiment.getTargetAccuracy(), experiment.getComparisons().stream()
                    .map(c -> c[0] + " vs " + c[1]).toList()).write(output);

            if (inThisJvm) {
                trainHere(plan, todo, new SweepData(train, null, test), output);
            } else if (!todo.isEmpty()) {
                out.printf("experiment '%s': %d runs planned, %d already done, %d to train with %s (%s)%n", plan.name(),
                        plan.runs().size(), plan.runs().size() - todo.size(), todo.size(), engine.name(), engine.concurrency(options.workers));
                List<String> failed;
                try {
                    failed = engine.execute(job, new ArrayList<>(todo), out);
                } catch (SweepException e) {
                    throw new CommandException(e.getMessage(), e);
                }
                failedRuns(failed);
            }

            List<ReportOptions.Comparison> comparisons = new ArrayList<>();
            for (String[] c : experiment.getComparisons()) {
                comparisons.add(new ReportOptions.Comparison(c[0], c[1]));
            }
            ComparisonReport report = ComparisonReport.build(runs,
                    new ReportOptions(comparisons, experiment.getTargetAccuracy(), experiment.getTitle()));
            Path reportDir = output.resolve("report");
            Preflight.removeLeftoverPartials(reportDir);
            ReportWriter.write(report, reportDir);
            out.println(report.summaryTable());
            out.println("Report: " + reportDir.resolve("report.html").toAbsolutePath() + " (also report.md, report.json)");
            out.print(report.answerLines());
            return reportDir;
        }
    }

    /** Plans the experiment: every (trainer, seed) run's trainer, instantiated once, and its identity. */
    private static ExperimentPlan plan(String[] args, ConfigurationManager cm, String experimentName, List<String> trainers, long[] seeds,
                                       int epochs) {
        try {
            return ExperimentPlan.plan(cm, experimentName, trainers, seeds, (name, seed) -> configureTrainer(args, name, seed, epochs),
                    Map.of());
        } catch (SweepException e) {
            throw new CommandException(e.getMessage(), e);
        }
    }

    /** The worker arguments that make a worker's plan the coordinator's: the options that shape it, as given. */
    private static List<String> workerArgs(ExperimentOptions options) {
        List<String> args = new ArrayList<>();
        if (options.seeds != null) {
            args.add("--seeds");
            args.add(String.join(",", options.seeds).replace(" ", ""));
        }
        if (options.epochs != null) {
            args.add("--epochs");
            args.add(options.epochs.trim());
        }
        if (options.data != null) {
            args.add("--data");
            args.add(options.data);
        }
        return args;
    }

    /**
     * The runs still to train, in plan order. A published run (its directory complete, with the record
     * of its identity) is kept if its identity is the planned one; a complete run directory without that
     * record (written before experiments and sweeps shared one pipeline) or with another identity is kept
     * if it is the same run by the experiment's earlier rule (same trainer configuration, same training
     * data), and its record is then written, once; a partial one is cleared and trained again.
     * @throws CommandException If a finished run was trained with another configuration or on other data.
     */
    private static List<PlannedRun> outstanding(ExperimentPlan plan, Path output, Dataset<Label> train) {
        List<PlannedRun> todo = new ArrayList<>();
        for (PlannedRun run : plan.runs()) {
            RunFiles files = RunFiles.at(RunExecutor.runDir(output, run));
            if (RunExecutor.isDone(output, run)) {
                SweepRunRecord done;
                try {
                    done = RunExecutor.readRecord(files.dir());
                } catch (java.io.UncheckedIOException e) {
                    throw new CommandException("finished run has an unreadable " + files.file(SweepRunRecord.EXPERIMENT_FILE) + " ("
                            + e.getCause().getMessage() + "): delete its directory to redo it");
                }
                if (!run.id().equals(done.id())) {
                    checkSameRun(files, plan.trainer(run), train);
                    files.writeJson(plan.recordFile(), record(run, done.attempt()));
                }
            } else if (files.isComplete()) {
                // A run directory of an experiment written before runs had identities: read once, by the earlier rule.
                checkSameRun(files, plan.trainer(run), train);
                files.writeJson(plan.recordFile(), record(run, "earlier-version"));
            } else {
                files.clear();
                todo.add(run);
            }
        }
        return todo;
    }

    private static SweepRunRecord record(PlannedRun run, String attempt) {
        return new SweepRunRecord(run.id(), run.arm(), run.rgScale(), run.grid(), run.overrides(), run.seed(), attempt, null, null);
    }

    /**
     * Trains the outstanding runs in this JVM, in plan order (every trainer for the first seed, then the
     * second, ...: JVM warm-up and machine load then fall on every trainer alike, so training seconds compare
     * trainers rather than run order), each published by {@link RunExecutor} as a worker would.
     */
    private static void trainHere(ExperimentPlan plan, Set<PlannedRun> todo, SweepData data, Path output) {
        int total = plan.runs().size();
        int done = 0;
        try (ProgressBar bar = System.console() == null ? null : new ProgressBarBuilder().setTaskName("runs")
                .setInitialMax(total).setStyle(ProgressBarStyle.ASCII).build()) {
            for (PlannedRun run : plan.runs()) {
                String trainerName = run.arm();
                long seed = run.seed();
                RunFiles files = RunFiles.at(RunExecutor.runDir(output, run));
                done++;
                if (!todo.contains(run)) {
                    Preflight.removeLeftoverPartials(files.dir());
                    logger.info(String.format("run %d/%d: %s seed %d already complete, skipped (%s)", done, total,
                            trainerName, seed, files.dir()));
                } else {
                    logger.info(String.format("run %d/%d: %s seed %d", done, total, trainerName, seed));
                    try {
                        RunExecutor.execute(plan, run, data, output, "local-1");
                    } catch (DivergedRunException e) {
                        throw CommandException.diverged(trainerName, seed, e);
                    }
                    RunRecord r = files.readRun();
                    logger.info(String.format("run %d/%d: %s seed %d finished in %.1f s (%s)", done, total, trainerName, seed,
                            r.trainSeconds(), r.status()));
                }
                if (bar != null) {
                    bar.step();
                }
            }
        }
    }

    /**
     * Ends the experiment when runs failed in their workers: exit status 3 if one diverged under
     * {@code divergencePolicy=FAIL} (as in this JVM), else 4 (a rerun trains them). No report is written.
     */
    private static void failedRuns(List<String> failed) {
        if (failed.isEmpty()) {
            return;
        }
        Optional<String> diverged = failed.stream().filter(f -> f.contains("Training diverged")).findFirst();
        if (diverged.isPresent()) {
            throw CommandException.divergedRuns("training diverged (divergencePolicy=FAIL) in run " + diverged.get()
                    + ". Lower learningRate, narrow the loss scale, or set divergencePolicy=STOP to record the run as diverged and go on");
        }
        throw CommandException.failedRuns(failed.size() + " run(s) failed twice in their workers, so no report was written (rerun "
                + "to train them; finished runs are kept): " + failed);
    }

    /**
     * Every test label must be a label the trainers see in training: a model cannot predict a class it
     * never saw, and its evaluation would silently misreport that class.
     */
    static void checkTestLabels(Dataset<Label> train, Dataset<Label> test) {
        Set<String> known = new TreeSet<>();
        train.getOutputInfo().getDomain().forEach(l -> known.add(l.getLabel()));
        Set<String> unseen = new TreeSet<>();
        test.getOutputInfo().getDomain().forEach(l -> {
            if (!known.contains(l.getLabel())) {
                unseen.add(l.getLabel());
            }
        });
        if (!unseen.isEmpty()) {
            throw new CommandException("the test data has labels " + unseen + " that the training data never has (training "
                    + "labels: " + known + "); a model cannot predict them: use test data whose labels all occur in training");
        }
    }

    /**
     * Parses {@code --epochs}: absent keeps the configured value; otherwise an integer >= 1.
     * @param value The option's value, or null.
     * @return The epochs, or empty if absent.
     * @throws CommandException If the value is not an integer >= 1 (0 included: "keep the configured value" is
     *                          written by leaving the option out).
     */
    static OptionalInt parseEpochs(String value) {
        if (value == null) {
            return OptionalInt.empty();
        }
        try {
            int e = Integer.parseInt(value.trim());
            if (e >= 1) {
                return OptionalInt.of(e);
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new CommandException("--epochs must be an integer >= 1 (leave it out to keep the configured epochs), found '" + value + "'");
    }

    /** The experiment's seeds as written in the config, or null if they do not parse (OLCUT then reports them). */
    private static long[] configuredSeeds(ConfigurationData experiment) {
        try {
            return experiment.get("seeds").map(p -> Preflight.values(p).stream().mapToLong(v -> Long.parseLong(v.trim())).toArray())
                    .orElse(new long[]{1L});
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** The experiment's epochs as written in the config (0 if absent), or -1 if they do not parse. */
    private static int configuredEpochs(ConfigurationData experiment) {
        try {
            return experiment.get("epochs").map(p -> Integer.parseInt(p.toString().trim())).orElse(0);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static String sourceName(ConfigurationData experiment, String field) {
        return experiment.get(field).map(Property::toString).orElse(field);
    }

    /** The {@code --data} keywords. */
    private static final Set<String> DATA_KEYWORDS = Set.of("full", "bundled");

    private static Optional<IdxDirectory> dataDirectory(ExperimentOptions options) {
        if (options.data == null) {
            return Optional.empty();
        }
        return Optional.of(IdxDirectory.resolve(options.data));
    }

    /**
     * Points the experiment's IDX data sources at {@code dataDir} if given, and checks the files
     * they name, so that a missing or wrong data file is one clear message before anything trains.
     * @return The checked IDX files of {@code trainSource} and {@code testSource} (empty for other sources).
     */
    private static Map<String, Optional<DataChecks.IdxPair>> prepareData(ConfigurationManager cm, ConfigurationData experiment,
                                                                      Optional<IdxDirectory> dataDir) {
        String[][] sources = {{"trainSource", "training data"}, {"testSource", "test data"}};
        Map<String, String> names = new LinkedHashMap<>();
        for (String[] s : sources) {
            String name = experiment.get(s[0]).map(Property::toString).orElseThrow(() ->
                    new CommandException("experiment '" + experiment.getName() + "' has no " + s[0]));
            ConfigurationData source = cm.getConfigurationData(name).orElseThrow(() ->
                    new CommandException("experiment '" + experiment.getName() + "' names " + s[0] + " '" + name
                            + "', but the config has no such component"));
            if (dataDir.isPresent() && !DataLoading.isIdxSource(source.getClassName())) {
                throw new CommandException("--data replaces IDXDataSource sources, but " + s[0] + " '" + name
                        + "' is a " + source.getClassName());
            }
            names.put(s[0], name);
        }
        // The same override the experiment's workers make (ExperimentPlan.useIdxDirectory), so they read the same files.
        dataDir.ifPresent(dir -> ExperimentPlan.useIdxDirectory(cm, experiment.getName(), dir));
        Map<String, Optional<DataChecks.IdxPair>> out = new LinkedHashMap<>();
        for (String[] s : sources) {
            String name = names.get(s[0]);
            out.put(s[0], Preflight.checkDataComponent(cm, name, s[1] + " '" + name + "'"));
        }
        return out;
    }

    /** Checks every listed trainer names a Trainer component before anything trains. */
    private static void checkTrainers(ConfigurationManager cm, ConfigurationData experiment) {
        Property list = experiment.get("trainers").orElseThrow(() ->
                new CommandException("experiment '" + experiment.getName() + "' lists no trainers"));
        Set<String> known = new TreeSet<>();
        for (String name : cm.getComponentNames()) {
            cm.getConfigurationData(name).filter(d -> isA(d.getClassName(), Trainer.class)).ifPresent(d -> known.add(name));
        }
        for (String name : Preflight.values(list)) {
            if (!known.contains(name)) {
                throw new CommandException("unknown trainer name '" + name + "' in experiment '" + experiment.getName()
                        + "': the config's trainers are " + known);
            }
        }
    }

    private static boolean isA(String className, Class<?> type) {
        try {
            return type.isAssignableFrom(Class.forName(className));
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }

    private static long[] parseSeeds(List<String> seeds) {
        try {
            long[] out = seeds.stream().map(String::trim).mapToLong(Long::parseLong).toArray();
            if (out.length == 0 || Arrays.stream(out).distinct().count() != out.length) {
                throw new CommandException("--seeds must list distinct seeds, found '" + seeds + "'");
            }
            return out;
        } catch (NumberFormatException e) {
            throw new CommandException("--seeds must be comma-separated integers, found '" + seeds + "'");
        }
    }

    /**
     * Configures one (trainer, seed) run from a fresh configuration manager, so every run starts
     * from the config files and differs from its siblings only in its seed (and epochs override)
     * ({@link ExperimentPlan#configureTrainer}).
     */
    private static Trainer<Label> configureTrainer(String[] args, String trainerName, long seed, int epochs) {
        try {
            return ExperimentPlan.configureTrainer(TribuoRg.configure(args, new ExperimentOptions()), trainerName, seed, epochs,
                    TribuoRg.configFiles(args));
        } catch (SweepException e) {
            throw new CommandException(e.getMessage(), e.getCause());
        }
    }

    /**
     * A finished run is reused only if it is the same run: same trainer configuration and same
     * training data. Otherwise resuming would silently mix runs of different experiments.
     */
    private static void checkSameRun(RunFiles files, Trainer<Label> trainer, Dataset<Label> train) {
        ModelProvenance done;
        try {
            done = files.readProvenance();
        } catch (IllegalArgumentException e) {
            throw new CommandException("finished run " + files.dir() + ": " + e.getMessage() + "; delete the directory to "
                    + "redo the run", e);
        }
        Map<String, String> was = ProvenanceFacts.configurationOf(done.getTrainerProvenance());
        Map<String, String> now = ProvenanceFacts.configurationOf(trainer.getProvenance());
        if (!was.equals(now)) {
            // A run recorded in an earlier form (e.g. DJLTrainer's flat optimiser keys) compares as it is configured today.
            was = ProvenanceFacts.currentConfigurationOf(done.getTrainerProvenance());
        }
        if (!was.equals(now)) {
            List<String> diff = new ArrayList<>();
            for (String k : new TreeSet<>(union(was.keySet(), now.keySet()))) {
                if (!java.util.Objects.equals(was.get(k), now.get(k))) {
                    diff.add(k + ": " + was.get(k) + " -> " + now.get(k));
                }
            }
            throw new CommandException("finished run " + files.dir() + " was trained with another configuration (" + String.join("; ", diff)
                    + "): use another --output-dir, or delete the directory to redo the run");
        }
        String dataWas = ProvenanceFacts.dataHashOf(done.getDatasetProvenance());
        String dataNow = ProvenanceFacts.dataHashOf(train.getProvenance());
        if (!dataWas.equals(dataNow)) {
            throw new CommandException("finished run " + files.dir() + " was trained on other data (" + dataWas + ", now " + dataNow
                    + "): use another --output-dir, or delete the directory to redo the run");
        }
    }

    private static Set<String> union(Set<String> a, Set<String> b) {
        Set<String> u = new LinkedHashSet<>(a);
        u.addAll(b);
        return u;
    }

}

package io.github.randomgradient.cli;

import com.oracle.labs.mlrg.olcut.config.ConfigurationData;
import com.oracle.labs.mlrg.olcut.config.ConfigurationManager;
import com.oracle.labs.mlrg.olcut.config.Option;
import com.oracle.labs.mlrg.olcut.config.Options;
import com.oracle.labs.mlrg.olcut.config.PropertyException;
import com.oracle.labs.mlrg.olcut.config.property.Property;
import com.oracle.labs.mlrg.olcut.config.property.SimpleProperty;
import io.github.randomgradient.data.DataChecks;
import io.github.randomgradient.data.IdxDirectory;
import io.github.randomgradient.report.ComparisonReport;
import io.github.randomgradient.report.ExperimentRecord;
import io.github.randomgradient.run.ProvenanceFacts;
import io.github.randomgradient.report.ReportOptions;
import io.github.randomgradient.report.ReportWriter;
import io.github.randomgradient.run.RunFiles;
import io.github.randomgradient.run.RunRecord;
import io.github.randomgradient.history.DivergedRunException;
import io.github.randomgradient.history.HeldOutEvaluatingTrainer;
import io.github.randomgradient.run.RunRecorder;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.tribuo.Dataset;
import org.tribuo.Model;
import org.tribuo.Trainer;
import org.tribuo.classification.Label;
import org.tribuo.datasource.IDXDataSource;
import org.tribuo.provenance.ModelProvenance;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
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
 * Runs are resumable: a run whose directory is complete is skipped, and a run whose files are
 * partial is redone from scratch. Files are written under temporary names and moved into place.
 * Directory names stay within the file system's 255-byte limit: a longer trainer name (or
 * {@code --data} output suffix) is shortened deterministically with a hash suffix
 * ({@link RunFiles#boundedName(String, int)}), so it trains and resumes like any other.
 * <pre>
 * tribuo-rg experiment -c configs/experiment-fashion-mnist.xml [--data full|bundled|DIR]
 *                      [--output-dir DIR] [--seeds 1,2,3] [--epochs N] [--experiment NAME]
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
     * @throws CommandException On a user error found before training (exit status 2; see {@link Preflight}), or when a
     *                          run diverges under {@code divergencePolicy=FAIL} (exit status 3).
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
        // Trainers before data: Tribuo reads a whole IDX data set when its source is created.
        long[] seedsEarly = seedsOption != null ? seedsOption : configuredSeeds(experimentData);
        int epochsEarly = epochsOption.orElse(configuredEpochs(experimentData));
        Map<String, Map<Long, Trainer<Label>>> trainers = seedsEarly == null || epochsEarly < 0 ? null
                : Preflight.instantiateTrainers(Preflight.values(experimentData.get("trainers").orElseThrow()), seedsEarly,
                        (name, seed) -> configureTrainer(args, name, seed, epochsEarly));

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

        if (trainers == null || !Arrays.equals(seeds, seedsEarly) || epochs != epochsEarly
                || !trainers.keySet().equals(new LinkedHashSet<>(experiment.getTrainers()))) {
            trainers = Preflight.instantiateTrainers(experiment.getTrainers(), seeds, (name, seed) -> configureTrainer(args, name, seed, epochs));
        }
        Preflight.Checked checked = Preflight.check(trainers,
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
        // One command at a time per output directory: a second one stops here with exit status 2.
        try (OutputLock lock = OutputLock.acquire(output, "output directory")) {
            Dataset<Label> train = checked.train();
            Dataset<Label> test = checked.test();
            List<RunFiles> runs = new ArrayList<>();
            for (String trainerName : experiment.getTrainers()) {
                for (long seed : seeds) {
                    RunFiles files = RunFiles.of(output, trainerName, seed);
                    if (files.isComplete()) {
                        checkSameRun(files, checked.trainers().get(trainerName).get(seed), train);
                    }
                    runs.add(files);
                }
            }
            NumericOptions.resume(environmentChange, runs.stream().filter(RunFiles::isComplete).map(RunFiles::dir).toList(), output, out);
            logger.info("Training data: " + train.size() + " examples, test data: " + test.size() + " examples, labels "
                    + train.getOutputInfo().toReadableString());

            new ExperimentRecord(experiment.getTrainers(), experiment.getTitle(), experiment.getTargetAccuracy(), experiment.getComparisons().stream()
                    .map(c -> c[0] + " vs " + c[1]).toList()).write(output);

            // Interleaved by seed (every trainer for seed 1, then seed 2, ...): JVM warm-up and machine load
            // then fall on every trainer alike, so training seconds compare trainers rather than run order.
            int total = runs.size();
            int done = 0;
            try (ProgressBar bar = System.console() == null ? null : new ProgressBarBuilder().setTaskName("runs")
                    .setInitialMax(total).setStyle(ProgressBarStyle.ASCII).build()) {
                for (long seed : seeds) {
                    for (String trainerName : experiment.getTrainers()) {
                        RunFiles files = RunFiles.of(output, trainerName, seed);
                        done++;
                        if (files.isComplete()) {
                            Preflight.removeLeftoverPartials(files.dir());
                            logger.info(String.format("run %d/%d: %s seed %d already complete, skipped (%s)", done, total,
                                    trainerName, seed, files.dir()));
                        } else {
                            files.clear();
                            logger.info(String.format("run %d/%d: %s seed %d", done, total, trainerName, seed));
                            RunRecord r = trainOne(checked.trainers().get(trainerName).get(seed), trainerName, seed, train, test, files);
                            logger.info(String.format("run %d/%d: %s seed %d finished in %.1f s (%s)", done, total, trainerName, seed,
                                    r.trainSeconds(), r.status()));
                        }
                        if (bar != null) {
                            bar.step();
                        }
                    }
                }
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
        String[][] sources = {{"trainSource", "train", "training data"}, {"testSource", "t10k", "test data"}};
        Map<String, Optional<DataChecks.IdxPair>> out = new LinkedHashMap<>();
        for (String[] s : sources) {
            String name = experiment.get(s[0]).map(Property::toString).orElseThrow(() ->
                    new CommandException("experiment '" + experiment.getName() + "' has no " + s[0]));
            ConfigurationData source = cm.getConfigurationData(name).orElseThrow(() ->
                    new CommandException("experiment '" + experiment.getName() + "' names " + s[0] + " '" + name
                            + "', but the config has no such component"));
            boolean idx = source.getClassName().equals(IDXDataSource.class.getName());
            if (dataDir.isPresent()) {
                if (!idx) {
                    throw new CommandException("--data replaces IDXDataSource sources, but " + s[0] + " '" + name
                            + "' is a " + source.getClassName());
                }
                cm.overrideConfigurableProperty(name, "featuresPath", new SimpleProperty(dataDir.get().images(s[1]).toString()));
                cm.overrideConfigurableProperty(name, "outputPath", new SimpleProperty(dataDir.get().labels(s[1]).toString()));
            }
            out.put(s[0], Preflight.checkDataComponent(cm, name, s[2] + " '" + name + "'"));
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
     * from the config files and differs from its siblings only in its seed (and epochs override).
     */
    @SuppressWarnings("unchecked")
    private static Trainer<Label> configureTrainer(String[] args, String trainerName, long seed, int epochs) {
        ConfigurationManager cm = TribuoRg.configure(args, new ExperimentOptions());
        for (String component : Preflight.reachable(cm, trainerName)) {
            String cls = cm.getConfigurationData(component).map(ConfigurationData::getClassName).orElse("");
            if (Preflight.configFields(cls) != null && Preflight.configFields(cls).containsKey("seed")) {
                cm.overrideConfigurableProperty(component, "seed", new SimpleProperty(Long.toString(seed)));
            }
        }
        if (epochs > 0) {
            cm.overrideConfigurableProperty(trainerName, "epochs", new SimpleProperty(Integer.toString(epochs)));
        }
        // Components first, those the trainer uses before the trainer, so a failure names its component.
        List<String> order = new ArrayList<>(Preflight.reachable(cm, trainerName));
        Collections.reverse(order);
        for (String component : order) {
            String where = (component.equals(trainerName) ? "trainer '" + trainerName + "'"
                    : "component '" + component + "' (used by trainer '" + trainerName + "')")
                    + " in " + TribuoRg.configFiles(args) + " or the files it includes";
            try {
                cm.lookup(component);
            } catch (PropertyException | IllegalArgumentException e) {
                throw new CommandException("invalid configuration of " + where + ": " + e.getMessage(), e);
            } catch (RuntimeException e) {
                // OLCUT wraps a failing postConfig or an unparsable value in its own runtime exceptions.
                throw new CommandException("invalid configuration of " + where + ": " + TribuoRg.rootMessage(e), e);
            }
        }
        return (Trainer<Label>) cm.lookup(trainerName);
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

    /** Trains and records one run. */
    @SuppressWarnings("unchecked")
    private static RunRecord trainOne(Trainer<Label> trainer, String trainerName, long seed, Dataset<Label> train,
                                      Dataset<Label> test, RunFiles files) {
        long start = System.nanoTime();
        Model<Label> model;
        try {
            model = trainer instanceof HeldOutEvaluatingTrainer
                    ? ((HeldOutEvaluatingTrainer<Label>) trainer).train(train, test, "test", Map.of())
                    : trainer.train(train);
        } catch (DivergedRunException e) {
            throw CommandException.diverged(trainerName, seed, e);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        return RunRecorder.record(files, trainerName, seed, model, test, train.size(), seconds);
    }
}

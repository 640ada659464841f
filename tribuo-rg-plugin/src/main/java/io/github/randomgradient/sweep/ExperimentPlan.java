package io.github.randomgradient.sweep;

import com.oracle.labs.mlrg.olcut.config.ConfigurationData;
import com.oracle.labs.mlrg.olcut.config.ConfigurationManager;
import com.oracle.labs.mlrg.olcut.config.PropertyException;
import com.oracle.labs.mlrg.olcut.config.property.ListProperty;
import com.oracle.labs.mlrg.olcut.config.property.Property;
import com.oracle.labs.mlrg.olcut.config.property.SimpleProperty;
import io.github.randomgradient.data.DataException;
import io.github.randomgradient.data.DataLoading;
import io.github.randomgradient.data.IdxDirectory;
import io.github.randomgradient.run.ProvenanceFacts;
import io.github.randomgradient.run.RunFiles;
import org.tribuo.DataSource;
import org.tribuo.Dataset;
import org.tribuo.Trainer;
import org.tribuo.classification.Label;

import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;
import java.util.TreeMap;

/**
 * An experiment (the {@code Experiment} component: trainers × seeds) as a {@link RunPlan}: one run per
 * trainer and seed, in training order (every trainer for the first seed, then the second, ...), each
 * trainer configured from the config files with its seed (and that of every seeded component it uses)
 * and, when given, its epochs overridden ({@link #configureTrainer}).
 * <p>
 * A run's identity is {@link PlannedRun#identity} of its trainer's configuration, the data sources'
 * configurations and, besides the plan's identity extras, the trainer's component name: the run
 * directory ({@code runs/<trainer>/seed-<seed>}) and the report name the trainer, so two trainers
 * configured alike are still two runs.
 */
public final class ExperimentPlan implements RunPlan {

    /** The identity extra that names an experiment run's trainer. */
    public static final String TRAINER_IDENTITY_KEY = "experiment.trainer";

    /** Builds one run's trainer. */
    @FunctionalInterface
    public interface TrainerFactory {
        /**
         * A trainer configured for one run.
         * @param trainerName The trainer's component name.
         * @param seed The run's seed.
         * @return The trainer.
         */
        Trainer<Label> create(String trainerName, long seed);
    }

    private final String name;
    private final ConfigurationManager cm;
    private final List<String> trainerNames;
    private final long[] seeds;
    private final String trainSource;
    private final String testSource;
    private final List<PlannedRun> runs;
    private final Map<String, Trainer<Label>> trainers;

    private ExperimentPlan(String name, ConfigurationManager cm, List<String> trainerNames, long[] seeds, String trainSource,
                           String testSource, List<PlannedRun> runs, Map<String, Trainer<Label>> trainers) {
        this.name = name;
        this.cm = cm;
        this.trainerNames = List.copyOf(trainerNames);
        this.seeds = seeds.clone();
        this.trainSource = trainSource;
        this.testSource = testSource;
        this.runs = List.copyOf(runs);
        this.trainers = trainers;
    }

    /**
     * Plans an experiment, instantiating every run's trainer once.
     * @param cm The configuration manager holding the experiment and its data sources (with any {@code --data}
     *           override applied).
     * @param experimentName The experiment's component name.
     * @param trainerNames The trainers' component names, in report order.
     * @param seeds The seeds.
     * @param factory Builds each run's trainer.
     * @param identityExtras Further inputs of every run's identity ({@link PlannedRun#identity}), e.g. the
     *                       machine's numeric environment; empty for none.
     * @return The plan.
     * @throws SweepException If the experiment names no training or test source.
     */
    public static ExperimentPlan plan(ConfigurationManager cm, String experimentName, List<String> trainerNames, long[] seeds,
                                      TrainerFactory factory, Map<String, String> identityExtras) {
        ConfigurationData experiment = declaration(cm, experimentName);
        String train = sourceName(experiment, "trainSource");
        String test = sourceName(experiment, "testSource");
        String dataKey = dataKey(cm, train, test);
        List<PlannedRun> runs = new ArrayList<>();
        Map<String, Trainer<Label>> trainers = new LinkedHashMap<>();
        for (long seed : seeds) {
            for (String trainer : trainerNames) {
                Trainer<Label> t = factory.create(trainer, seed);
                Map<String, String> extras = new TreeMap<>(identityExtras);
                extras.put(TRAINER_IDENTITY_KEY, trainer);
                String id = PlannedRun.identity(ProvenanceFacts.configurationOf(t.getProvenance()), dataKey, extras);
                Map<String, String> overrides = new LinkedHashMap<>();
                overrides.put("seed", Long.toString(seed));
                RunFiles files = RunFiles.of(Path.of(""), trainer, seed);   // refuses a name that cannot be a directory
                String dirName = files.dir().getParent().getFileName() + "/" + files.dir().getFileName();
                runs.add(new PlannedRun(id, trainer, "", Map.of(), Collections.unmodifiableMap(overrides), seed, trainer, dirName));
                trainers.put(id, t);
            }
        }
        return new ExperimentPlan(experimentName, cm, trainerNames, seeds, train, test, runs, trainers);
    }

    /**
     * Plans an experiment from its declaration as written in the config, without instantiating the
     * {@code Experiment} component (that would read its data): a worker process's way to the plan its
     * coordinator made.
     * @param cm The configuration manager.
     * @param experimentName The experiment's component name.
     * @param seedsOverride The seeds replacing the configured ones, or null.
     * @param epochsOverride The epochs replacing the configured ones (empty: the configured value, 0 keeps the trainers').
     * @param factory Builds a trainer from a fresh configuration manager, given the run's epochs (0: the trainer's own).
     * @param identityExtras Further inputs of every run's identity, empty for none.
     * @return The plan.
     * @throws SweepException If the declaration is missing or its seeds or epochs are not integers.
     */
    public static ExperimentPlan fromConfig(ConfigurationManager cm, String experimentName, long[] seedsOverride, OptionalInt epochsOverride,
                                            EpochsTrainerFactory factory, Map<String, String> identityExtras) {
        ConfigurationData experiment = declaration(cm, experimentName);
        List<String> trainerNames = experiment.get("trainers").map(ExperimentPlan::values).orElseThrow(() ->
                new SweepException("experiment '" + experimentName + "' lists no trainers"));
        long[] seeds;
        int epochs;
        try {
            seeds = seedsOverride != null ? seedsOverride : experiment.get("seeds")
                    .map(p -> values(p).stream().mapToLong(v -> Long.parseLong(v.trim())).toArray()).orElse(new long[]{1L});
            epochs = epochsOverride.isPresent() ? epochsOverride.getAsInt()
                    : experiment.get("epochs").map(p -> Integer.parseInt(p.toString().trim())).orElse(0);
        } catch (NumberFormatException e) {
            throw new SweepException("experiment '" + experimentName + "': seeds and epochs must be integers (" + e.getMessage() + ")", e);
        }
        return plan(cm, experimentName, trainerNames, seeds, (trainer, seed) -> factory.create(trainer, seed, epochs), identityExtras);
    }

    /** Builds one run's trainer, given the experiment's epochs. */
    @FunctionalInterface
    public interface EpochsTrainerFactory {
        /**
         * A trainer configured for one run.
         * @param trainerName The trainer's component name.
         * @param seed The run's seed.
         * @param epochs The epochs, 0 for the trainer's own.
         * @return The trainer.
         */
        Trainer<Label> create(String trainerName, long seed, int epochs);
    }

    /**
     * Configures one (trainer, seed) run in a fresh configuration manager: every component the trainer
     * reaches that has a {@code seed} field gets the run's seed, the trainer gets {@code epochs} when it is
     * above 0, and the components are looked up those the trainer uses first, so a failure names its component.
     * Every run therefore starts from the config files and differs from its siblings only in its seed.
     * @param fresh A configuration manager of the config files, used for this run only.
     * @param trainerName The trainer's component name.
     * @param seed The seed.
     * @param epochs The epochs, 0 for the trainer's own.
     * @param configFiles The config files, for messages.
     * @return The trainer.
     * @throws SweepException If a component is invalid; the message names it, the files and the cause.
     */
    @SuppressWarnings("unchecked")
    public static Trainer<Label> configureTrainer(ConfigurationManager fresh, String trainerName, long seed, int epochs, String configFiles) {
        for (String component : reachable(fresh, trainerName)) {
            String cls = fresh.getConfigurationData(component).map(ConfigurationData::getClassName).orElse("");
            if (hasSeed(cls)) {
                fresh.overrideConfigurableProperty(component, "seed", new SimpleProperty(Long.toString(seed)));
            }
        }
        if (epochs > 0) {
            fresh.overrideConfigurableProperty(trainerName, "epochs", new SimpleProperty(Integer.toString(epochs)));
        }
        List<String> order = new ArrayList<>(reachable(fresh, trainerName));
        Collections.reverse(order);
        for (String component : order) {
            String where = (component.equals(trainerName) ? "trainer '" + trainerName + "'"
                    : "component '" + component + "' (used by trainer '" + trainerName + "')")
                    + " in " + configFiles + " or the files it includes";
            try {
                fresh.lookup(component);
            } catch (PropertyException | IllegalArgumentException e) {
                throw new SweepException("invalid configuration of " + where + ": " + e.getMessage(), e);
            } catch (RuntimeException e) {
                // OLCUT wraps a failing postConfig or an unparsable value in its own runtime exceptions.
                throw new SweepException("invalid configuration of " + where + ": " + rootMessage(e), e);
            }
        }
        return (Trainer<Label>) fresh.lookup(trainerName);
    }

    /**
     * Points an experiment's IDX data sources at a directory of the four IDX files (the paths as the
     * directory names them), through OLCUT property overrides, as {@code experiment --data} does.
     * @param cm The configuration manager.
     * @param experimentName The experiment's component name.
     * @param dir The directory.
     * @throws SweepException If the experiment names no such source.
     */
    public static void useIdxDirectory(ConfigurationManager cm, String experimentName, IdxDirectory dir) {
        ConfigurationData experiment = declaration(cm, experimentName);
        String[][] sources = {{"trainSource", "train"}, {"testSource", "t10k"}};
        for (String[] s : sources) {
            String source = sourceName(experiment, s[0]);
            cm.overrideConfigurableProperty(source, "featuresPath", new SimpleProperty(dir.images(s[1]).toString()));
            cm.overrideConfigurableProperty(source, "outputPath", new SimpleProperty(dir.labels(s[1]).toString()));
        }
    }

    /**
     * The component and every component it references, directly or not.
     * @param cm The configuration.
     * @param root The component to start from.
     * @return The names, {@code root} first.
     */
    public static Set<String> reachable(ConfigurationManager cm, String root) {
        Set<String> seen = new LinkedHashSet<>();
        Deque<String> queue = new ArrayDeque<>();
        queue.add(root);
        while (!queue.isEmpty()) {
            String n = queue.poll();
            if (!seen.add(n)) {
                continue;
            }
            cm.getConfigurationData(n).ifPresent(d -> {
                for (Property p : d.getProperties().values()) {
                    for (String v : values(p)) {
                        if (cm.getConfigurationData(v).isPresent()) {
                            queue.add(v);
                        }
                    }
                }
            });
        }
        return seen;
    }

    /**
     * The values of a property: its items if it is a list, else its one value.
     * @param p The property.
     * @return The values.
     */
    public static List<String> values(Property p) {
        if (p instanceof ListProperty) {
            return ((ListProperty) p).getSimpleList().stream().map(SimpleProperty::getValue).toList();
        }
        return List.of(p.toString());
    }

    private static boolean hasSeed(String className) {
        try {
            return SweepPlan.hasConfigField(Class.forName(className), "seed");
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }

    private static String rootMessage(Throwable e) {
        StringBuilder sb = new StringBuilder(String.valueOf(e.getMessage()));
        for (Throwable c = e.getCause(); c != null && c != c.getCause(); c = c.getCause()) {
            if (c.getMessage() != null && !sb.toString().contains(c.getMessage())) {
                sb.append(": ").append(c.getMessage());
            }
        }
        return sb.toString();
    }

    private static ConfigurationData declaration(ConfigurationManager cm, String experimentName) {
        return cm.getConfigurationData(experimentName).orElseThrow(() -> new SweepException("no component named '" + experimentName
                + "' in the config; components: " + new java.util.TreeSet<>(cm.getComponentNames())));
    }

    private static String sourceName(ConfigurationData experiment, String field) {
        return experiment.get(field).map(Property::toString).orElseThrow(() ->
                new SweepException("experiment '" + experiment.getName() + "' has no " + field));
    }

    /** What defines the data an experiment's run trains and is evaluated on: the sources' configurations. */
    private static String dataKey(ConfigurationManager cm, String train, String test) {
        StringBuilder sb = new StringBuilder("experiment data\n");
        for (String source : new String[]{train, test}) {
            ConfigurationData d = cm.getConfigurationData(source).orElseThrow(() ->
                    new SweepException("the experiment names data source '" + source + "', but the config has no such component"));
            sb.append(d.getClassName()).append(new TreeMap<>(d.getProperties())).append('\n');
        }
        return sb.toString();
    }

    /** {@inheritDoc} */
    @Override
    public String kind() {
        return EXPERIMENT;
    }

    /** {@inheritDoc} */
    @Override
    public String name() {
        return name;
    }

    /** {@inheritDoc} Every trainer for the first seed, then the second, ... */
    @Override
    public List<PlannedRun> runs() {
        return runs;
    }

    /** {@inheritDoc} The instance made while planning: each run's trainer is instantiated once. */
    @Override
    public Trainer<Label> trainer(PlannedRun run) {
        Trainer<Label> t = trainers.get(run.id());
        if (t == null) {
            throw new SweepException("experiment '" + name + "' has no run " + run.id());
        }
        return t;
    }

    /** {@inheritDoc} The run's trainer, its {@link PlannedRun#arm()}. */
    @Override
    public String trainerName(PlannedRun run) {
        return run.arm();
    }

    /** {@inheritDoc} The training and test data, no validation split. */
    @Override
    @SuppressWarnings("unchecked")
    public SweepData loadData() {
        try {
            String trainRole = "training data '" + trainSource + "'";
            String testRole = "test data '" + testSource + "'";
            DataSource<Label> train = (DataSource<Label>) cm.lookup(trainSource);
            Dataset<Label> trainData = DataLoading.load(train, trainRole, DataLoading.idxImages(train, trainRole));
            DataSource<Label> test = (DataSource<Label>) cm.lookup(testSource);
            Dataset<Label> testData = DataLoading.load(test, testRole, DataLoading.idxImages(test, testRole));
            return new SweepData(trainData, null, testData);
        } catch (DataException e) {
            throw new SweepException(e.getMessage(), e);
        } catch (RuntimeException e) {
            throw new SweepException("could not load the data of experiment '" + name + "': " + e.getMessage(), e);
        }
    }

    /** {@inheritDoc} False: a divergence under {@code FAIL} stops the experiment (exit status 3). */
    @Override
    public boolean publishesDivergence() {
        return false;
    }

    /** @return The trainers' component names, in report order. */
    public List<String> trainerNames() {
        return trainerNames;
    }

    /** @return The seeds. */
    public long[] seeds() {
        return seeds.clone();
    }

    /**
     * Every run's trainer by trainer name and seed, for the checks before training.
     * @return trainer name -> seed -> trainer.
     */
    public Map<String, Map<Long, Trainer<Label>>> trainersByName() {
        Map<String, Map<Long, Trainer<Label>>> out = new LinkedHashMap<>();
        trainerNames.forEach(t -> out.put(t, new LinkedHashMap<>()));
        for (long seed : seeds) {
            for (PlannedRun r : runs) {
                if (r.seed() == seed) {
                    out.get(r.arm()).put(seed, trainers.get(r.id()));
                }
            }
        }
        return out;
    }
}

package io.github.randomgradient.run;

import com.oracle.labs.mlrg.olcut.config.ConfigurationData;
import com.oracle.labs.mlrg.olcut.config.ConfigurationManager;
import com.oracle.labs.mlrg.olcut.provenance.ConfiguredObjectProvenance;
import com.oracle.labs.mlrg.olcut.provenance.ListProvenance;
import com.oracle.labs.mlrg.olcut.provenance.ObjectProvenance;
import com.oracle.labs.mlrg.olcut.provenance.Provenance;
import com.oracle.labs.mlrg.olcut.provenance.ProvenanceUtil;
import com.oracle.labs.mlrg.olcut.util.Pair;
import io.github.randomgradient.config.ProvenanceWalk;
import io.github.randomgradient.optim.OptimiserDescription;
import io.github.randomgradient.optim.ScheduleDescription;
import io.github.randomgradient.rg.ConstantLossScale;
import io.github.randomgradient.rg.LossScale;
import io.github.randomgradient.rg.RandomGradientOptimiser;
import io.github.randomgradient.rg.UniformLossScale;
import org.tribuo.provenance.ModelProvenance;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.TreeMap;

/**
 * Reads the facts of a training run from a model's provenance, and nothing else: the loss scale
 * (rebuilt through OLCUT from its recorded configuration, so its expected value can be shown),
 * learning rate, momentum, optimiser, schedule, weight decay, seed, epochs, batch size, data source
 * and its hash, engine versions, devices and threads.
 * <p>
 * Field names are looked up as Tribuo and this project record them: {@code learningRate} (DJLTrainer)
 * or {@code initialLearningRate} (Tribuo's optimisers), {@code momentum} or {@code rho}, {@code batchSize}
 * or {@code minibatchSize}. A run whose trainer records no loss scale is a baseline (factor 1.0).
 * <p>
 * The optimiser and the schedule, like the loss scale, are rebuilt from their recorded configuration
 * when the trainer records them as components ({@link OptimiserDescription}, {@link ScheduleDescription},
 * e.g. DJLTrainer's {@code torchOptimiser} and {@code schedule}), and asked: is it adaptive, its
 * momentum, weight decay and update rule. Matching names in the flattened provenance is only the
 * fallback, for trainers that record no such component (Tribuo's own SGD trainers, runs written
 * before DJLTrainer's optimiser was a component, whose flat {@code optimiser}, {@code momentum},
 * {@code beta1}, ... keys are read as they were) and for components whose class is not on the class path.
 */
public final class ProvenanceFacts {

    /** Keys of volatile values that never count as a configuration difference. */
    private static final List<String> VOLATILE = List.of("trained-at", "train-invocation-count",
            "datasource-creation-time", "modified-time", "creation-time");

    private final ModelProvenance provenance;
    private final Map<String, String> trainer;
    private final Map<String, String> dataset;
    private final Map<String, String> run;
    private final LossScale lossScale;
    private final boolean recordedLossScale;
    /** The recorded optimiser component, rebuilt; null if the trainer records none (or its class is absent). */
    private final OptimiserDescription optimiserComponent;
    /** The recorded schedule component, rebuilt; null if the trainer records none (or its class is absent). */
    private final ScheduleDescription scheduleComponent;

    private ProvenanceFacts(ModelProvenance provenance) {
        this.provenance = provenance;
        this.trainer = flatten(provenance.getTrainerProvenance());
        this.dataset = flatten(provenance.getDatasetProvenance());
        Map<String, String> instance = new LinkedHashMap<>();
        for (Pair<String, ? extends Provenance> p : provenance.getInstanceProvenance()) {
            instance.put(p.getA(), p.getB().toString());
        }
        this.run = Collections.unmodifiableMap(instance);
        ConfiguredObjectProvenance scaleProvenance = findLossScale(provenance.getTrainerProvenance());
        this.recordedLossScale = scaleProvenance != null;
        this.lossScale = scaleProvenance == null ? ConstantLossScale.baseline() : rebuild(scaleProvenance);
        this.optimiserComponent = optimiserComponent(provenance.getTrainerProvenance()).orElse(null);
        this.scheduleComponent = scheduleComponent(provenance.getTrainerProvenance()).orElse(null);
    }

    /**
     * The optimiser component a trainer records (the one nearest the root), rebuilt through OLCUT
     * from its recorded configuration, as the loss scale is.
     * @param trainer A trainer's provenance.
     * @return The optimiser; empty if the trainer records none, or its class is not on the class path.
     * @throws IllegalStateException If a recorded optimiser component cannot be rebuilt from its configuration.
     */
    public static Optional<OptimiserDescription> optimiserComponent(ObjectProvenance trainer) {
        ConfiguredObjectProvenance p = findComponent(trainer, OptimiserDescription.class);
        return p == null ? Optional.empty() : Optional.of(rebuild(p, OptimiserDescription.class, "optimiser"));
    }

    /**
     * The learning-rate schedule component a trainer records, rebuilt through OLCUT.
     * @param trainer A trainer's provenance.
     * @return The schedule; empty if the trainer records none, or its class is not on the class path.
     * @throws IllegalStateException If a recorded schedule component cannot be rebuilt from its configuration.
     */
    public static Optional<ScheduleDescription> scheduleComponent(ObjectProvenance trainer) {
        ConfiguredObjectProvenance p = findComponent(trainer, ScheduleDescription.class);
        return p == null ? Optional.empty() : Optional.of(rebuild(p, ScheduleDescription.class, "schedule"));
    }

    /**
     * Reads the facts of a model's provenance.
     * @param provenance The model provenance.
     * @return The facts.
     * @throws IllegalStateException If a recorded loss scale cannot be rebuilt from its configuration.
     */
    public static ProvenanceFacts of(ModelProvenance provenance) {
        return new ProvenanceFacts(provenance);
    }

    /**
     * Flattens a provenance tree into dotted paths, e.g. {@code lossScale.high -> 1.0},
     * {@code optimiser.optimiser.initialLearningRate -> 0.01}; list entries get {@code [i]}.
     * @param provenance The provenance.
     * @return Paths to values, in traversal order.
     */
    public static Map<String, String> flatten(ObjectProvenance provenance) {
        Map<String, String> out = new LinkedHashMap<>();
        flattenInto("", provenance, out);
        return Collections.unmodifiableMap(out);
    }

    private static void flattenInto(String prefix, Provenance p, Map<String, String> out) {
        ProvenanceWalk.walk(prefix, p, (path, node) -> {
            if (ProvenanceWalk.isLeaf(node)) {
                out.put(path, node.toString());
            } else if (node instanceof ListProvenance && !((ListProvenance<?>) node).iterator().hasNext()) {
                out.put(path, "[]");
            }
        });
    }

    /**
     * Is this flattened key a volatile value (time stamps, invocation counts) that should never be
     * reported as a configuration difference?
     * @param key A flattened key.
     * @return True if volatile.
     */
    public static boolean isVolatile(String key) {
        for (String v : VOLATILE) {
            if (key.endsWith(v)) {
                return true;
            }
        }
        return false;
    }

    /** The loss scale nearest the root (fewest path segments), or null if the trainer records none. */
    private static ConfiguredObjectProvenance findLossScale(ObjectProvenance root) {
        return findComponent(root, LossScale.class);
    }

    /** The component of a type nearest the root (fewest path segments), or null if the provenance records none. */
    private static ConfiguredObjectProvenance findComponent(ObjectProvenance root, Class<?> type) {
        ConfiguredObjectProvenance[] found = {null};
        int[] depth = {Integer.MAX_VALUE};
        ProvenanceWalk.walk("", root, (path, p) -> {
            int d = path.split("[.\\[]").length;
            if (p != root && p instanceof ConfiguredObjectProvenance && d < depth[0]
                    && isA(((ConfiguredObjectProvenance) p).getClassName(), type)) {
                found[0] = (ConfiguredObjectProvenance) p;
                depth[0] = d;
            }
        });
        return found[0];
    }

    private static boolean isA(String className, Class<?> type) {
        try {
            return type.isAssignableFrom(Class.forName(className));
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }

    private static LossScale rebuild(ConfiguredObjectProvenance p) {
        return rebuild(p, LossScale.class, "loss scale");
    }

    private static <C> C rebuild(ConfiguredObjectProvenance p, Class<C> type, String what) {
        List<ConfigurationData> configs = ProvenanceUtil.extractConfiguration(p);
        ConfigurationManager cm = new ConfigurationManager();
        cm.addConfiguration(configs);
        Object o = cm.lookup(configs.get(0).getName());
        if (!type.isInstance(o)) {
            throw new IllegalStateException("the recorded " + what + " " + p.getClassName() + " could not be rebuilt");
        }
        return type.cast(o);
    }

    private Optional<String> first(Map<String, String> map, String... names) {
        for (String name : names) {
            for (Map.Entry<String, String> e : map.entrySet()) {
                String k = e.getKey();
                if (k.equals(name) || k.endsWith("." + name)) {
                    return Optional.of(e.getValue());
                }
            }
        }
        return Optional.empty();
    }

    private static OptionalDouble parse(Optional<String> s) {
        if (s.isEmpty()) {
            return OptionalDouble.empty();
        }
        try {
            return OptionalDouble.of(Double.parseDouble(s.get()));
        } catch (NumberFormatException e) {
            return OptionalDouble.empty();
        }
    }

    /**
     * The model provenance these facts were read from.
     * @return The provenance.
     */
    public ModelProvenance getProvenance() {
        return provenance;
    }

    /**
     * The flattened trainer provenance (configuration and instance values).
     * @return Dotted paths to values.
     */
    public Map<String, String> trainerFields() {
        return trainer;
    }

    /**
     * The flattened dataset provenance.
     * @return Dotted paths to values.
     */
    public Map<String, String> datasetFields() {
        return dataset;
    }

    /**
     * The run provenance (instance values given at training time, e.g. {@code diverged}).
     * @return Keys to values.
     */
    public Map<String, String> runFields() {
        return run;
    }

    /**
     * The trainer's class name.
     * @return The class name.
     */
    public String trainerClass() {
        return provenance.getTrainerProvenance().getClassName();
    }

    /**
     * The loss scale, rebuilt from its recorded configuration; {@code ConstantLossScale(1.0)} if the
     * trainer records none.
     * @return The loss scale.
     */
    public LossScale lossScale() {
        return lossScale;
    }

    /**
     * Did the trainer record a loss scale (as opposed to a plain Tribuo trainer)?
     * @return True if recorded.
     */
    public boolean hasRecordedLossScale() {
        return recordedLossScale;
    }

    /**
     * Is this a Random Gradient run, i.e. is its loss scale not a constant?
     * @return True if the scale varies between mini-batches.
     */
    public boolean isRandomGradient() {
        return lossScale.min() != lossScale.max();
    }

    /**
     * The base learning rate: {@code learningRate} or a wrapped optimiser's {@code initialLearningRate}.
     * @return The learning rate, if recorded.
     */
    public OptionalDouble learningRate() {
        return parse(first(trainer, "learningRate", "initialLearningRate"));
    }

    /**
     * The mean effective learning rate, {@code learningRate * E[u]}, of an SGD-family optimiser.
     * @return The effective learning rate; empty if the learning rate is not recorded, the
     *         optimiser is adaptive (Adam and its kin: a constant loss factor cancels in the update)
     *         or the loss scale is not {@link LossScale#isStationary() stationary} (its mean depends
     *         on the run's length).
     */
    public OptionalDouble effectiveLearningRate() {
        OptionalDouble lr = learningRate();
        return lr.isPresent() && !isAdaptive() && lossScale.isStationary()
                ? OptionalDouble.of(lr.getAsDouble() * lossScale.runMeanFactor()) : OptionalDouble.empty();
    }

    /**
     * The momentum: the recorded optimiser component's, else a flat {@code momentum}, or the
     * {@code rho} of Tribuo's SGD when it uses momentum (with its kind, e.g. {@code 0.9 (standard)}).
     * @return The momentum, if recorded.
     */
    public Optional<String> momentum() {
        if (optimiserComponent != null) {
            return Optional.of(optimiserComponent.momentum().isPresent() ? Double.toString(optimiserComponent.momentum().getAsDouble())
                    : "n/a (" + optimiserComponent.name() + " has no momentum)");
        }
        Optional<String> m = first(trainer, "momentum");
        if (m.isPresent()) {
            return m;
        }
        Optional<String> use = first(trainer, "useMomentum");
        if (use.isPresent() && !use.get().equals("NONE")) {
            return first(trainer, "rho").map(r -> r + " (" + use.get().toLowerCase() + ")");
        }
        return use.isPresent() ? Optional.of("0 (none)") : Optional.empty();
    }

    /**
     * The optimiser: DJLTrainer's {@code optimiser} value, or the class of Tribuo's optimiser.
     * @return The optimiser, if recorded.
     */
    public Optional<String> optimiser() {
        return optimiserComponent != null ? Optional.of(optimiserComponent.name()) : optimiserOf(trainer);
    }

    /**
     * The optimiser component the trainer records, rebuilt from its provenance.
     * @return The optimiser; empty for a trainer that records none (e.g. Tribuo's SGD trainers, or
     *         DJLTrainer runs written before the optimiser was a component).
     */
    public Optional<OptimiserDescription> optimiserComponent() {
        return Optional.ofNullable(optimiserComponent);
    }

    /**
     * The learning-rate schedule component the trainer records, rebuilt from its provenance.
     * @return The schedule; empty for a trainer that records none.
     */
    public Optional<ScheduleDescription> scheduleComponent() {
        return Optional.ofNullable(scheduleComponent);
    }

    /**
     * The momentum value as recorded: the optimiser component's, else a flat {@code momentum} or
     * Tribuo's {@code rho}, without a description.
     * @return The value, if recorded.
     */
    public Optional<String> momentumValue() {
        if (optimiserComponent != null) {
            return optimiserComponent.momentum().isPresent() ? Optional.of(Double.toString(optimiserComponent.momentum().getAsDouble()))
                    : Optional.empty();
        }
        return first(trainer, "momentum", "rho");
    }

    /**
     * The weight decay value as recorded: the optimiser component's, else a flat {@code weightDecay}.
     * @return The value, if recorded.
     */
    public Optional<String> weightDecayValue() {
        return optimiserComponent != null ? Optional.of(Double.toString(optimiserComponent.weightDecay())) : first(trainer, "weightDecay");
    }

    /**
     * The learning-rate schedule: the schedule component's description, else a flat {@code lrSchedule}
     * (with its {@code lrPower} when POLY).
     * @return E.g. {@code FIXED} or {@code POLY (power 0.9)}, if recorded.
     */
    public Optional<String> schedule() {
        if (scheduleComponent != null) {
            return Optional.of(scheduleComponent.describe());
        }
        return first(trainer, "lrSchedule").map(s -> s + first(trainer, "lrPower").filter(x -> s.equals("POLY")).map(p -> " (power " + p + ")").orElse(""));
    }

    /**
     * The update rule that ran: the optimiser component's, else the recorded {@code update-rule}.
     * @return E.g. {@code torch.optim.SGD}, if recorded.
     */
    public Optional<String> updateRule() {
        return optimiserComponent != null ? Optional.of(optimiserComponent.updateRule()) : first(trainer, "update-rule");
    }

    /**
     * The optimiser named by a trainer's flattened configuration ({@link #configurationOf} or
     * {@link #flatten}): DJLTrainer's {@code optimiser} value, or the class of Tribuo's optimiser.
     * @param trainer The trainer's flattened configuration.
     * @return The optimiser, if recorded.
     */
    public static Optional<String> optimiserOf(Map<String, String> trainer) {
        String own = trainer.get("optimiser");
        if (own != null) {
            return Optional.of(own);
        }
        String component = trainer.get("torchOptimiser.class-name");
        if (component != null) {
            return Optional.of(simple(component));
        }
        String cls = trainer.get("optimiser.class-name");
        if (cls == null) {
            return Optional.empty();
        }
        if (cls.equals(RandomGradientOptimiser.class.getName())) {
            String inner = trainer.get("optimiser.optimiser.class-name");
            return Optional.of("RandomGradientOptimiser(" + simple(inner) + ")");
        }
        return Optional.of(simple(cls));
    }

    private static String simple(String cls) {
        return cls == null ? "?" : cls.substring(cls.lastIndexOf('.') + 1);
    }

    /**
     * Is the optimiser adaptive (Adam, AdaGrad, AdaDelta, RMSProp)? For those, scaling the loss by a
     * constant cancels in the update (apart from ε), so "effective learning rate = lr × E[u]" does not
     * hold: a per-batch u reweights the mini-batches inside the moment estimates instead.
     * @return True if the recorded optimiser is adaptive.
     */
    public boolean isAdaptive() {
        return optimiserComponent != null ? optimiserComponent.isAdaptive() : isAdaptive(trainer);
    }

    /**
     * Is the optimiser a trainer records adaptive? Asks the recorded optimiser component when there is
     * one, else falls back to {@link #isAdaptive(Map)} on the flattened provenance.
     * @param trainer The trainer's provenance.
     * @return True if adaptive.
     */
    public static boolean isAdaptive(ConfiguredObjectProvenance trainer) {
        Optional<OptimiserDescription> component = optimiserComponent(trainer);
        return component.isPresent() ? component.get().isAdaptive() : isAdaptive(configurationOf(trainer));
    }

    /**
     * The optimiser a trainer records: its optimiser component's name, else {@link #optimiserOf(Map)}.
     * @param trainer The trainer's provenance.
     * @return The optimiser, if recorded.
     */
    public static Optional<String> optimiserOf(ConfiguredObjectProvenance trainer) {
        Optional<OptimiserDescription> component = optimiserComponent(trainer);
        return component.isPresent() ? Optional.of(component.get().name()) : optimiserOf(configurationOf(trainer));
    }

    /**
     * Is the optimiser of a trainer's flattened configuration adaptive (Adam, AdaGrad, AdaDelta,
     * RMSProp and their kin), so that a constant loss factor cancels in its update? The fallback of
     * reports and sweeps, by name, for trainers that record no optimiser component (or one whose class
     * is not on the class path); prefer {@link #isAdaptive(ConfiguredObjectProvenance)}.
     * @param trainer The trainer's flattened configuration ({@link #configurationOf} or {@link #flatten}).
     * @return True if adaptive.
     */
    public static boolean isAdaptive(Map<String, String> trainer) {
        String name = optimiserOf(trainer).orElse("").toUpperCase(Locale.ROOT);
        for (String adaptive : List.of("ADAM", "ADAGRAD", "ADADELTA", "RMSPROP")) {
            if (name.contains(adaptive)) {
                return true;
            }
        }
        return false;
    }

    /**
     * The optimiser's weight decay and whether the loss scale multiplies it: an optimiser's weight decay
     * is applied by the update rule, outside the loss, so RG does not scale it (an L2 term inside the
     * loss would be scaled).
     * @return e.g. {@code 1.0E-4 (optimiser's, not scaled by u)}, or {@code none recorded}.
     */
    public String weightDecay() {
        if (optimiserComponent != null) {
            return optimiserComponent.weightDecay() + (optimiserComponent.isWeightDecayDecoupled() ? " (optimiser's, decoupled, not scaled by u)"
                    : " (optimiser's, not scaled by u)");
        }
        return first(trainer, "weightDecay").map(w -> w + " (optimiser's, not scaled by u)").orElse("none recorded");
    }

    /**
     * Does the run use Tribuo 4.3.2's defective Adam (oracle/tribuo#401)?
     * @return True if {@value RandomGradientOptimiser#TRIBUO_ADAM} is in the trainer provenance.
     */
    public boolean usesTribuoAdam() {
        return RandomGradientOptimiser.wrapsTribuoAdam(provenance.getTrainerProvenance());
    }

    /**
     * A recorded trainer field by name (exact key or dotted suffix).
     * @param names Candidate names, tried in order.
     * @return The first value found.
     */
    public Optional<String> field(String... names) {
        return first(trainer, names);
    }

    /**
     * The seed.
     * @return The trainer's seed, if recorded.
     */
    public Optional<String> seed() {
        Optional<String> s = trainer.containsKey("seed") ? Optional.of(trainer.get("seed")) : Optional.empty();
        return s.isPresent() ? s : first(trainer, "seed");
    }

    /**
     * The configured number of epochs.
     * @return The epochs, if recorded.
     */
    public Optional<String> epochs() {
        return first(trainer, "epochs");
    }

    /**
     * The mini-batch size.
     * @return The batch size, if recorded.
     */
    public Optional<String> batchSize() {
        return first(trainer, "batchSize", "minibatchSize");
    }

    /**
     * The data source, as its class and recorded paths.
     * @return A description of the training data source.
     */
    public String dataSource() {
        StringBuilder sb = new StringBuilder(simple(dataset.getOrDefault("datasource.class-name", "?")));
        first(dataset, "featuresPath").ifPresent(p -> sb.append(" features=").append(p));
        first(dataset, "outputPath").ifPresent(p -> sb.append(" outputs=").append(p));
        sb.append(" (").append(dataset.getOrDefault("num-examples", "?")).append(" examples)");
        return sb.toString();
    }

    /**
     * What identifies the training data: its recorded file hashes, or, when none are recorded (an
     * in-memory or generated source), its dataset provenance without volatile fields such as times.
     * Two runs with different identities trained on different data.
     * @return The identity.
     */
    public String dataIdentity() {
        String hash = dataHash();
        if (!hash.equals("none recorded")) {
            return hash;
        }
        StringBuilder sb = new StringBuilder();
        new TreeMap<>(dataset).forEach((k, v) -> {
            if (!isVolatile(k) && !k.contains("time") && !k.contains("date")) {
                sb.append(k).append('=').append(v).append(';');
            }
        });
        return sb.toString();
    }

    /**
     * The recorded hashes of the training data files.
     * @return The hashes, e.g. {@code features=SHA-256:...}, or {@code none recorded}.
     */
    public String dataHash() {
        return dataHashOf(dataset);
    }

    /**
     * The recorded hashes of a dataset's files.
     * @param datasetProvenance The dataset provenance (e.g. {@code Dataset.getProvenance()}).
     * @return The hashes, or {@code none recorded}.
     */
    public static String dataHashOf(ObjectProvenance datasetProvenance) {
        return dataHashOf(flatten(datasetProvenance));
    }

    private static String dataHashOf(Map<String, String> dataset) {
        StringBuilder sb = new StringBuilder();
        for (Map.Entry<String, String> e : dataset.entrySet()) {
            if (e.getKey().endsWith("hash")) {
                if (sb.length() > 0) {
                    sb.append(", ");
                }
                String k = e.getKey().substring(e.getKey().lastIndexOf('.') + 1);
                sb.append(k).append('=').append(e.getValue());
            }
        }
        return sb.length() == 0 ? "none recorded" : sb.toString();
    }

    /**
     * The configuration recorded in a configured object's provenance (its {@code @Config} fields,
     * flattened, nested components included), without instance values such as versions, devices,
     * thread counts or invocation counts.
     * @param provenance The provenance, e.g. a trainer's.
     * @return Dotted paths to configured values.
     */
    public static Map<String, String> configurationOf(ConfiguredObjectProvenance provenance) {
        Map<String, String> out = new LinkedHashMap<>();
        out.put("class-name", provenance.getClassName());
        for (Map.Entry<String, Provenance> e : provenance.getConfiguredParameters().entrySet()) {
            flattenInto(e.getKey(), e.getValue(), out);
        }
        return out;
    }

    /**
     * The configuration a recorded configured object has today: the object is rebuilt through OLCUT
     * from its recorded configuration (as Tribuo's {@code ReproUtil} recovers a trainer) and its
     * provenance taken again, so a run recorded in an earlier form compares equal to the same
     * configuration now. For example a DJLTrainer run written before the optimiser was a component
     * records flat {@code optimiser}, {@code momentum}, {@code beta1}, ... keys; rebuilt, it records
     * the {@code torchOptimiser} and {@code schedule} components those keys configure.
     * @param recorded The recorded provenance, e.g. a finished run's trainer provenance.
     * @return Its configuration as {@link #configurationOf} gives it today; the recorded configuration
     *         unchanged if the object cannot be rebuilt (its class is absent, or it no longer validates).
     */
    public static Map<String, String> currentConfigurationOf(ConfiguredObjectProvenance recorded) {
        try {
            List<ConfigurationData> configs = ProvenanceUtil.extractConfiguration(recorded);
            ConfigurationManager cm = new ConfigurationManager();
            cm.addConfiguration(configs);
            Object o = cm.lookup(configs.get(0).getName());
            if (o instanceof com.oracle.labs.mlrg.olcut.provenance.Provenancable<?>) {
                Object p = ((com.oracle.labs.mlrg.olcut.provenance.Provenancable<?>) o).getProvenance();
                if (p instanceof ConfiguredObjectProvenance) {
                    return configurationOf((ConfiguredObjectProvenance) p);
                }
            }
        } catch (RuntimeException | LinkageError e) {
            // not rebuildable here: compare the configuration as recorded
        }
        return configurationOf(recorded);
    }

    /**
     * Did the run diverge (and stop, under {@code divergencePolicy=STOP})?
     * @return True if the run provenance says so.
     */
    public boolean diverged() {
        return Boolean.parseBoolean(run.getOrDefault("diverged", "false"));
    }

    /**
     * The audit table of a run: loss scale, optimisation settings, data and engine, as label -> value.
     * @return The rows, in display order.
     */
    public Map<String, String> auditTable() {
        Map<String, String> rows = new LinkedHashMap<>();
        rows.put("trainer", trainerClass());
        rows.put("loss scale", lossScale.describe() + (recordedLossScale ? "" : " (none recorded: baseline)"));
        rows.put("loss scale range", "[" + lossScale.min() + ", " + lossScale.max() + "]");
        if (lossScale instanceof UniformLossScale) {
            rows.put("loss scale apply probability", Double.toString(((UniformLossScale) lossScale).getApplyProbability()));
        }
        rows.put("loss scale mean E[u]", lossScale.isStationary() ? Double.toString(lossScale.expectedValue())
                : "depends on the run's length (a schedule; " + lossScale.expectedValue() + " over its first whole cycle)"
                + "; the training history records the realised mean per epoch");
        rows.put("learning rate", learningRate().isPresent() ? Double.toString(learningRate().getAsDouble()) : "not recorded");
        rows.put("effective learning rate (lr x E[u])", isAdaptive()
                ? "n/a (adaptive optimiser: a constant loss factor cancels in its update; u reweights mini-batches instead)"
                : !lossScale.isStationary() ? "n/a (the loss scale's mean depends on the run's length)"
                : effectiveLearningRate().isPresent() ? Double.toString(effectiveLearningRate().getAsDouble()) : "not recorded");
        rows.put("schedule", schedule()
                .orElse("fixed (Tribuo optimiser: " + first(trainer, "optimiser.class-name", "class-name").map(ProvenanceFacts::simple).orElse("?") + ")"));
        if (optimiserComponent != null && isAdaptive() && !optimiserComponent.settings().isEmpty()) {
            Map<String, String> settings = optimiserComponent.settings();
            rows.put(String.join(", ", settings.keySet()), String.join(", ", settings.values()));
        } else if (isAdaptive()) {
            rows.put("beta1, beta2", first(trainer, "beta1").orElse("?") + ", " + first(trainer, "beta2").orElse("?"));
        } else {
            rows.put("momentum", momentum().orElse("not recorded"));
        }
        rows.put("weight decay", weightDecayValue().orElse("not recorded"));
        rows.put("optimiser", optimiser().orElse("not recorded") + updateRule().map(r -> " (update rule " + r + ")").orElse("")
                + (usesTribuoAdam() ? " [WARNING: Tribuo 4.3.2 Adam is defective, oracle/tribuo#401]" : ""));
        rows.put("seed", seed().orElse("not recorded"));
        rows.put("epochs", epochs().orElse("not recorded"));
        rows.put("batch size", batchSize().orElse("not recorded"));
        rows.put("data source", dataSource());
        rows.put("data hash", dataHash());
        rows.put("engine", first(trainer, "djl-version").map(v -> "DJL " + v + ", PyTorch " + first(trainer, "pytorch-version").orElse("?"))
                .orElse("Tribuo " + provenance.getTribuoVersion()));
        rows.put("device", first(trainer, "devices").orElse("cpu (Tribuo)"));
        rows.put("threads", first(trainer, "pytorch-threads").orElse("n/a"));
        String environment = run.get(io.github.randomgradient.config.NumericEnvironment.PROVENANCE_KEY);
        rows.put("numeric environment", environment == null ? "not recorded (the numbers may depend on the CPU)"
                : io.github.randomgradient.config.NumericEnvironment.parse(environment).toString());
        rows.put("reproducible", environment == null ? "not recorded"
                : io.github.randomgradient.config.NumericEnvironment.parse(environment).reproducible()
                ? "yes (kernels pinned to AVX2: the same bytes on every x86-64 machine with AVX2, same libtorch)"
                : "no (the numbers depend on this CPU's instruction set; --reproducible pins them)");
        rows.put("diverged", diverged() ? "yes: " + run.getOrDefault("divergence", "") : "no");
        rows.put("trained at", provenance.getTrainingTime().toString());
        return rows;
    }
}

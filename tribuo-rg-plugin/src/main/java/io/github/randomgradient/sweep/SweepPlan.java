package io.github.randomgradient.sweep;

import com.oracle.labs.mlrg.olcut.config.Config;
import com.oracle.labs.mlrg.olcut.config.Configurable;
import com.oracle.labs.mlrg.olcut.config.ConfigurationData;
import com.oracle.labs.mlrg.olcut.config.ConfigurationManager;
import com.oracle.labs.mlrg.olcut.config.PropertyException;
import com.oracle.labs.mlrg.olcut.config.property.Property;
import com.oracle.labs.mlrg.olcut.config.property.SimpleProperty;
import io.github.randomgradient.report.ProvenanceFacts;
import io.github.randomgradient.report.RunFiles;
import io.github.randomgradient.rg.ConstantLossScale;
import io.github.randomgradient.rg.LossScale;
import org.tribuo.Trainer;

import java.lang.reflect.Field;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A {@link Sweep} expanded into runs, each a full trainer configuration built with OLCUT's own
 * machinery: the base trainer's {@link ConfigurationData} is copied under a new component name with
 * the run's fields overridden and added to the configuration manager, so OLCUT converts and
 * validates every value ({@code postConfig}) exactly as for a hand-written trainer.
 * <p>
 * Expansion: for every point of the grid (the product of the declared axes other than
 * {@code lossScale}, in {@link Sweep#AXES} order), the baseline (loss scale 1), and for every loss
 * scale \( s \) of the {@code lossScale} axis that is not the constant 1 the RG arm (loss scale
 * \( s \)) and the lr-matched arm (loss scale 1, learning rate \( lr \times E_s[u] \)), each for every
 * seed. Every run is instantiated while planning, so a bad value fails before anything trains.
 */
public final class SweepPlan {

    private final String sweepName;
    private final Sweep sweep;
    private final ConfigurationManager cm;
    private final List<PlannedRun> roles;
    private final List<PlannedRun> runs;

    private SweepPlan(String sweepName, Sweep sweep, ConfigurationManager cm, List<PlannedRun> roles) {
        this.sweepName = sweepName;
        this.sweep = sweep;
        this.cm = cm;
        this.roles = roles;
        Map<String, PlannedRun> distinct = new LinkedHashMap<>();
        roles.forEach(r -> distinct.putIfAbsent(r.id(), r));
        this.runs = List.copyOf(distinct.values());
    }

    /**
     * Expands and validates a sweep.
     * @param cm The configuration manager holding the sweep, its trainer, loss scales and data sources;
     *           the runs' trainers are added to it.
     * @param sweepName The sweep's component name.
     * @return The plan.
     * @throws SweepException If the sweep or any expanded run is invalid; the message names the field and value.
     */
    public static SweepPlan expand(ConfigurationManager cm, String sweepName) {
        ConfigurationData sweepData = cm.getConfigurationData(sweepName).orElseThrow(() -> new SweepException(
                "no component named '" + sweepName + "' in the config; components: " + new java.util.TreeSet<>(cm.getComponentNames())));
        if (!sweepData.getClassName().equals(Sweep.class.getName())) {
            throw new SweepException("component '" + sweepName + "' is a " + sweepData.getClassName() + ", not a " + Sweep.class.getName());
        }
        Sweep sweep;
        try {
            sweep = (Sweep) cm.lookup(sweepName);
        } catch (PropertyException e) {
            throw new SweepException("invalid sweep '" + sweepName + "': " + e.getMessage(), e);
        }
        ConfigurationData base = component(cm, sweep.getTrainer(), "trainer", Trainer.class);
        Class<?> trainerClass = classOf(base.getClassName());
        Map<String, List<String>> axes = sweep.declaredAxes();
        for (String field : axes.keySet()) {
            if (!hasConfigField(trainerClass, field)) {
                throw new SweepException("sweep '" + sweepName + "': axis " + field + " is not a @Config field of trainer '"
                        + sweep.getTrainer() + "' (" + trainerClass.getSimpleName() + ")");
            }
        }
        for (String field : new String[]{"seed", "lossScale", "learningRate"}) {
            if (!hasConfigField(trainerClass, field)) {
                throw new SweepException("sweep '" + sweepName + "': trainer '" + sweep.getTrainer() + "' (" + trainerClass.getSimpleName()
                        + ") has no @Config field " + field + "; a sweep varies a trainer with seed, lossScale and learningRate fields");
            }
        }
        Map<String, String> baseConfig = configuration(cm, sweep.getTrainer(), sweepName);
        List<String> scales = axes.containsKey("lossScale") ? axes.get("lossScale")
                : List.of(base.get("lossScale").map(Property::toString).orElseThrow(() -> new SweepException("sweep '" + sweepName
                        + "' has no lossScale axis and trainer '" + sweep.getTrainer() + "' names no lossScale component")));
        String baselineScale = baselineScale(cm, sweep, sweepName, scales);
        Map<String, Double> rgScales = new LinkedHashMap<>();
        for (String s : scales) {
            component(cm, s, "lossScale", LossScale.class);
            LossScale scale = lossScale(cm, s, sweepName, "lossScale");
            if (!isOne(scale)) {
                if (!scale.isStationary()) {
                    throw new SweepException("sweep '" + sweepName + "': lossScale '" + s + "' (" + scale.describe()
                            + ") is a schedule whose mean factor depends on the run's length, so the lr-matched "
                            + "baseline (learningRate x E[u]) is undefined; use a random scale (e.g. UniformLossScale)");
                }
                rgScales.put(s, scale.expectedValue());
            }
        }
        component(cm, sweep.getTrainSource(), "trainSource", org.tribuo.DataSource.class);
        component(cm, sweep.getTestSource(), "testSource", org.tribuo.DataSource.class);
        String dataKey = dataKey(cm, sweep);

        List<PlannedRun> roles = new ArrayList<>();
        for (Map<String, String> point : gridPoints(axes)) {
            String lrText = point.getOrDefault("learningRate", baseConfig.get("learningRate"));
            double lr;
            try {
                lr = Double.parseDouble(lrText);
            } catch (NumberFormatException | NullPointerException e) {
                throw new SweepException("sweep '" + sweepName + "': learningRate value '" + lrText + "' is not a number");
            }
            List<String[]> arms = new ArrayList<>();
            arms.add(new String[]{PlannedRun.BASELINE, "", baselineScale, null});
            for (Map.Entry<String, Double> s : rgScales.entrySet()) {
                arms.add(new String[]{PlannedRun.RG, s.getKey(), s.getKey(), null});
                arms.add(new String[]{PlannedRun.LR_MATCHED, s.getKey(), baselineScale, Double.toString(lr * s.getValue())});
            }
            for (String[] arm : arms) {
                for (long seed : sweep.getSeeds()) {
                    Map<String, String> overrides = new LinkedHashMap<>(point);
                    overrides.put("lossScale", arm[2]);
                    if (arm[3] != null) {
                        overrides.put("learningRate", arm[3]);
                    }
                    overrides.put("seed", Long.toString(seed));
                    if (sweep.getEpochs() > 0) {
                        overrides.put("epochs", Integer.toString(sweep.getEpochs()));
                    }
                    PlannedRun run = addRun(cm, sweepName, base, arm[0], arm[1], point, overrides, seed, dataKey);
                    roles.add(run);
                }
            }
        }
        return new SweepPlan(sweepName, sweep, cm, Collections.unmodifiableList(roles));
    }

    private static PlannedRun addRun(ConfigurationManager cm, String sweepName, ConfigurationData base, String arm, String rgScale,
                                     Map<String, String> point, Map<String, String> overrides, long seed, String dataKey) {
        Map<String, Property> properties = new LinkedHashMap<>(base.getProperties());
        overrides.forEach((k, v) -> properties.put(k, new SimpleProperty(v)));
        String provisional = "sweep-run-" + Integer.toHexString(properties.hashCode()) + "-" + cm.getComponentNames().size();
        cm.addConfiguration(new ConfigurationData(provisional, base.getClassName(), properties));
        Map<String, String> config = configuration(cm, provisional, sweepName + "' run '" + arm + " " + overrides);
        String id = sha256(new TreeMap<>(config) + "\n" + dataKey);
        String component = "sweep-run-" + id;
        if (!cm.containsConfigurable(component)) {
            cm.addConfiguration(new ConfigurationData(component, base.getClassName(), properties));
        }
        cm.removeConfigurable(provisional);
        // Named by what it trains with, so a run that two arms share (the lr-matched baseline at lr
        // is the baseline at lr x E[u] when that is on the grid) has one directory.
        StringBuilder dir = new StringBuilder();
        overrides.forEach((k, v) -> {
            if (!k.equals("epochs")) {
                dir.append(k).append('=').append(v).append("__");
            }
        });
        dir.append(id, 0, 8);
        return new PlannedRun(id, arm, rgScale, Map.copyOf(point), Collections.unmodifiableMap(overrides), seed, component,
                dir.toString().replaceAll("[^A-Za-z0-9._=-]", "_"));
    }

    /** The trainer's configured provenance, flattened: this instantiates it, so OLCUT and postConfig validate every value. */
    private static Map<String, String> configuration(ConfigurationManager cm, String component, String what) {
        Trainer<?> trainer = (Trainer<?>) lookup(cm, component, what, null, null);
        return ProvenanceFacts.configurationOf(trainer.getProvenance());
    }

    private static Configurable lookup(ConfigurationManager cm, String component, String what, String field, String value) {
        try {
            return cm.lookup(component);
        } catch (PropertyException e) {
            throw new SweepException("invalid sweep '" + what + "': " + e.getMessage()
                    + (field == null ? "" : " (" + field + " = " + value + ")"), e);
        } catch (RuntimeException e) {
            throw new SweepException("invalid sweep '" + what + "': " + e, e);
        }
    }

    /** Looks up a component that a loss-scale axis or field names, refusing one of another kind by name. */
    private static LossScale lossScale(ConfigurationManager cm, String component, String what, String field) {
        Configurable c = lookup(cm, component, what, field, component);
        if (!(c instanceof LossScale)) {
            throw new SweepException("invalid sweep '" + what + "': " + field + " names '" + component + "', a "
                    + c.getClass().getSimpleName() + ", but it must name a LossScale component (e.g. rg-uniform)");
        }
        return (LossScale) c;
    }

    private static boolean isOne(LossScale scale) {
        return scale instanceof ConstantLossScale && scale.expectedValue() == 1.0;
    }

    private static String baselineScale(ConfigurationManager cm, Sweep sweep, String sweepName, List<String> scales) {
        if (!sweep.getBaselineLossScale().isEmpty()) {
            String name = sweep.getBaselineLossScale();
            component(cm, name, "baselineLossScale", LossScale.class);
            if (!isOne(lossScale(cm, name, sweepName, "baselineLossScale"))) {
                throw new SweepException("sweep '" + sweepName + "': baselineLossScale '" + name + "' is not a ConstantLossScale of 1");
            }
            return name;
        }
        for (String s : scales) {
            if (cm.containsConfigurable(s) && isOne(lossScale(cm, s, sweepName, "lossScale"))) {
                return s;
            }
        }
        String name = "sweep-baseline-loss-scale";
        if (!cm.containsConfigurable(name)) {
            cm.addConfiguration(new ConfigurationData(name, ConstantLossScale.class.getName(), Map.of("value", new SimpleProperty("1.0"))));
        }
        return name;
    }

    /** The cartesian product of the axes other than lossScale, the first axis varying slowest. */
    private static List<Map<String, String>> gridPoints(Map<String, List<String>> axes) {
        List<Map<String, String>> points = new ArrayList<>();
        points.add(new LinkedHashMap<>());
        for (Map.Entry<String, List<String>> axis : axes.entrySet()) {
            if (axis.getKey().equals("lossScale")) {
                continue;
            }
            List<Map<String, String>> next = new ArrayList<>();
            for (Map<String, String> p : points) {
                for (String v : axis.getValue()) {
                    Map<String, String> q = new LinkedHashMap<>(p);
                    q.put(axis.getKey(), v.trim());
                    next.add(q);
                }
            }
            points = next;
        }
        return points;
    }

    /** What defines the data a run trains and is evaluated on: the sources' configurations and the validation split. */
    private static String dataKey(ConfigurationManager cm, Sweep sweep) {
        StringBuilder sb = new StringBuilder();
        for (String source : new String[]{sweep.getTrainSource(), sweep.getTestSource()}) {
            ConfigurationData d = cm.getConfigurationData(source).orElseThrow();
            sb.append(d.getClassName()).append(new TreeMap<>(d.getProperties())).append('\n');
        }
        return sb.append("validationFraction=").append(sweep.getValidationFraction())
                .append(" validationSeed=").append(sweep.getValidationSeed()).toString();
    }

    private static ConfigurationData component(ConfigurationManager cm, String name, String field, Class<?> type) {
        ConfigurationData d = cm.getConfigurationData(name).orElseThrow(() -> new SweepException(
                "sweep field " + field + " names component '" + name + "', but the config has no such component"));
        if (!type.isAssignableFrom(classOf(d.getClassName()))) {
            throw new SweepException("sweep field " + field + " names component '" + name + "', a " + d.getClassName()
                    + ", not a " + type.getSimpleName());
        }
        return d;
    }

    private static Class<?> classOf(String name) {
        try {
            return Class.forName(name);
        } catch (ClassNotFoundException | LinkageError e) {
            throw new SweepException("class " + name + " is not on the classpath (" + e + ")", e);
        }
    }

    private static boolean hasConfigField(Class<?> type, String field) {
        for (Class<?> c = type; c != null; c = c.getSuperclass()) {
            for (Field f : c.getDeclaredFields()) {
                if (f.getName().equals(field) && f.isAnnotationPresent(Config.class)) {
                    return true;
                }
            }
        }
        return false;
    }

    private static String sha256(String text) {
        return RunFiles.sha256(text.getBytes(StandardCharsets.UTF_8));
    }

    /** @return The sweep's component name. */
    public String sweepName() {
        return sweepName;
    }

    /** @return The sweep declaration. */
    public Sweep sweep() {
        return sweep;
    }

    /**
     * The distinct runs to train, grid point by grid point, arm by arm, seed by seed. A configuration
     * that two arms share (e.g. the lr-matched baseline at 0.1 × 0.5 and the baseline at 0.05) is one run.
     * @return The runs, first role of each.
     */
    public List<PlannedRun> runs() {
        return runs;
    }

    /**
     * Every (arm, grid point, seed) of the sweep, including those that share a run with another arm.
     * @return The roles, in plan order.
     */
    public List<PlannedRun> roles() {
        return roles;
    }

    /**
     * The run with an identity.
     * @param id The identity.
     * @return The run.
     * @throws SweepException If the plan has no such run.
     */
    public PlannedRun run(String id) {
        return runs.stream().filter(r -> r.id().equals(id)).findFirst().orElseThrow(() ->
                new SweepException("sweep '" + sweepName + "' has no run " + id + " (was the sweep file edited?)"));
    }

    /**
     * A fresh trainer for a run (OLCUT caches instances, so every run's component is looked up once per JVM).
     * @param run The run.
     * @return Its trainer.
     */
    @SuppressWarnings("unchecked")
    public Trainer<org.tribuo.classification.Label> trainer(PlannedRun run) {
        return (Trainer<org.tribuo.classification.Label>) cm.lookup(run.component());
    }

    /**
     * The configuration manager, holding the sweep's components and every run's trainer.
     * @return The configuration manager.
     */
    public ConfigurationManager configurationManager() {
        return cm;
    }
}

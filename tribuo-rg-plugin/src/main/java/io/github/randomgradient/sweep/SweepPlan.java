package io.github.randomgradient.sweep;

import io.github.randomgradient.config.Digests;
import io.github.randomgradient.data.DataLoading;

import com.oracle.labs.mlrg.olcut.config.Config;
import com.oracle.labs.mlrg.olcut.config.Configurable;
import com.oracle.labs.mlrg.olcut.config.ConfigurationData;
import com.oracle.labs.mlrg.olcut.config.ConfigurationManager;
import com.oracle.labs.mlrg.olcut.config.PropertyException;
import com.oracle.labs.mlrg.olcut.config.property.Property;
import com.oracle.labs.mlrg.olcut.config.property.SimpleProperty;
import com.oracle.labs.mlrg.olcut.provenance.ConfiguredObjectProvenance;
import io.github.randomgradient.run.ProvenanceFacts;
import io.github.randomgradient.run.RunFiles;
import io.github.randomgradient.rg.ConstantLossScale;
import io.github.randomgradient.rg.LossScale;
import io.github.randomgradient.rg.UniformLossScale;
import org.tribuo.Trainer;

import java.lang.reflect.Field;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * A {@link Sweep} expanded into runs, each a full trainer configuration built with OLCUT's own
 * machinery: the base trainer's {@link ConfigurationData} is copied under a new component name with
 * the run's fields overridden and added to the configuration manager, so OLCUT converts and
 * validates every value ({@code postConfig}) exactly as for a hand-written trainer.
 * <p>
 * Expansion: for every point of the grid (the product of the declared axes other than
 * {@code lossScale}, in {@link Sweep#AXES} order), the baseline (loss scale 1), and for every loss
 * scale \( s \) of the {@code lossScale} axis that is not the constant 1 the RG arm (loss scale
 * \( s \)) and its control, each for every seed: the lr-matched arm (loss scale 1, learning rate
 * \( lr \times E_s[u] \)) for an SGD-family optimiser, the mean-preserving arm (\( s / E_s[u] \) at
 * \( lr \)) for an adaptive one. Every run is instantiated while planning, so a bad value fails before
 * anything trains; so does an axis that lists one value twice once converted (e.g. {@code 0.05} and
 * {@code 5e-2}). Runs are named by {@link #runDirName}, a function of their configuration.
 */
public final class SweepPlan implements RunPlan {

    private final String sweepName;
    private final Sweep sweep;
    private final ConfigurationManager cm;
    private final List<PlannedRun> roles;
    private final List<PlannedRun> runs;
    private final List<String> notes;
    private final String dataKey;
    private final Map<String, String> identityExtras;
    private final List<PlannedRun> confirmRoles;
    private final List<PlannedRun> confirmRuns;
    private final long[] plannedConfirmSeeds;
    private final Map<String, List<String>> extension;

    private SweepPlan(String sweepName, Sweep sweep, ConfigurationManager cm, List<PlannedRun> roles, List<String> notes, String dataKey,
                      Map<String, String> identityExtras, List<PlannedRun> confirmRoles, long[] plannedConfirmSeeds,
                      Map<String, List<String>> extension) {
        this.plannedConfirmSeeds = plannedConfirmSeeds.clone();
        this.extension = extension;
        this.identityExtras = Map.copyOf(identityExtras);
        this.sweepName = sweepName;
        this.notes = notes;
        this.sweep = sweep;
        this.cm = cm;
        this.roles = roles;
        this.dataKey = dataKey;
        this.runs = distinct(roles);
        this.confirmRoles = confirmRoles;
        this.confirmRuns = distinct(confirmRoles);
    }

    private static List<PlannedRun> distinct(List<PlannedRun> roles) {
        Map<String, PlannedRun> distinct = new LinkedHashMap<>();
        roles.forEach(r -> distinct.putIfAbsent(r.id(), r));
        return List.copyOf(distinct.values());
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
        return expand(cm, sweepName, Map.of());
    }

    /**
     * Expands and validates a sweep whose run identities hold further inputs.
     * @param cm The configuration manager holding the sweep, its trainer, loss scales and data sources;
     *           the runs' trainers are added to it.
     * @param sweepName The sweep's component name.
     * @param identityExtras Further inputs of every run's identity ({@link PlannedRun#identity}), e.g. the
     *                       machine's numeric environment; empty for none.
     * @return The plan.
     * @throws SweepException If the sweep or any expanded run is invalid; the message names the field and value.
     */
    public static SweepPlan expand(ConfigurationManager cm, String sweepName, Map<String, String> identityExtras) {
        return expand(cm, sweepName, identityExtras, Map.of());
    }

    /**
     * The plan with its grid extended ({@code sweep --extend}): the values are added to their axes (each axis
     * then sorted by value), and the new grid points planned as every other, so the runs already planned keep
     * their identities (a run's identity is its configuration, never its place in the grid) and only the
     * new points' runs are new. The confirm stage, if planned, is not kept: plan it again on the extended grid.
     * @param added Axis name to the values to add ({@link GridExtension}), e.g. {@code learningRate -> [0.2]};
     *              empty for the sweep's own grid.
     * @return The extended plan.
     * @throws SweepException If an axis is not one the sweep declares, or a value is invalid for the trainer.
     */
    public SweepPlan withExtension(Map<String, List<String>> added) {
        return expand(cm, sweepName, identityExtras, added);
    }

    /** @return The values a grid extension added to each axis, empty for the sweep's own grid. */
    public Map<String, List<String>> extension() {
        return extension;
    }

    private static SweepPlan expand(ConfigurationManager cm, String sweepName, Map<String, String> identityExtras,
                                    Map<String, List<String>> added) {
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
        for (Map.Entry<String, List<String>> e : added.entrySet()) {
            List<String> values = axes.get(e.getKey());
            if (values == null || e.getKey().equals("lossScale")) {
                throw new SweepException("sweep '" + sweepName + "': the grid extension adds " + e.getValue() + " to axis " + e.getKey()
                        + ", which the sweep does not declare as a numeric axis");
            }
            List<String> merged = new ArrayList<>(values);
            e.getValue().stream().filter(v -> !merged.contains(v)).forEach(merged::add);
            try {
                merged.sort(java.util.Comparator.comparingDouble(v -> Double.parseDouble(v.trim())));
            } catch (NumberFormatException ex) {
                throw new SweepException("sweep '" + sweepName + "': axis " + e.getKey() + " holds a value that is not a number ("
                        + ex.getMessage() + "), so it cannot be extended");
            }
            axes.put(e.getKey(), merged);
        }
        // A trainer that evaluates its held-out data during training gets the sweep's evaluationsPerEpoch.
        boolean evaluates = sweep.getEvaluationsPerEpoch() > 0 && hasConfigField(trainerClass, "evaluationsPerEpoch");
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
        Map<String, LossScale> rgScales = new LinkedHashMap<>();
        Map<Map<String, String>, String> configuredScales = new HashMap<>();
        for (String s : scales) {
            component(cm, s, "lossScale", LossScale.class);
            LossScale scale = lossScale(cm, s, sweepName, "lossScale");
            String twin = configuredScales.putIfAbsent(ProvenanceFacts.configurationOf(scale.getProvenance()), s);
            if (twin != null) {
                throw new SweepException("sweep '" + sweepName + "': axis lossScale lists '" + twin + "' and '" + s + "', which are the "
                        + "same loss scale (" + scale.describe() + ") once configured, so they would train the same runs: list each "
                        + "loss scale once");
            }
            if (!isOne(scale)) {
                if (!scale.isStationary()) {
                    throw new SweepException("sweep '" + sweepName + "': lossScale '" + s + "' (" + scale.describe()
                            + ") is a schedule whose mean factor depends on the run's length, so no control can be derived "
                            + "from it: neither the lr-matched baseline (SGD family: learningRate x E[u]) nor mean-preserving RG "
                            + "(adaptive optimisers: the scale divided by E[u]); use a random scale (e.g. UniformLossScale)");
                }
                rgScales.put(s, scale);
            }
        }
        component(cm, sweep.getTrainSource(), "trainSource", org.tribuo.DataSource.class);
        component(cm, sweep.getTestSource(), "testSource", org.tribuo.DataSource.class);
        String dataKey = dataKey(cm, sweep);

        long[] seeds = sweep.getSeeds();
        List<PlannedRun> roles = new ArrayList<>();
        Set<String> notes = new LinkedHashSet<>();
        // Per axis: each value as the trainer converted it -> the value as written, to find values that repeat once converted.
        Map<String, Map<String, String>> converted = new LinkedHashMap<>();
        for (Map<String, String> written : gridPoints(axes)) {
            String lrText = written.getOrDefault("learningRate", baseConfig.get("learningRate"));
            try {
                Double.parseDouble(lrText);
            } catch (NumberFormatException | NullPointerException e) {
                throw new SweepException("sweep '" + sweepName + "': learningRate value '" + lrText + "' is not a number");
            }
            // The grid point as the trainer converts it (OLCUT parses every value; postConfig validates it).
            Configured referenceRun = configure(cm, sweepName, base, overrides(written, baselineScale, null, seeds[0], sweep, evaluates),
                    PlannedRun.BASELINE, dataKey, identityExtras);
            Map<String, String> reference = referenceRun.config();
            Map<String, String> point = new LinkedHashMap<>();
            for (Map.Entry<String, String> axis : written.entrySet()) {
                String canonical = fieldValue(reference, axis.getKey()).orElse(axis.getValue());
                String twin = converted.computeIfAbsent(axis.getKey(), k -> new LinkedHashMap<>()).putIfAbsent(canonical, axis.getValue());
                if (twin != null && !twin.equals(axis.getValue())) {
                    throw new SweepException("sweep '" + sweepName + "': axis " + axis.getKey() + " lists '" + twin + "' and '"
                            + axis.getValue() + "', which are the same value (" + canonical + ") once converted to trainer '"
                            + sweep.getTrainer() + "''s " + axis.getKey() + " field, so they would train the same runs: list each value once");
                }
                point.put(axis.getKey(), canonical);
            }
            double lr = Double.parseDouble(reference.get("learningRate"));
            boolean adaptive = ProvenanceFacts.isAdaptive(referenceRun.provenance());
            List<String[]> arms = new ArrayList<>();
            arms.add(new String[]{PlannedRun.BASELINE, "", baselineScale, null});
            for (Map.Entry<String, LossScale> s : rgScales.entrySet()) {
                arms.add(new String[]{PlannedRun.RG, s.getKey(), s.getKey(), null});
                if (adaptive) {
                    String control = meanPreservingScale(cm, sweepName, s.getKey(), s.getValue(), baselineScale);
                    arms.add(new String[]{PlannedRun.MEAN_PRESERVING, s.getKey(), control, null});
                    notes.add("optimiser " + ProvenanceFacts.optimiserOf(referenceRun.provenance()).orElse("?") + " is adaptive: a constant loss "
                            + "scale cancels in its update (apart from epsilon), so the control for " + s.getKey() + " ("
                            + s.getValue().describe() + ") is mean-preserving RG (" + lossScale(cm, control, sweepName, "lossScale").describe()
                            + ", E[u] = 1) at the same learning rate, not the lr-matched baseline (lr x E[u])");
                } else {
                    arms.add(new String[]{PlannedRun.LR_MATCHED, s.getKey(), baselineScale,
                            Double.toString(lr * s.getValue().expectedValue())});
                }
            }
            for (String[] arm : arms) {
                for (long seed : seeds) {
                    Map<String, String> overrides = overrides(point, arm[2], arm[3], seed, sweep, evaluates);
                    Configured run = configure(cm, sweepName, base, overrides, arm[0], dataKey, identityExtras);
                    LossScale scale = lossScale(cm, arm[2], sweepName, "lossScale");
                    roles.add(new PlannedRun(run.id(), arm[0], arm[1], Map.copyOf(point), Collections.unmodifiableMap(overrides), seed,
                            run.component(), runDirName(run.config(), scale, run.id(),
                            ProvenanceFacts.optimiserComponent(run.provenance()).map(o -> o.name()).orElse(null))));
                }
            }
        }
        checkDirNames(roles);
        Map<String, List<String>> extension = new LinkedHashMap<>();
        added.forEach((k, v) -> extension.put(k, List.copyOf(v)));
        return new SweepPlan(sweepName, sweep, cm, Collections.unmodifiableList(roles), List.copyOf(notes), dataKey, identityExtras, List.of(),
                sweep.getConfirmSeeds(), Collections.unmodifiableMap(extension));
    }

    private static void checkDirNames(List<PlannedRun> roles) {
        Map<String, String> names = new HashMap<>();
        for (PlannedRun r : roles) {
            String other = names.putIfAbsent(r.dirName(), r.id());
            if (other != null && !other.equals(r.id())) {
                throw new IllegalStateException("runs " + other + " and " + r.id() + " got the same directory name " + r.dirName());
            }
        }
    }

    /**
     * The plan with its confirm stage: every chosen cell run again with each of the sweep's confirm
     * seeds ({@link Sweep#getConfirmSeeds()}). A confirm role is the tuning role of its cell with the
     * seed replaced, configured and identified as every run is (so a confirm run is an ordinary run,
     * with its own content-addressed identity and directory); a configuration two arms share (the
     * lr-matched cell that is the baseline's cell) is one run, as in the tuning stage.
     * @param cells Each arm's chosen cell, in the order the roles are wanted.
     * @return A plan whose {@link #roles()} and {@link #runs()} are this plan's (the tuning stage) and
     *         whose {@link #confirmRoles()} and {@link #confirmRuns()} hold the confirm stage.
     * @throws SweepException If the sweep has no confirm seeds, or a cell is not a cell of this plan
     *                        (the sweep was edited since the cells were chosen).
     */
    public SweepPlan withConfirmStage(List<ConfirmCell> cells) {
        return withConfirmStage(cells, sweep.getConfirmSeeds());
    }

    /**
     * The confirm stage's seeds: those {@link #withConfirmStage(List, long[])} planned, else the sweep's
     * ({@link Sweep#getConfirmSeeds()}: with {@code autoConfirmSeeds}, every candidate up to {@code maxConfirmSeeds}).
     * @return The seeds.
     */
    public long[] confirmSeeds() {
        return plannedConfirmSeeds.clone();
    }

    /**
     * The plan with its confirm stage run with the given seeds, e.g. the first of the sweep's confirm seeds that
     * {@code autoConfirmSeeds} chose ({@link Sweep#confirmSeeds(int)}).
     * @param cells Each arm's chosen cell.
     * @param confirmSeeds The seeds, a prefix of {@link Sweep#getConfirmSeeds()}.
     * @return The plan with its confirm stage.
     * @throws SweepException As {@link #withConfirmStage(List)}, or if a seed is not one of the sweep's confirm seeds.
     */
    public SweepPlan withConfirmStage(List<ConfirmCell> cells, long[] confirmSeeds) {
        java.util.Set<Long> allowed = java.util.Arrays.stream(sweep.getConfirmSeeds()).boxed().collect(java.util.stream.Collectors.toSet());
        for (long seed : confirmSeeds) {
            if (!allowed.contains(seed)) {
                throw new SweepException("sweep '" + sweepName + "': confirm seed " + seed + " is not one of its confirm seeds");
            }
        }
        if (!sweep.hasConfirmStage()) {
            throw new SweepException("sweep '" + sweepName + "' has no confirm stage: set confirmSeeds or confirmSeedCount");
        }
        ConfigurationData base = cm.getConfigurationData(sweep.getTrainer()).orElseThrow();
        List<PlannedRun> confirm = new ArrayList<>();
        for (ConfirmCell cell : cells) {
            PlannedRun template = roles.stream().filter(cell::holds).findFirst().orElseThrow(() -> new SweepException("sweep '"
                    + sweepName + "' has no cell " + cell + " to confirm (was the sweep file edited while it ran? rerun the sweep)"));
            for (long seed : confirmSeeds) {
                Map<String, String> overrides = new LinkedHashMap<>(template.overrides());
                overrides.put("seed", Long.toString(seed));
                Configured run = configure(cm, sweepName, base, overrides, template.arm(), dataKey, identityExtras);
                LossScale scale = lossScale(cm, overrides.get("lossScale"), sweepName, "lossScale");
                confirm.add(new PlannedRun(run.id(), template.arm(), template.rgScale(), template.grid(),
                        Collections.unmodifiableMap(overrides), seed, run.component(), runDirName(run.config(), scale, run.id(),
                        ProvenanceFacts.optimiserComponent(run.provenance()).map(o -> o.name()).orElse(null))));
            }
        }
        List<PlannedRun> all = new ArrayList<>(roles);
        all.addAll(confirm);
        checkDirNames(all);
        return new SweepPlan(sweepName, sweep, cm, roles, notes, dataKey, identityExtras, Collections.unmodifiableList(confirm), confirmSeeds,
                extension);
    }

    /**
     * The trainer fields a run sets: the grid point, its loss scale, its learning rate if not the grid's, seed, epochs and
     * (for a trainer with the field) evaluations per epoch.
     */
    private static Map<String, String> overrides(Map<String, String> point, String lossScale, String learningRate, long seed, Sweep sweep,
                                                 boolean evaluates) {
        Map<String, String> overrides = new LinkedHashMap<>(point);
        overrides.put("lossScale", lossScale);
        if (learningRate != null) {
            overrides.put("learningRate", learningRate);
        }
        overrides.put("seed", Long.toString(seed));
        if (sweep.getEpochs() > 0) {
            overrides.put("epochs", Integer.toString(sweep.getEpochs()));
        }
        if (evaluates) {
            overrides.put("evaluationsPerEpoch", Integer.toString(sweep.getEvaluationsPerEpoch()));
        }
        return overrides;
    }

    /**
     * A run's trainer configuration: its identity, its component in the configuration manager, its
     * flattened configuration and its configured provenance.
     */
    private record Configured(String id, String component, Map<String, String> config, ConfiguredObjectProvenance provenance) {}

    private static Configured configure(ConfigurationManager cm, String sweepName, ConfigurationData base, Map<String, String> overrides,
                                        String arm, String dataKey, Map<String, String> identityExtras) {
        Map<String, Property> properties = new LinkedHashMap<>(base.getProperties());
        Map<String, Map<String, String>> nested = new TreeMap<>();
        overrides.forEach((k, v) -> {
            Optional<String> holder = nestedHolder(cm, base, k);
            if (holder.isPresent()) {
                nested.computeIfAbsent(holder.get(), h -> new TreeMap<>()).put(k, v);
            } else {
                properties.put(k, new SimpleProperty(v));
            }
        });
        nested.forEach((field, values) -> properties.put(field, new SimpleProperty(nestedCopy(cm, properties.get(field).toString(), values))));
        String provisional = "sweep-run-" + Integer.toHexString(properties.hashCode()) + "-" + cm.getComponentNames().size();
        cm.addConfiguration(new ConfigurationData(provisional, base.getClassName(), properties));
        ConfiguredObjectProvenance provenance = provenance(cm, provisional, sweepName + "' run '" + arm + " " + overrides);
        Map<String, String> config = ProvenanceFacts.configurationOf(provenance);
        String id = PlannedRun.identity(config, dataKey, identityExtras);
        String component = "sweep-run-" + id;
        if (!cm.containsConfigurable(component)) {
            cm.addConfiguration(new ConfigurationData(component, base.getClassName(), properties));
        }
        cm.removeConfigurable(provisional);
        return new Configured(id, component, config, provenance);
    }

    /** The axes that may go into a component the trainer names (its optimiser) rather than onto the trainer. */
    private static final Set<String> NESTED_AXES = Set.of("momentum");

    /**
     * Where an override of {@code field} goes: into the component that a trainer property names when
     * the trainer's config does not write {@code field} itself and exactly that component has it as a
     * {@code @Config} field (e.g. {@code momentum} into the trainer's {@code torchOptimiser}, a
     * {@code TorchSgd}), as a nested override; else onto the trainer (empty).
     * @return The trainer property naming the component to copy, if the override is nested.
     */
    private static Optional<String> nestedHolder(ConfigurationManager cm, ConfigurationData base, String field) {
        // Only the optimiser's own axes nest: the trainer's fields (epochs, batchSize, ...) stay on the trainer even where
        // a component has a field of the same name (a StepSchedule's epochs is its period, not the run's length).
        if (!NESTED_AXES.contains(field) || base.get(field).isPresent()) {
            return Optional.empty();
        }
        List<String> holders = new ArrayList<>();
        for (Map.Entry<String, Property> p : base.getProperties().entrySet()) {
            if (p.getValue() instanceof SimpleProperty) {
                Optional<ConfigurationData> target = cm.getConfigurationData(p.getValue().toString());
                if (target.isPresent() && hasConfigField(classOf(target.get().getClassName()), field)) {
                    holders.add(p.getKey());
                }
            }
        }
        return holders.size() == 1 ? Optional.of(holders.get(0)) : Optional.empty();
    }

    /**
     * A copy of component {@code name} with some fields overridden, added to the configuration manager
     * under a name derived from the original and the overrides (so equal overrides share one copy).
     * @return The copy's name.
     */
    private static String nestedCopy(ConfigurationManager cm, String name, Map<String, String> values) {
        ConfigurationData original = cm.getConfigurationData(name).orElseThrow();
        String copy = "sweep-" + name + "-" + Digests.sha256(name + "\n" + values).substring(0, 12);
        if (!cm.containsConfigurable(copy)) {
            Map<String, Property> properties = new LinkedHashMap<>(original.getProperties());
            values.forEach((k, v) -> properties.put(k, new SimpleProperty(v)));
            cm.addConfiguration(new ConfigurationData(copy, original.getClassName(), properties));
        }
        return copy;
    }

    /**
     * A configured value by field name: the trainer's own field, else the field of a component one
     * level down (e.g. {@code momentum} of {@code torchOptimiser.momentum}) when exactly one has it.
     * @param config A trainer's flattened configuration.
     * @param field The field.
     * @return The value, if recorded.
     */
    static Optional<String> fieldValue(Map<String, String> config, String field) {
        if (config.containsKey(field)) {
            return Optional.of(config.get(field));
        }
        List<String> found = new ArrayList<>();
        for (Map.Entry<String, String> e : config.entrySet()) {
            String k = e.getKey();
            int dot = k.indexOf('.');
            if (dot > 0 && k.indexOf('.', dot + 1) < 0 && k.substring(dot + 1).equals(field)) {
                found.add(e.getValue());
            }
        }
        return found.size() == 1 ? Optional.of(found.get(0)) : Optional.empty();
    }

    /** The fields a run directory is named by, in this order, where the trainer has them (seed always last). */
    static final List<String> NAME_FIELDS = List.of("learningRate", "momentum", "batchSize", "optimiser", "lossScale", "seed");

    /** Characters a run directory name keeps; runs of any other are written as one '_'. */
    private static final java.util.regex.Pattern UNSAFE = java.util.regex.Pattern.compile("[^A-Za-z0-9.+-]+");

    /** Hex digits of the identity at the end of a run directory's name. */
    static final int NAME_ID_DIGITS = 12;

    /**
     * A run directory's name, e.g. {@code learningRate=0.05__momentum=0.9__batchSize=64__optimiser=SGD__lossScale=U_0.0_1.0__seed=1__4aba57452c1e}.
     * <p>
     * It is built from the run's configuration as the trainer converted it, never from the values as
     * written in the sweep, and always from the same fields ({@link #NAME_FIELDS}, those the trainer
     * has; the loss scale by its {@link LossScale#describe()}), whichever axes the sweep declares. So a
     * run has one name: "0.05" and "5e-2", an lr-matched 0.1 × 0.75 = 0.07500000000000001 and a grid's
     * 0.075 (a float field), or an axis {@code batchSize = [64]} added over a base trainer of 64 all name
     * the run they train. The name ends with the first {@value #NAME_ID_DIGITS} hex digits of the
     * identity, and its readable part is shortened with {@link RunFiles#boundedName(String, int)} so the
     * whole name stays within {@value RunFiles#MAX_NAME_BYTES} bytes of UTF-8, leaving room for the
     * hidden attempt directory's prefix and suffix ({@link RunExecutor#attemptDir}).
     * @param config The run's flattened configuration.
     * @param lossScale The run's loss scale.
     * @param id The run's identity.
     * @return The name.
     */
    static String runDirName(Map<String, String> config, LossScale lossScale, String id) {
        return runDirName(config, lossScale, id, null);
    }

    /**
     * A run directory's name, as {@link #runDirName(Map, LossScale, String)}, with the optimiser named
     * by the trainer's recorded optimiser component (e.g. {@code SGD} for a {@code TorchSgd}), so a run
     * configured with the optimiser component and one configured with the flat {@code optimiser} field
     * read alike; a field of a component one level down (e.g. {@code torchOptimiser.momentum}) names
     * the run as the trainer's own field did.
     * @param optimiser The recorded optimiser component's name, or null if the trainer records none.
     */
    static String runDirName(Map<String, String> config, LossScale lossScale, String id, String optimiser) {
        StringBuilder readable = new StringBuilder();
        for (String field : NAME_FIELDS) {
            String value = field.equals("lossScale") ? lossScale.describe()
                    : field.equals("optimiser") && optimiser != null ? optimiser : fieldValue(config, field).orElse(null);
            if (value != null) {
                String safe = UNSAFE.matcher(value).replaceAll("_").replaceAll("^_+|_+$", "");
                readable.append(field).append('=').append(safe).append("__");
            }
        }
        String suffix = id.substring(0, NAME_ID_DIGITS);
        return RunFiles.boundedName(readable.toString(), RunFiles.MAX_NAME_BYTES - suffix.length()) + suffix;
    }

    /**
     * The control of an RG loss scale under an adaptive optimiser: the same scale with E[u] = 1, so the
     * loss gradient keeps the baseline's mean weight (against the optimiser's epsilon and a weight decay
     * that is added to the gradient) and only RG's noise differs. For a {@link UniformLossScale} it is a
     * component the plan adds, {@code sweep-mean-preserving-<name>} (same low, high and apply probability,
     * {@code meanPreserving = true}); a mean-preserving scale is its own control; for a
     * {@link ConstantLossScale} c it is c / c = 1, the baseline's loss scale.
     * @throws SweepException For another kind of loss scale, whose mean-preserving form the sweep cannot build.
     */
    private static String meanPreservingScale(ConfigurationManager cm, String sweepName, String name, LossScale scale, String baselineScale) {
        if (scale instanceof ConstantLossScale) {
            return baselineScale;
        }
        if (!(scale instanceof UniformLossScale)) {
            throw new SweepException("sweep '" + sweepName + "': lossScale '" + name + "' (" + scale.describe() + ", a "
                    + scale.getClass().getSimpleName() + ") is swept with an adaptive optimiser, whose control is mean-preserving "
                    + "RG, which the sweep can build only from a UniformLossScale: use a UniformLossScale, or an SGD-family optimiser");
        }
        UniformLossScale u = (UniformLossScale) scale;
        if (u.isMeanPreserving()) {
            return name;
        }
        String control = "sweep-mean-preserving-" + name;
        if (!cm.containsConfigurable(control)) {
            Map<String, Property> properties = new LinkedHashMap<>();
            properties.put("low", new SimpleProperty(Double.toString(u.getLow())));
            properties.put("high", new SimpleProperty(Double.toString(u.getHigh())));
            properties.put("applyProbability", new SimpleProperty(Double.toString(u.getApplyProbability())));
            properties.put("meanPreserving", new SimpleProperty("true"));
            cm.addConfiguration(new ConfigurationData(control, UniformLossScale.class.getName(), properties));
        }
        LossScale built = lossScale(cm, control, sweepName, "lossScale");
        if (!(built instanceof UniformLossScale) || !((UniformLossScale) built).isMeanPreserving()
                || ((UniformLossScale) built).getLow() != u.getLow() || ((UniformLossScale) built).getHigh() != u.getHigh()) {
            throw new SweepException("sweep '" + sweepName + "': the config has a component named '" + control + "' that is not the "
                    + "mean-preserving form of '" + name + "'; rename it (the sweep names its adaptive-optimiser controls so)");
        }
        return control;
    }

    /** The trainer's configured provenance, flattened: this instantiates it, so OLCUT and postConfig validate every value. */
    private static Map<String, String> configuration(ConfigurationManager cm, String component, String what) {
        return ProvenanceFacts.configurationOf(provenance(cm, component, what));
    }

    /** The trainer's provenance: this instantiates it, so OLCUT and postConfig validate every value. */
    private static ConfiguredObjectProvenance provenance(ConfigurationManager cm, String component, String what) {
        Trainer<?> trainer = (Trainer<?>) lookup(cm, component, what, null, null);
        return trainer.getProvenance();
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
            // Both IDX sources read the same examples and training floats from the same files: one identity.
            String type = DataLoading.isIdxSource(d.getClassName()) ? "org.tribuo.datasource.IDXDataSource" : d.getClassName();
            sb.append(type).append(new TreeMap<>(d.getProperties())).append('\n');
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

    static boolean hasConfigField(Class<?> type, String field) {
        for (Class<?> c = type; c != null; c = c.getSuperclass()) {
            for (Field f : c.getDeclaredFields()) {
                if (f.getName().equals(field) && f.isAnnotationPresent(Config.class)) {
                    return true;
                }
            }
        }
        return false;
    }


    /**
     * What the plan chose for the user that the plan output and the report must say, e.g. that an
     * adaptive optimiser's control is mean-preserving RG instead of the lr-matched baseline.
     * @return One sentence per note, empty if none.
     */
    public List<String> notes() {
        return notes;
    }

    /** @return The sweep's component name. */
    public String sweepName() {
        return sweepName;
    }

    /** {@inheritDoc} */
    @Override
    public String kind() {
        return SWEEP;
    }

    /** {@inheritDoc} */
    @Override
    public String name() {
        return sweepName;
    }

    /** {@inheritDoc} The sweep's trainer, whatever the run. */
    @Override
    public String trainerName(PlannedRun run) {
        return sweep.getTrainer();
    }

    /** {@inheritDoc} The training data split into training and validation parts ({@link SweepData#load}). */
    @Override
    public SweepData loadData() {
        return SweepData.load(this);
    }

    /** {@inheritDoc} True: a sweep publishes a divergence under {@code FAIL} as the run's outcome. */
    @Override
    public boolean publishesDivergence() {
        return true;
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
    @Override
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
     * The run with an identity, in the tuning stage or the confirm stage.
     * @param id The identity.
     * @return The run.
     * @throws SweepException If the plan has no such run.
     */
    @Override
    public PlannedRun run(String id) {
        return find(id).orElseThrow(() -> new SweepException("sweep '" + sweepName + "' has no run " + id + " (was the sweep file edited?)"));
    }

    /**
     * The run with an identity, in the tuning stage or the confirm stage.
     * @param id The identity.
     * @return The run, if the plan holds it.
     */
    public Optional<PlannedRun> find(String id) {
        return Stream.concat(runs.stream(), confirmRuns.stream()).filter(r -> r.id().equals(id)).findFirst();
    }

    /**
     * The confirm stage's roles (arm, chosen cell, confirm seed), empty until {@link #withConfirmStage(List)}.
     * @return The roles, in cell order, seed by seed.
     */
    public List<PlannedRun> confirmRoles() {
        return confirmRoles;
    }

    /**
     * The confirm stage's distinct runs, empty until {@link #withConfirmStage(List)}.
     * @return The runs, first role of each.
     */
    public List<PlannedRun> confirmRuns() {
        return confirmRuns;
    }

    /**
     * A fresh trainer for a run (OLCUT caches instances, so every run's component is looked up once per JVM).
     * @param run The run.
     * @return Its trainer.
     */
    @SuppressWarnings("unchecked")
    @Override
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

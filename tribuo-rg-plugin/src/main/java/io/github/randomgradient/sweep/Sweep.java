package io.github.randomgradient.sweep;

import com.oracle.labs.mlrg.olcut.config.Config;
import com.oracle.labs.mlrg.olcut.config.Configurable;
import com.oracle.labs.mlrg.olcut.config.PropertyException;
import io.github.randomgradient.config.ConfigChecks;

import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.LongStream;

/**
 * A learning-rate × momentum × loss-scale grid over one base trainer, declared in an OLCUT config.
 * <p>
 * Each grid axis is named after the base trainer's own {@code @Config} field and lists the values
 * to try ({@code learningRate}, {@code momentum}, {@code lossScale} as component names,
 * {@code batchSize}, {@code optimiser}); an axis that is not given keeps the base trainer's value.
 * An axis the base trainer's config does not write itself, held as a {@code @Config} field by exactly
 * one component the trainer names, overrides that component in a copy (a nested override): with
 * {@code torchOptimiser = sgd} (a {@code TorchSgd}), the {@code momentum} axis sets the momentum of
 * a copy of {@code sgd} for each run.
 * For every Random Gradient loss scale (any loss scale other than the constant 1) the sweep also
 * runs, at the same grid point, the baseline (loss scale 1) and the lr-matched baseline (loss scale
 * 1 at {@code learningRate × E[u]}), because RG's mean step is {@code lr × E[u]} (paper, section 4).
 * At a grid point whose optimiser is adaptive (Adam and its kin) a constant loss scale cancels in the
 * update, so {@code lr × E[u]} is not RG's step: there the control is mean-preserving RG instead (the
 * same {@code UniformLossScale} with {@code meanPreserving = true}, E[u] = 1, at the same learning rate),
 * and the plan output and the report say so.
 * Every run is trained once per seed for {@code epochs} epochs on the training data minus a seeded,
 * stratified validation split ({@code validationFraction}), which the report uses to tune each arm.
 * <p>
 * With confirm seeds ({@code confirmSeeds}, or {@code confirmSeedCount} from {@code firstConfirmSeed})
 * the sweep has two stages: the grid × {@code seeds} tunes (each arm's cell chosen on the validation
 * split), then each arm's chosen cell runs again once per confirm seed, and the verdicts compare
 * those runs only, paired by seed on the test set. The confirm seeds must be disjoint from the
 * tuning seeds, so the luck that chose a cell cannot reach the comparison.
 * <p>
 * The component only holds the declaration; {@link SweepPlan} expands and validates it. All data
 * sources are component names, so planning never reads data.
 */
public final class Sweep implements Configurable {

    /** The grid axes a sweep may declare, in the order they vary in run names. */
    public static final List<String> AXES = List.of("learningRate", "momentum", "batchSize", "optimiser", "lossScale");

    @Config(mandatory = true, description = "Component name of the base trainer whose @Config fields the axes vary.")
    private String trainer;

    @Config(description = "Learning rates to try (the trainer's learningRate field).")
    private List<String> learningRate;

    @Config(description = "Momenta to try: the momentum of the trainer's optimiser component (a nested override of, e.g., "
            + "its TorchSgd) when the trainer names one, else the trainer's (deprecated flat) momentum field.")
    private List<String> momentum;

    @Config(description = "Mini-batch sizes to try (the trainer's batchSize field).")
    private List<String> batchSize;

    @Config(description = "Optimisers to try (SGD, NESTEROV, ADAM, ADAMW: the trainer's deprecated flat optimiser field; "
            + "the base trainer must then use the flat optimiser fields, not a torchOptimiser component).")
    private List<String> optimiser;

    @Config(description = "Loss-scale component names to try; every one that is not the constant 1 gets its baseline and lr-matched baseline.")
    private List<String> lossScale;

    @Config(description = "Component name of the baseline loss scale (a ConstantLossScale of 1); empty adds one.")
    private String baselineLossScale = "";

    @Config(mandatory = true, description = "Seeds of the tuning stage; every configuration of the grid runs once per seed.")
    private long[] seeds;

    @Config(description = "Seeds of the confirm stage: each arm's cell chosen on the validation split is run again once per seed, "
            + "and the verdicts come from these runs only. Disjoint from seeds. Empty (and confirmSeedCount 0): no confirm stage.")
    private long[] confirmSeeds = new long[0];

    @Config(description = "The confirm stage's seeds as a count, instead of confirmSeeds: firstConfirmSeed, firstConfirmSeed + 1, ...; 0 for none.")
    private int confirmSeedCount = 0;

    @Config(description = "The first seed of confirmSeedCount; default: one more than the largest tuning seed.")
    private long firstConfirmSeed = NO_FIRST_SEED;

    @Config(description = "Choose the confirm stage's seed count from the tuning stage: enough pairs for 80% power at the "
            + "non-inferiority margin (PowerAnalysis), capped by maxConfirmSeeds; seeds firstConfirmSeed, firstConfirmSeed + 1, ...")
    private boolean autoConfirmSeeds = false;

    @Config(description = "The most confirm seeds autoConfirmSeeds may choose (the report says when the cap binds).")
    private int maxConfirmSeeds = 40;

    @Config(description = "Extend the grid where a tuned arm's chosen cell lies on the edge of the learningRate or momentum axis: "
            + "add the next value beyond that edge (learning rate x 2 or / 2, momentum towards 1 by halving 1 - momentum), train only "
            + "the new cells, choose again, and repeat until every choice is interior or maxExtensions rounds have run. "
            + "The command-line option --extend turns it on too.")
    private boolean extendEdges = false;

    @Config(description = "The most rounds of grid extension (extendEdges); each round adds at most one value per axis edge.")
    private int maxExtensions = 2;

    @Config(description = "Epochs per run, overriding the base trainer's; 0 keeps it.")
    private int epochs = 0;

    @Config(description = "Evaluations of the validation split per epoch (the trainer's evaluationsPerEpoch, overriding it in "
            + "every run; part of each run's identity), from which the validation curves, times to target, areas and "
            + "oscillations are measured; 0 keeps the trainer's.")
    private int evaluationsPerEpoch = 4;

    @Config(description = "The validation target of 'faster convergence', as a fraction of the tuned baseline's mean final "
            + "validation accuracy in the tuning stage, in (0, 1].")
    private double targetFraction = 0.95;

    @Config(mandatory = true, description = "Component name of the training data source.")
    private String trainSource;

    @Config(mandatory = true, description = "Component name of the test data source.")
    private String testSource;

    @Config(description = "Fraction of each class of the training data held out for tuning (never the test set), in (0, 0.5].")
    private double validationFraction = 0.1;

    @Config(description = "Seed of the stratified validation split.")
    private long validationSeed = 1L;

    @Config(description = "Held-out accuracy at which a run counts as converged, for each run's epochsToTarget in report.json "
            + "only; the verdicts' target is targetFraction of the tuned baseline's validation accuracy.")
    private double targetAccuracy = 0.80;

    @Config(description = "Directory for runs/ and report/.")
    private Path outputDirectory = Paths.get("runs", "sweep");

    @Config(description = "Title of the report.")
    private String title = "Random Gradient sweep";

    /** {@link #firstConfirmSeed} when not configured. */
    private static final long NO_FIRST_SEED = Long.MIN_VALUE;

    /** The confirm stage's seeds, resolved from {@link #confirmSeeds} or the count form by {@link #postConfig()}. */
    private long[] resolvedConfirmSeeds = new long[0];

    /**
     * For OLCUT.
     */
    private Sweep() {}

    /**
     * Validates the declaration (the axes against the base trainer are checked by {@link SweepPlan}).
     * @throws PropertyException If an axis is an empty list, a seed repeats, epochs is negative,
     *                           the validation fraction is outside (0, 0.5] or the target accuracy outside [0, 1];
     *                           or if the confirm seeds repeat, overlap the tuning seeds, or are given both as a
     *                           list and as a count (or the count is negative, or overflows a long).
     */
    @Override
    public void postConfig() {
        for (Map.Entry<String, List<String>> e : declaredAxes().entrySet()) {
            if (e.getValue().isEmpty()) {
                throw new PropertyException("", e.getKey(), "axis " + e.getKey() + " lists no values: give at least one, or remove it to keep the base trainer's");
            }
            if (e.getValue().stream().distinct().count() != e.getValue().size()) {
                throw new PropertyException("", e.getKey(), "axis " + e.getKey() + " repeats a value: " + e.getValue());
            }
        }
        ConfigChecks.requireDistinctSeeds(seeds);
        resolvedConfirmSeeds = resolveConfirmSeeds();
        if (maxExtensions < 0) {
            throw new PropertyException("", "maxExtensions", "maxExtensions must be >= 0, found " + maxExtensions);
        }
        if (epochs < 0) {
            throw new PropertyException("", "epochs", "epochs must be >= 0 (0 keeps the trainer's), found " + epochs);
        }
        if (!(validationFraction > 0 && validationFraction <= 0.5)) {
            throw new PropertyException("", "validationFraction", "validationFraction must be in (0, 0.5], found " + validationFraction);
        }
        if (evaluationsPerEpoch < 0) {
            throw new PropertyException("", "evaluationsPerEpoch", "evaluationsPerEpoch must be >= 0 (0 keeps the trainer's), found "
                    + evaluationsPerEpoch);
        }
        if (!(targetFraction > 0 && targetFraction <= 1)) {
            throw new PropertyException("", "targetFraction", "targetFraction must be in (0, 1], found " + targetFraction);
        }
        if (!(targetAccuracy >= 0 && targetAccuracy <= 1)) {
            throw new PropertyException("", "targetAccuracy", "targetAccuracy must be in [0, 1], found " + targetAccuracy);
        }
    }

    /**
     * The confirm stage's seeds from {@link #confirmSeeds} or from the count form, checked to be
     * distinct and disjoint from the tuning seeds, so that no run selects a cell and also confirms it.
     */
    private long[] resolveConfirmSeeds() {
        if (confirmSeedCount < 0) {
            throw new PropertyException("", "confirmSeedCount", "confirmSeedCount must be >= 0 (0: no confirm stage), found " + confirmSeedCount);
        }
        if (confirmSeedCount > 0 && confirmSeeds.length > 0) {
            throw new PropertyException("", "confirmSeedCount", "give the confirm stage's seeds either as confirmSeeds "
                    + Arrays.toString(confirmSeeds) + " or as confirmSeedCount " + confirmSeedCount + ", not both");
        }
        if (maxConfirmSeeds < 2) {
            throw new PropertyException("", "maxConfirmSeeds", "maxConfirmSeeds must be >= 2 (a paired test needs 2 pairs), found "
                    + maxConfirmSeeds);
        }
        if (autoConfirmSeeds && (confirmSeedCount > 0 || confirmSeeds.length > 0)) {
            throw new PropertyException("", "autoConfirmSeeds", "autoConfirmSeeds chooses the confirm seed count itself: remove "
                    + (confirmSeedCount > 0 ? "confirmSeedCount " + confirmSeedCount : "confirmSeeds " + Arrays.toString(confirmSeeds))
                    + ", or set autoConfirmSeeds to false");
        }
        if (confirmSeedCount == 0 && !autoConfirmSeeds && firstConfirmSeed != NO_FIRST_SEED) {
            throw new PropertyException("", "firstConfirmSeed", "firstConfirmSeed " + firstConfirmSeed + " is the first seed of "
                    + "confirmSeedCount, which is not given: set confirmSeedCount, or list confirmSeeds instead");
        }
        long[] out = confirmSeeds.clone();
        int count = autoConfirmSeeds ? maxConfirmSeeds : confirmSeedCount;
        if (count > 0) {
            int confirmSeedCount = count;
            long first = firstConfirmSeed != NO_FIRST_SEED ? firstConfirmSeed
                    : Arrays.stream(seeds).max().orElse(0L) + 1;
            if (first > Long.MAX_VALUE - (confirmSeedCount - 1)) {
                throw new PropertyException("", "confirmSeedCount", "confirmSeedCount " + confirmSeedCount + " seeds from " + first
                        + " run past the largest long seed; lower firstConfirmSeed");
            }
            out = LongStream.range(0, confirmSeedCount).map(i -> first + i).toArray();
        }
        if (out.length == 1) {
            String field = confirmSeedCount > 0 ? "confirmSeedCount" : "confirmSeeds";
            throw new PropertyException("", field, "a confirm stage needs at least 2 seeds (its verdicts are paired tests over "
                    + "seeds), found " + field + " " + (confirmSeedCount > 0 ? Integer.toString(confirmSeedCount) : Arrays.toString(out))
                    + ": give 2 or more, or none for no confirm stage");
        }
        Set<Long> seen = new HashSet<>();
        for (long s : out) {
            if (!seen.add(s)) {
                throw new PropertyException("", "confirmSeeds", "confirmSeeds must be distinct, found " + s + " twice");
            }
        }
        Set<Long> tuning = Arrays.stream(seeds).boxed().collect(Collectors.toSet());
        List<Long> overlap = Arrays.stream(out).filter(tuning::contains).boxed().toList();
        if (!overlap.isEmpty()) {
            String field = autoConfirmSeeds ? "autoConfirmSeeds" : confirmSeedCount > 0 ? "confirmSeedCount" : "confirmSeeds";
            throw new PropertyException("", field, "the confirm stage's seeds must be fresh, but " + overlap + " "
                    + (overlap.size() == 1 ? "is" : "are") + " also in seeds " + Arrays.toString(seeds) + " (the tuning seeds): a seed "
                    + "that chose a cell would also confirm it; use seeds the tuning stage does not" + (count > 0
                    ? " (set firstConfirmSeed above " + Arrays.stream(seeds).max().orElse(0L) + ")" : ""));
        }
        return out;
    }

    /**
     * The axes this sweep declares, in {@link #AXES} order.
     * @return Field name to the values to try (as written in the config).
     */
    public Map<String, List<String>> declaredAxes() {
        Map<String, List<String>> out = new LinkedHashMap<>();
        List<List<String>> values = Arrays.asList(learningRate, momentum, batchSize, optimiser, lossScale);
        for (int i = 0; i < AXES.size(); i++) {
            if (values.get(i) != null) {
                out.put(AXES.get(i), new ArrayList<>(values.get(i)));
            }
        }
        return out;
    }

    /** @return The base trainer's component name. */
    public String getTrainer() {
        return trainer;
    }

    /** @return The baseline loss scale's component name, empty if the sweep adds one. */
    public String getBaselineLossScale() {
        return baselineLossScale;
    }

    /** @return The seeds. */
    public long[] getSeeds() {
        return seeds.clone();
    }

    /**
     * The confirm stage's seeds: {@code confirmSeeds}, or {@code confirmSeedCount} seeds from
     * {@code firstConfirmSeed}; disjoint from {@link #getSeeds()}.
     * @return The seeds, empty if the sweep has no confirm stage.
     */
    public long[] getConfirmSeeds() {
        return resolvedConfirmSeeds.clone();
    }

    /**
     * The first {@code count} seeds of the confirm stage (all of {@link #getConfirmSeeds()} when it holds fewer): with
     * {@code autoConfirmSeeds}, {@link #getConfirmSeeds()} lists {@code maxConfirmSeeds} candidates and the tuning
     * stage's power analysis chooses how many of them run.
     * @param count The number of seeds, at least 0.
     * @return The seeds.
     */
    public long[] confirmSeeds(int count) {
        return Arrays.copyOf(resolvedConfirmSeeds, Math.min(Math.max(count, 0), resolvedConfirmSeeds.length));
    }

    /** @return True if the confirm stage's seed count is chosen by the tuning stage's power analysis. */
    public boolean isAutoConfirmSeeds() {
        return autoConfirmSeeds;
    }

    /** @return The most confirm seeds {@code autoConfirmSeeds} may choose. */
    public int getMaxConfirmSeeds() {
        return maxConfirmSeeds;
    }

    /** @return Validation evaluations per epoch the runs are given, 0 to keep the trainer's. */
    public int getEvaluationsPerEpoch() {
        return evaluationsPerEpoch;
    }

    /** @return The validation target of "faster", as a fraction of the tuned baseline's mean final validation accuracy. */
    public double getTargetFraction() {
        return targetFraction;
    }

    /** @return True if the sweep has a confirm stage (confirm seeds given). */
    public boolean hasConfirmStage() {
        return resolvedConfirmSeeds.length > 0;
    }

    /** @return True if the sweep extends its grid beyond the edges its tuned arms choose ({@code extendEdges}). */
    public boolean isExtendEdges() {
        return extendEdges;
    }

    /** @return The most rounds of grid extension. */
    public int getMaxExtensions() {
        return maxExtensions;
    }

    /** @return The epochs override, 0 for none. */
    public int getEpochs() {
        return epochs;
    }

    /** @return The training data source's component name. */
    public String getTrainSource() {
        return trainSource;
    }

    /** @return The test data source's component name. */
    public String getTestSource() {
        return testSource;
    }

    /** @return The fraction of each class held out for validation. */
    public double getValidationFraction() {
        return validationFraction;
    }

    /** @return The seed of the validation split. */
    public long getValidationSeed() {
        return validationSeed;
    }

    /** @return The target accuracy for "epochs to target". */
    public double getTargetAccuracy() {
        return targetAccuracy;
    }

    /** @return The output directory. */
    public Path getOutputDirectory() {
        return outputDirectory;
    }

    /** @return The report title. */
    public String getTitle() {
        return title;
    }
}

package io.github.randomgradient.sweep;

import io.github.randomgradient.config.Digests;

import java.util.Map;
import java.util.TreeMap;

/**
 * One run of an expanded sweep: an arm at a grid point with a seed, its full trainer configuration
 * registered in the plan's configuration manager under {@link #component()}, and its identity.
 *
 * <p>
 * A plan of either kind ({@link RunPlan}) holds these: a sweep's run is an arm at a grid point, an
 * experiment's run is a trainer with a seed (its {@link #arm()} is the trainer's component name, its
 * grid empty, its {@link #dirName()} {@code <trainer>/seed-<seed>}).
 *
 * @param id The identity ({@link #identity(Map, String, Map)}): SHA-256 (hex) of the trainer's configured
 *           provenance (every {@code @Config} field, nested components included, seed and epochs among them),
 *           of the data it trains on, and of the plan's identity extras.
 * @param arm {@link #BASELINE}, {@link #RG}, {@link #LR_MATCHED} or {@link #MEAN_PRESERVING}; in an
 *            experiment, the trainer's component name.
 * @param rgScale The RG loss scale's component name for {@link #RG} and its control ({@link #LR_MATCHED} or
 *                {@link #MEAN_PRESERVING}), empty for the baseline.
 * @param grid The grid point: axis field to the value of the sweep's lists as the trainer converted it
 *             (e.g. {@code 0.05} for {@code 5e-2}; the lr-matched arm's {@code learningRate} here is the
 *             grid's, not the one it trains with), {@code lossScale} excluded.
 * @param overrides The trainer fields this run sets on the base trainer, with the values it trains with.
 * @param seed The seed.
 * @param component The component name of the run's trainer in the plan's configuration manager.
 * @param dirName The run directory's path under {@code runs/}: in a sweep a function of the run's configuration,
 *                so every role of one identity has the same name (see {@code SweepPlan.runDirName}); in an
 *                experiment {@code <trainer>/seed-<seed>}, as {@link io.github.randomgradient.run.RunFiles#of}.
 */
public record PlannedRun(String id, String arm, String rgScale, Map<String, String> grid, Map<String, String> overrides,
                         long seed, String component, String dirName) {

    /** The arm with loss scale 1 at the grid's learning rate. */
    public static final String BASELINE = "baseline";
    /** The arm with an RG loss scale at the grid's learning rate. */
    public static final String RG = "rg";
    /**
     * The control of an RG loss scale for an SGD-family optimiser: loss scale 1 at the grid's
     * learning rate × E[u], RG's mean step.
     */
    public static final String LR_MATCHED = "lr-matched";
    /**
     * The control of an RG loss scale for an adaptive optimiser (Adam and its kin), where a constant
     * loss scale cancels and lr × E[u] is not RG's step: the same scale made mean-preserving
     * ({@code UniformLossScale} with {@code meanPreserving = true}, E[u] = 1) at the grid's learning rate.
     */
    public static final String MEAN_PRESERVING = "mean-preserving";

    /**
     * A run's content-addressed identity, the one rule of every plan: SHA-256 (lower-case hex) of
     * <pre>
     * sorted(configuration) + "\n" + dataKey [+ "\n" + sorted(identityExtras), when there are any]
     * </pre>
     * With no extras this is the identity every sweep has recorded since sweeps were content-addressed,
     * so their run directories keep their identities.
     * @param configuration The trainer's flattened configured provenance
     *                      ({@link io.github.randomgradient.run.ProvenanceFacts#configurationOf}).
     * @param dataKey What defines the data the run trains and is evaluated on (the sources' configurations
     *                and, for a sweep, its validation split).
     * @param identityExtras Further inputs the identity must hold, name to value (e.g. the machine's numeric
     *                       environment); empty for none.
     * @return The identity.
     */
    public static String identity(Map<String, String> configuration, String dataKey, Map<String, String> identityExtras) {
        String text = new TreeMap<>(configuration) + "\n" + dataKey;
        if (!identityExtras.isEmpty()) {
            text += "\n" + new TreeMap<>(identityExtras);
        }
        return Digests.sha256(text);
    }

    /**
     * Is an arm the control of an RG loss scale ({@link #LR_MATCHED} or {@link #MEAN_PRESERVING})?
     * @param arm The arm.
     * @return True for a control arm.
     */
    public static boolean isControl(String arm) {
        return LR_MATCHED.equals(arm) || MEAN_PRESERVING.equals(arm);
    }

    /**
     * The arm's name in reports, e.g. {@code rg(rg-uniform)} or {@code baseline}.
     * @return The arm label.
     */
    public String armLabel() {
        return rgScale.isEmpty() ? arm : arm + "(" + rgScale + ")";
    }
}

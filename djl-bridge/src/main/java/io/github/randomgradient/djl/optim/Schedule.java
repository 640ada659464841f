package io.github.randomgradient.djl.optim;

import com.oracle.labs.mlrg.olcut.provenance.ConfiguredObjectProvenance;
import com.oracle.labs.mlrg.olcut.provenance.impl.ConfiguredObjectProvenanceImpl;
import io.github.randomgradient.optim.ScheduleDescription;

import java.util.Objects;

/**
 * A learning-rate schedule as an OLCUT component ({@link FixedSchedule}, {@link PolySchedule},
 * {@link StepSchedule}, {@link CosineSchedule}), evaluated per optimiser update {@code t = 0 .. T-1}
 * ({@code T} the total number of updates of the run) and 0-based epoch {@code e}, as PyTorch users
 * write them with {@code torch.optim.lr_scheduler} stepping once per update (a per-epoch scheduler
 * is a function of {@code e}). The first update always uses the base rate \( \eta_0 \), which is the
 * trainer's {@code learningRate}. Components are immutable and validate themselves in
 * {@code postConfig()}; their provenance records only the parameters of their formula.
 */
public abstract class Schedule implements ScheduleDescription {

    /**
     * Builds the component of the former flat trainer settings ({@code lrSchedule}, {@code lrPower},
     * {@code stepEpochs}, {@code stepGamma}); the values the schedule does not use are ignored.
     * @param type The schedule.
     * @param power POLY's exponent, > 0.
     * @param stepEpochs STEP's period in epochs, >= 1.
     * @param stepGamma STEP's factor, in (0, 1].
     * @return The schedule.
     * @throws IllegalArgumentException If a value the schedule uses is out of range.
     */
    public static Schedule of(LearningRateSchedule type, float power, int stepEpochs, float stepGamma) {
        switch (Objects.requireNonNull(type, "type")) {
            case POLY:
                return new PolySchedule(power);
            case STEP:
                return new StepSchedule(stepEpochs, stepGamma);
            case COSINE:
                return new CosineSchedule();
            case FIXED:
            default:
                return new FixedSchedule();
        }
    }

    /**
     * The learning rate of update {@code t}, which falls in 0-based epoch {@code epoch}.
     * @param baseRate The base learning rate \( \eta_0 \), finite and > 0.
     * @param t The 0-based optimiser update, {@code 0 <= t < totalUpdates}.
     * @param totalUpdates The number of optimiser updates of the run, {@code T >= 1}.
     * @param epoch The 0-based epoch of that update.
     * @return \( \eta_t \) (in double precision, as PyTorch's schedulers compute it).
     * @throws IllegalArgumentException If a value is out of range; the message names it.
     */
    public final double learningRate(double baseRate, long t, long totalUpdates, int epoch) {
        if (!(baseRate > 0) || !Double.isFinite(baseRate)) {
            throw new IllegalArgumentException("baseRate must be finite and > 0, found " + baseRate);
        }
        if (totalUpdates < 1) {
            throw new IllegalArgumentException("totalUpdates must be >= 1, found " + totalUpdates);
        }
        if (t < 0 || t >= totalUpdates) {
            throw new IllegalArgumentException("update t must be in [0, " + totalUpdates + "), found " + t);
        }
        if (epoch < 0) {
            throw new IllegalArgumentException("epoch must be >= 0, found " + epoch);
        }
        return rate(baseRate, t, totalUpdates, epoch);
    }

    /**
     * The schedule's formula, with arguments already checked.
     * @param baseRate \( \eta_0 \).
     * @param t The 0-based update.
     * @param totalUpdates \( T \).
     * @param epoch The 0-based epoch.
     * @return \( \eta_t \).
     */
    protected abstract double rate(double baseRate, long t, long totalUpdates, int epoch);

    @Override
    public ConfiguredObjectProvenance getProvenance() {
        return new ConfiguredObjectProvenanceImpl(this, "Schedule");
    }

    @Override
    public boolean equals(Object o) {
        return o != null && o.getClass() == getClass() && o.toString().equals(toString());
    }

    @Override
    public int hashCode() {
        return toString().hashCode();
    }
}

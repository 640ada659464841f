package io.github.randomgradient.optim;

import com.oracle.labs.mlrg.olcut.config.Configurable;
import com.oracle.labs.mlrg.olcut.provenance.ConfiguredObjectProvenance;
import com.oracle.labs.mlrg.olcut.provenance.Provenancable;

/**
 * A learning-rate schedule as a configured component describes itself to reports: its name and the
 * parameters that act in it. Implementations are immutable OLCUT components whose provenance records
 * only those parameters (a fixed schedule records none).
 */
public interface ScheduleDescription extends Configurable, Provenancable<ConfiguredObjectProvenance> {

    /**
     * The schedule's short name.
     * @return For example {@code FIXED}, {@code POLY}, {@code STEP} or {@code COSINE}.
     */
    String name();

    /**
     * The schedule with its parameters, for reports.
     * @return For example {@code FIXED} or {@code POLY (power 0.9)}.
     */
    String describe();
}

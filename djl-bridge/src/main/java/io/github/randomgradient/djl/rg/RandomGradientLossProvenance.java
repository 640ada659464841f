package io.github.randomgradient.djl.rg;

import com.oracle.labs.mlrg.olcut.provenance.ObjectProvenance;
import com.oracle.labs.mlrg.olcut.provenance.Provenance;
import com.oracle.labs.mlrg.olcut.provenance.primitives.DoubleProvenance;
import com.oracle.labs.mlrg.olcut.provenance.primitives.LongProvenance;
import com.oracle.labs.mlrg.olcut.provenance.primitives.StringProvenance;
import com.oracle.labs.mlrg.olcut.util.Pair;

import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Provenance of a {@link RandomGradientLoss}: the loss scale's configured provenance (its class and
 * range), the sampler seed, the expected factor \( E[u] \) and the wrapped DJL loss's class and name.
 * It marshals with OLCUT's {@code ProvenanceUtil} / {@code JsonProvenanceSerialization} like
 * Tribuo's provenances.
 */
public final class RandomGradientLossProvenance implements ObjectProvenance {
    private static final long serialVersionUID = 1L;

    /** Key of the loss scale's configured provenance. */
    public static final String LOSS_SCALE = "loss-scale";
    /** Key of the sampler seed. */
    public static final String SEED = "seed";
    /** Key of the expected factor E[u] (dimensionless); NaN for a schedule whose mean depends on the run's length. */
    public static final String EXPECTED_LOSS_SCALE = "expected-loss-scale";
    /** Key of the wrapped DJL loss's class name. */
    public static final String WRAPPED_LOSS_CLASS = "wrapped-loss-class";
    /** Key of the wrapped DJL loss's name. */
    public static final String WRAPPED_LOSS_NAME = "wrapped-loss-name";

    private final Map<String, Provenance> values;

    RandomGradientLossProvenance(RandomGradientLoss loss) {
        Map<String, Provenance> map = new LinkedHashMap<>();
        map.put(LOSS_SCALE, loss.getLossScale().getProvenance());
        map.put(SEED, new LongProvenance(SEED, loss.getSeed()));
        map.put(EXPECTED_LOSS_SCALE, new DoubleProvenance(EXPECTED_LOSS_SCALE, loss.getLossScale().runMeanFactor()));
        map.put(WRAPPED_LOSS_CLASS, new StringProvenance(WRAPPED_LOSS_CLASS, loss.getWrappedLoss().getClass().getName()));
        map.put(WRAPPED_LOSS_NAME, new StringProvenance(WRAPPED_LOSS_NAME, loss.getWrappedLoss().getName()));
        this.values = Collections.unmodifiableMap(map);
    }

    /**
     * The constructor OLCUT uses when it unmarshals a provenance.
     * @param map The provenance values, including every key above.
     * @throws IllegalArgumentException If a key is missing.
     */
    public RandomGradientLossProvenance(Map<String, Provenance> map) {
        for (String key : new String[]{LOSS_SCALE, SEED, EXPECTED_LOSS_SCALE, WRAPPED_LOSS_CLASS, WRAPPED_LOSS_NAME}) {
            if (!map.containsKey(key)) {
                throw new IllegalArgumentException("RandomGradientLossProvenance is missing field '" + key + "', found " + map.keySet());
            }
        }
        Map<String, Provenance> copy = new LinkedHashMap<>(map);
        copy.remove(ObjectProvenance.CLASS_NAME);
        this.values = Collections.unmodifiableMap(copy);
    }

    /**
     * One value of this provenance.
     * @param key One of the key constants.
     * @return The value, or {@code null} if absent.
     */
    public Provenance get(String key) {
        return values.get(key);
    }

    @Override
    public String getClassName() {
        return RandomGradientLoss.class.getName();
    }

    @Override
    public Iterator<Pair<String, Provenance>> iterator() {
        return values.entrySet().stream().map(e -> new Pair<>(e.getKey(), e.getValue())).iterator();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RandomGradientLossProvenance && values.equals(((RandomGradientLossProvenance) o).values);
    }

    @Override
    public int hashCode() {
        return Objects.hash(values);
    }

    @Override
    public String toString() {
        return generateString("RandomGradientLoss");
    }
}

package io.github.randomgradient.run;

import com.oracle.labs.mlrg.olcut.config.Config;
import com.oracle.labs.mlrg.olcut.config.Configurable;
import com.oracle.labs.mlrg.olcut.provenance.ConfiguredObjectProvenance;
import com.oracle.labs.mlrg.olcut.provenance.Provenancable;
import com.oracle.labs.mlrg.olcut.provenance.impl.ConfiguredObjectProvenanceImpl;
import io.github.randomgradient.optim.OptimiserDescription;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.OptionalDouble;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The facts ask a recorded optimiser component, rebuilt from provenance, rather than its name: an
 * adaptive optimiser whose name says nothing (here "Lion") is adaptive, and a component named like
 * an adaptive one but SGD-like is not; without a component, the name is the fallback.
 */
public class OptimiserRebuildTest {

    /** A foreign optimiser component whose class name, not its rule, is what name matching would read. */
    public abstract static class Described implements OptimiserDescription {
        @Override public String name() { return getClass().getSimpleName(); }
        @Override public String updateRule() { return "test." + name(); }
        @Override public OptionalDouble momentum() { return isAdaptive() ? OptionalDouble.empty() : OptionalDouble.of(0.9); }
        @Override public double weightDecay() { return 0; }
        @Override public boolean isWeightDecayDecoupled() { return false; }
        @Override public Map<String, String> settings() { return Map.of(); }
        @Override public ConfiguredObjectProvenance getProvenance() { return new ConfiguredObjectProvenanceImpl(this, "OptimiserDescription"); }
    }

    /** Adaptive, with a name that matches none of the adaptive names. */
    public static final class Lion extends Described {
        @Override public boolean isAdaptive() { return true; }
    }

    /** Not adaptive, with a name that contains "Adam". */
    public static final class AdamNamedSgd extends Described {
        @Override public boolean isAdaptive() { return false; }
    }

    /** A stand-in trainer configuration that records an optimiser component. */
    public static final class Holder implements Configurable, Provenancable<ConfiguredObjectProvenance> {
        @Config(description = "The optimiser.")
        private OptimiserDescription torchOptimiser;

        private Holder() {}

        Holder(OptimiserDescription o) {
            this.torchOptimiser = o;
        }

        @Override public ConfiguredObjectProvenance getProvenance() { return new ConfiguredObjectProvenanceImpl(this, "Trainer"); }
    }

    @Test
    public void theRebuiltComponentIsAskedNotItsName() {
        ConfiguredObjectProvenance lion = new Holder(new Lion()).getProvenance();
        assertTrue(ProvenanceFacts.optimiserComponent(lion).orElseThrow() instanceof Lion);
        assertTrue(ProvenanceFacts.isAdaptive(lion), "asked: adaptive");
        assertFalse(ProvenanceFacts.isAdaptive(ProvenanceFacts.configurationOf(lion)), "by name alone it would not be");
        assertEquals("Lion", ProvenanceFacts.optimiserOf(lion).orElseThrow());

        ConfiguredObjectProvenance notAdam = new Holder(new AdamNamedSgd()).getProvenance();
        assertFalse(ProvenanceFacts.isAdaptive(notAdam), "asked: not adaptive");
        assertTrue(ProvenanceFacts.isAdaptive(ProvenanceFacts.configurationOf(notAdam)), "by name alone it would be");
    }
}

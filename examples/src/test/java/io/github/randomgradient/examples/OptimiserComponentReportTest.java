package io.github.randomgradient.examples;

import com.oracle.labs.mlrg.olcut.config.ConfigurationManager;
import io.github.randomgradient.djl.DJLTrainer;
import io.github.randomgradient.djl.optim.TorchAdam;
import io.github.randomgradient.djl.optim.TorchSgd;
import io.github.randomgradient.optim.OptimiserDescription;
import io.github.randomgradient.run.ProvenanceFacts;
import io.github.randomgradient.sweep.PlannedRun;
import io.github.randomgradient.sweep.SweepException;
import io.github.randomgradient.sweep.SweepPlan;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tribuo.Model;
import org.tribuo.MutableDataset;
import org.tribuo.classification.Label;
import org.tribuo.classification.LabelFactory;
import org.tribuo.provenance.ModelProvenance;
import org.tribuo.provenance.SimpleDataSourceProvenance;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The report reads the optimiser and the schedule by rebuilding their components from provenance;
 * configs with the old flat keys and model files written before the components still report the
 * same facts (through the fallback); a sweep's momentum axis over a component-form trainer is a
 * nested override of its optimiser.
 */
public class OptimiserComponentReportTest {

    @TempDir
    Path tmp;

    private static final Path ROOT = ExperimentCliTest.ROOT;

    private static final String REST = ""
            + "<component name=\"mlp\" type=\"io.github.randomgradient.djl.block.MLPBlockFactory\"/>\n"
            + "<component name=\"dense\" type=\"io.github.randomgradient.djl.convert.DenseFeatureConverter\"/>\n"
            + "<component name=\"labels\" type=\"io.github.randomgradient.djl.convert.LabelConverter\"/>\n";

    /** The facts of a model provenance around the trainer of a config (no training: the facts read provenance only). */
    private ProvenanceFacts facts(String trainerProperties, String components) throws IOException {
        Path config = Files.createTempFile(tmp, "trainer", ".xml");
        Files.writeString(config, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<config>\n"
                + "<component name=\"trainer\" type=\"io.github.randomgradient.djl.DJLTrainer\">\n"
                + "  <property name=\"blockFactory\" value=\"mlp\"/><property name=\"featureConverter\" value=\"dense\"/>\n"
                + "  <property name=\"outputConverter\" value=\"labels\"/>\n" + trainerProperties + "\n</component>\n"
                + REST + components + "</config>\n");
        DJLTrainer<?> trainer = (DJLTrainer<?>) new ConfigurationManager(config.toString()).lookup("trainer");
        LabelFactory factory = new LabelFactory();
        MutableDataset<Label> data = new MutableDataset<>(new SimpleDataSourceProvenance("none", factory), factory);
        return ProvenanceFacts.of(new ModelProvenance(Model.class.getName(), OffsetDateTime.now(), data.getProvenance(), trainer.getProvenance()));
    }

    private static Map<String, String> summary(ProvenanceFacts f) {
        Map<String, String> out = new TreeMap<>();
        out.put("optimiser", f.optimiser().orElse("-"));
        out.put("momentum", f.momentum().orElse("-"));
        out.put("adaptive", Boolean.toString(f.isAdaptive()));
        out.put("weight decay", f.weightDecay());
        out.put("schedule", f.schedule().orElse("-"));
        out.put("update rule", f.updateRule().orElse("-"));
        Map<String, String> audit = f.auditTable();
        for (String row : new String[]{"schedule", "momentum", "beta1, beta2", "weight decay", "optimiser", "effective learning rate (lr x E[u])"}) {
            out.put("audit " + row, audit.getOrDefault(row, "-"));
        }
        return out;
    }

    @Test
    public void theReportAsksTheRebuiltComponentsAndFlatConfigsReportTheSame() throws IOException {
        ProvenanceFacts flat = facts("<property name=\"optimiser\" value=\"ADAMW\"/><property name=\"beta1\" value=\"0.5\"/>"
                + "<property name=\"weightDecay\" value=\"0.01\"/><property name=\"lrSchedule\" value=\"POLY\"/>", "");
        ProvenanceFacts component = facts("<property name=\"torchOptimiser\" value=\"o\"/><property name=\"schedule\" value=\"s\"/>",
                "<component name=\"o\" type=\"io.github.randomgradient.djl.optim.TorchAdam\"><property name=\"beta1\" value=\"0.5\"/>"
                        + "<property name=\"weightDecay\" value=\"0.01\"/><property name=\"decoupled\" value=\"true\"/></component>"
                        + "<component name=\"s\" type=\"io.github.randomgradient.djl.optim.PolySchedule\"/>");
        Optional<OptimiserDescription> rebuilt = component.optimiserComponent();
        assertTrue(rebuilt.isPresent() && rebuilt.get() instanceof TorchAdam, rebuilt.toString());
        assertEquals(new TorchAdam(0.5f, 0.999f, 0.01f, true), rebuilt.get());
        Map<String, String> expected = new TreeMap<>(Map.ofEntries(
                Map.entry("optimiser", "ADAMW"),
                Map.entry("momentum", "n/a (ADAMW has no momentum)"),
                Map.entry("adaptive", "true"),
                Map.entry("weight decay", "0.01 (optimiser's, decoupled, not scaled by u)"),
                Map.entry("schedule", "POLY (power 0.9)"),
                Map.entry("update rule", "torch.optim.AdamW"),
                Map.entry("audit schedule", "POLY (power 0.9)"),
                Map.entry("audit momentum", "-"),
                Map.entry("audit beta1, beta2", "0.5, 0.999"),
                Map.entry("audit weight decay", "0.01"),
                Map.entry("audit optimiser", "ADAMW (update rule torch.optim.AdamW)"),
                Map.entry("audit effective learning rate (lr x E[u])",
                        "n/a (adaptive optimiser: a constant loss factor cancels in its update; u reweights mini-batches instead)")));
        assertEquals(expected, summary(component));
        assertEquals(expected, summary(flat));
        // SGD: momentum and the effective learning rate, no betas.
        ProvenanceFacts sgd = facts("<property name=\"momentum\" value=\"0.5\"/>", "");
        assertEquals(new TorchSgd(0.5f, false, 0f), sgd.optimiserComponent().orElseThrow());
        assertEquals("0.5", sgd.momentum().orElseThrow());
        assertFalse(sgd.isAdaptive());
        assertEquals("FIXED", sgd.schedule().orElseThrow());
        assertEquals(0.1, sgd.effectiveLearningRate().getAsDouble(), 1e-7);
        assertFalse(sgd.trainerFields().keySet().stream().anyMatch(k -> k.contains("beta") || k.contains("lrPower") || k.contains("step")),
                sgd.trainerFields().toString());
    }

    @Test
    public void modelsWrittenBeforeTheComponentsReportThroughTheFallback() throws Exception {
        // The golden model files of djl-bridge (format 1, commit 510cf15) record the flat keys.
        Path golden = ROOT.resolve("djl-bridge/src/test/resources/io/github/randomgradient/djl/golden/format1-510cf15/cnn.tribuo");
        Model<?> model = Model.deserializeFromFile(golden);
        ProvenanceFacts f = ProvenanceFacts.of(model.getProvenance());
        assertTrue(f.optimiserComponent().isEmpty());
        assertEquals("SGD", f.optimiser().orElseThrow());
        assertEquals("0.9", f.momentum().orElseThrow());
        assertFalse(f.isAdaptive());
        assertEquals("FIXED", f.schedule().orElseThrow());
        assertEquals("torch.optim.SGD", f.updateRule().orElseThrow());
        assertEquals("0.05", f.learningRate().isPresent() ? Double.toString(f.learningRate().getAsDouble()) : "-");
        assertEquals("SGD (update rule torch.optim.SGD)", f.auditTable().get("optimiser"));
        assertEquals("0.9", f.auditTable().get("momentum"));
    }

    @Test
    public void aRunRecordedWithFlatKeysHasTodaysConfigurationWhenRebuilt() throws Exception {
        // What an experiment's resume compares: the golden model (flat keys) rebuilt is the component form.
        Path golden = ROOT.resolve("djl-bridge/src/test/resources/io/github/randomgradient/djl/golden/format1-510cf15/cnn.tribuo");
        var recorded = Model.deserializeFromFile(golden).getProvenance().getTrainerProvenance();
        Map<String, String> was = ProvenanceFacts.configurationOf(recorded);
        Map<String, String> now = ProvenanceFacts.currentConfigurationOf(recorded);
        assertEquals("0.9", was.get("momentum"));
        assertEquals("SGD", was.get("optimiser"));
        assertTrue(was.containsKey("beta1") && was.containsKey("lrPower"), was.toString());
        assertEquals(TorchSgd.class.getName(), now.get("torchOptimiser.class-name"));
        assertEquals("0.9", now.get("torchOptimiser.momentum"));
        assertEquals("false", now.get("torchOptimiser.nesterov"));
        assertEquals(io.github.randomgradient.djl.optim.FixedSchedule.class.getName(), now.get("schedule.class-name"));
        for (String flat : new String[]{"optimiser", "momentum", "beta1", "beta2", "weightDecay", "lrSchedule", "lrPower", "stepEpochs", "stepGamma"}) {
            assertFalse(now.containsKey(flat), flat);
            was.remove(flat);
        }
        for (Map.Entry<String, String> e : was.entrySet()) {
            assertEquals(e.getValue(), now.get(e.getKey()), e.getKey() + ": every other setting is as recorded");
        }
    }

    private Path paperGrid(String axes) throws IOException {
        Path p = tmp.resolve("grid.xml");
        Files.writeString(p, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<config>\n"
                + "  <file name=\"trainers\" value=\"" + ROOT.resolve("configs/fashion-mnist-trainers.xml") + "\"/>\n"
                + "  <file name=\"data\" value=\"" + ROOT.resolve("configs/data-fashion-mnist.xml") + "\"/>\n"
                + "  <component name=\"s\" type=\"io.github.randomgradient.sweep.Sweep\">\n"
                + "    <property name=\"trainer\" value=\"cnn-baseline\"/>\n"
                + "    <property name=\"trainSource\" value=\"fashion-mnist-bundled-train\"/>\n"
                + "    <property name=\"testSource\" value=\"fashion-mnist-bundled-test\"/>\n"
                + "    <propertylist name=\"seeds\"><item>1</item></propertylist>\n"
                + "    <propertylist name=\"lossScale\"><item>rg-uniform</item></propertylist>\n"
                + axes + "  </component>\n</config>\n", StandardCharsets.UTF_8);
        return p;
    }

    @Test
    public void aMomentumAxisOverAComponentTrainerOverridesItsOptimiser() throws IOException {
        SweepPlan plan = SweepPlan.expand(new ConfigurationManager(paperGrid(
                "<propertylist name=\"momentum\"><item>0</item><item>0.5</item></propertylist>\n").toString()), "s");
        java.util.Set<String> seen = new java.util.TreeSet<>();
        for (PlannedRun r : plan.roles()) {
            DJLTrainer<?> trainer = (DJLTrainer<?>) plan.trainer(r);
            TorchSgd sgd = (TorchSgd) trainer.getOptimiser();
            String momentum = r.grid().get("momentum");
            assertEquals(Double.parseDouble(momentum), sgd.momentum().getAsDouble(), 0.0, r.dirName());
            assertFalse(sgd.isNesterov());
            assertTrue(r.dirName().contains("momentum=" + momentum + "__"), r.dirName());
            seen.add(momentum);
        }
        assertEquals(java.util.Set.of("0.0", "0.5"), seen);
        // Values that are the same momentum once converted are refused, as for a flat field.
        SweepException e = assertThrows(SweepException.class, () -> SweepPlan.expand(new ConfigurationManager(paperGrid(
                "<propertylist name=\"momentum\"><item>0.5</item><item>0.50</item></propertylist>\n").toString()), "s"));
        assertTrue(e.getMessage().contains("momentum") && e.getMessage().contains("0.50"), e.getMessage());
        // A bad momentum names the field and value (the component's own check).
        SweepException bad = assertThrows(SweepException.class, () -> SweepPlan.expand(new ConfigurationManager(paperGrid(
                "<propertylist name=\"momentum\"><item>1.5</item></propertylist>\n").toString()), "s"));
        assertTrue(bad.getMessage().contains("momentum") && bad.getMessage().contains("1.5"), bad.getMessage());
    }
}

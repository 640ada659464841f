package io.github.randomgradient.djl;

import com.oracle.labs.mlrg.olcut.config.ConfigurationManager;
import com.oracle.labs.mlrg.olcut.config.PropertyException;
import com.oracle.labs.mlrg.olcut.provenance.ConfiguredObjectProvenance;
import com.oracle.labs.mlrg.olcut.provenance.Provenance;
import io.github.randomgradient.config.ProvenanceWalk;
import io.github.randomgradient.djl.block.MLPBlockFactory;
import io.github.randomgradient.djl.convert.DenseFeatureConverter;
import io.github.randomgradient.djl.convert.LabelConverter;
import io.github.randomgradient.djl.optim.CosineSchedule;
import io.github.randomgradient.djl.optim.FixedSchedule;
import io.github.randomgradient.djl.optim.OptimiserType;
import io.github.randomgradient.djl.optim.PolySchedule;
import io.github.randomgradient.djl.optim.StepSchedule;
import io.github.randomgradient.djl.optim.TorchAdam;
import io.github.randomgradient.djl.optim.TorchSgd;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.tribuo.classification.Label;
import org.tribuo.provenance.TrainerProvenance;
import org.tribuo.test.Helpers;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The optimiser and the schedule as components: each validates itself naming the field and value,
 * provenance records only what acted, and configs with the old flat keys load into the same
 * components (and a config setting both forms is refused, naming both).
 */
public class OptimiserComponentTest {

    @TempDir
    Path tmp;

    private static final String REST = ""
            + "<component name=\"mlp\" type=\"io.github.randomgradient.djl.block.MLPBlockFactory\"/>\n"
            + "<component name=\"dense\" type=\"io.github.randomgradient.djl.convert.DenseFeatureConverter\"/>\n"
            + "<component name=\"labels\" type=\"io.github.randomgradient.djl.convert.LabelConverter\"/>\n";

    private ConfigurationManager load(String trainerProperties, String components) throws IOException {
        Path config = Files.createTempFile(tmp, "trainer", ".xml");
        Files.writeString(config, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<config>\n"
                + "<component name=\"trainer\" type=\"io.github.randomgradient.djl.DJLTrainer\">\n"
                + "  <property name=\"blockFactory\" value=\"mlp\"/>\n"
                + "  <property name=\"featureConverter\" value=\"dense\"/>\n"
                + "  <property name=\"outputConverter\" value=\"labels\"/>\n"
                + trainerProperties + "\n</component>\n" + REST + components + "</config>\n");
        return new ConfigurationManager(config.toString());
    }

    @SuppressWarnings("unchecked")
    private DJLTrainer<Label> trainer(String trainerProperties, String components) throws IOException {
        return (DJLTrainer<Label>) load(trainerProperties, components).lookup("trainer");
    }

    /** The trainer's configured provenance, flattened to dotted paths (as the plugin's reports read it). */
    private static Map<String, String> configured(DJLTrainer<Label> trainer) {
        Map<String, String> out = new TreeMap<>();
        for (Map.Entry<String, Provenance> e : trainer.getProvenance().getConfiguredParameters().entrySet()) {
            ProvenanceWalk.walk(e.getKey(), e.getValue(), (path, node) -> {
                if (ProvenanceWalk.isLeaf(node)) {
                    out.put(path, node.toString());
                }
            });
        }
        return out;
    }

    @Test
    public void flatKeysLoadIntoTheEquivalentComponents() throws IOException {
        String[][] cases = {
                // flat properties, component properties, components
                {"", "<property name=\"torchOptimiser\" value=\"o\"/><property name=\"schedule\" value=\"s\"/>",
                        "<component name=\"o\" type=\"io.github.randomgradient.djl.optim.TorchSgd\"><property name=\"momentum\" value=\"0.9\"/></component>"
                                + "<component name=\"s\" type=\"io.github.randomgradient.djl.optim.FixedSchedule\"/>"},
                {"<property name=\"optimiser\" value=\"SGD\"/><property name=\"momentum\" value=\"0.5\"/><property name=\"weightDecay\" value=\"1e-4\"/>"
                        + "<property name=\"lrSchedule\" value=\"POLY\"/>",
                        "<property name=\"torchOptimiser\" value=\"o\"/><property name=\"schedule\" value=\"s\"/>",
                        "<component name=\"o\" type=\"io.github.randomgradient.djl.optim.TorchSgd\"><property name=\"momentum\" value=\"0.5\"/>"
                                + "<property name=\"weightDecay\" value=\"1e-4\"/></component>"
                                + "<component name=\"s\" type=\"io.github.randomgradient.djl.optim.PolySchedule\"/>"},
                {"<property name=\"optimiser\" value=\"NESTEROV\"/><property name=\"lrSchedule\" value=\"STEP\"/><property name=\"stepGamma\" value=\"0.5\"/>",
                        "<property name=\"torchOptimiser\" value=\"o\"/><property name=\"schedule\" value=\"s\"/>",
                        "<component name=\"o\" type=\"io.github.randomgradient.djl.optim.TorchSgd\"><property name=\"momentum\" value=\"0.9\"/>"
                                + "<property name=\"nesterov\" value=\"true\"/></component>"
                                + "<component name=\"s\" type=\"io.github.randomgradient.djl.optim.StepSchedule\"><property name=\"gamma\" value=\"0.5\"/></component>"},
                {"<property name=\"optimiser\" value=\"ADAMW\"/><property name=\"beta1\" value=\"0.5\"/><property name=\"momentum\" value=\"0.3\"/>"
                        + "<property name=\"weightDecay\" value=\"0.01\"/><property name=\"lrSchedule\" value=\"COSINE\"/>",
                        "<property name=\"torchOptimiser\" value=\"o\"/><property name=\"schedule\" value=\"s\"/>",
                        "<component name=\"o\" type=\"io.github.randomgradient.djl.optim.TorchAdam\"><property name=\"beta1\" value=\"0.5\"/>"
                                + "<property name=\"weightDecay\" value=\"0.01\"/><property name=\"decoupled\" value=\"true\"/></component>"
                                + "<component name=\"s\" type=\"io.github.randomgradient.djl.optim.CosineSchedule\"/>"},
        };
        for (String[] c : cases) {
            DJLTrainer<Label> flat = trainer(c[0], "");
            DJLTrainer<Label> component = trainer(c[1], c[2]);
            assertEquals(component.getOptimiser(), flat.getOptimiser(), c[0]);
            assertEquals(component.getSchedule(), flat.getSchedule(), c[0]);
            assertEquals(configured(component), configured(flat), c[0]);
            assertEquals(component.getProvenance().getInstanceValues().get(DJLTrainerProvenance.UPDATE_RULE),
                    flat.getProvenance().getInstanceValues().get(DJLTrainerProvenance.UPDATE_RULE), c[0]);
        }
    }

    @Test
    public void provenanceRecordsOnlyWhatActed() throws IOException {
        // An SGD run with the flat defaults: no Adam betas, no poly or step parameters, no flat keys.
        Map<String, String> sgd = configured(trainer("<property name=\"momentum\" value=\"0.9\"/>", ""));
        for (String never : new String[]{"beta1", "beta2", "lrPower", "stepEpochs", "stepGamma", "optimiser", "momentum",
                "weightDecay", "lrSchedule", "schedule.power", "schedule.epochs", "schedule.gamma", "torchOptimiser.beta1"}) {
            assertFalse(sgd.containsKey(never), never + " in " + sgd);
        }
        assertEquals(TorchSgd.class.getName(), sgd.get("torchOptimiser.class-name"));
        assertEquals("0.9", sgd.get("torchOptimiser.momentum"));
        assertEquals("false", sgd.get("torchOptimiser.nesterov"));
        assertEquals("0.0", sgd.get("torchOptimiser.weightDecay"));
        assertEquals(FixedSchedule.class.getName(), sgd.get("schedule.class-name"));
        // Adam records its betas and no momentum.
        Map<String, String> adam = configured(trainer("<property name=\"optimiser\" value=\"ADAM\"/><property name=\"momentum\" value=\"0.5\"/>"
                + "<property name=\"lrSchedule\" value=\"POLY\"/><property name=\"stepEpochs\" value=\"3\"/>", ""));
        assertEquals("0.9", adam.get("torchOptimiser.beta1"));
        assertEquals("0.999", adam.get("torchOptimiser.beta2"));
        assertEquals("0.9", adam.get("schedule.power"));
        assertFalse(adam.containsKey("torchOptimiser.momentum") || adam.containsKey("momentum") || adam.containsKey("schedule.epochs")
                || adam.containsKey("stepEpochs"), adam.toString());
        // No optimiser fields at all: the historical default, SGD with momentum 0.9 and a fixed rate.
        DJLTrainer<Label> plain = trainer("", "");
        assertEquals(new TorchSgd(0.9f, false, 0f), plain.getOptimiser());
        assertEquals(new FixedSchedule(), plain.getSchedule());
    }

    @Test
    public void settingAFlatFieldAndItsComponentIsRefusedNamingBoth() throws IOException {
        String sgd = "<component name=\"o\" type=\"io.github.randomgradient.djl.optim.TorchSgd\"/>";
        PropertyException e = assertThrows(PropertyException.class, () -> trainer(
                "<property name=\"torchOptimiser\" value=\"o\"/><property name=\"momentum\" value=\"0.5\"/>", sgd));
        assertTrue(e.getMessage().contains("torchOptimiser") && e.getMessage().contains("momentum"), e.getMessage());
        String poly = "<component name=\"s\" type=\"io.github.randomgradient.djl.optim.PolySchedule\"/>";
        e = assertThrows(PropertyException.class, () -> trainer(
                "<property name=\"schedule\" value=\"s\"/><property name=\"lrPower\" value=\"2\"/>", poly));
        assertTrue(e.getMessage().contains("schedule") && e.getMessage().contains("lrPower"), e.getMessage());
        // The two groups are independent: a component optimiser with a flat schedule is fine.
        DJLTrainer<Label> mixed = trainer("<property name=\"torchOptimiser\" value=\"o\"/><property name=\"lrSchedule\" value=\"COSINE\"/>", sgd);
        assertEquals(new CosineSchedule(), mixed.getSchedule());
        assertEquals(new TorchSgd(0f, false, 0f), mixed.getOptimiser());
        // The Java builder refuses the same mixture.
        IllegalArgumentException b = assertThrows(IllegalArgumentException.class, () -> builder()
                .optOptimiser(new TorchSgd(0.5f, false, 0f)).optMomentum(0.9f).build());
        assertTrue(b.getMessage().contains("torchOptimiser") && b.getMessage().contains("momentum"), b.getMessage());
    }

    @ParameterizedTest(name = "{0} {1}={2}")
    @CsvSource({
            "TorchSgd, momentum, 1.0",
            "TorchSgd, momentum, -0.1",
            "TorchSgd, weightDecay, -0.001",
            "TorchSgd, weightDecay, NaN",
            "TorchAdam, beta1, 1.5",
            "TorchAdam, beta2, -1.0",
            "TorchAdam, weightDecay, -1.0",
            "PolySchedule, power, 0.0",
            "PolySchedule, power, Infinity",
            "StepSchedule, epochs, 0",
            "StepSchedule, gamma, 0.0",
            "StepSchedule, gamma, 1.5",
    })
    public void componentsValidateThemselvesNamingTheFieldAndValue(String type, String field, String value) throws IOException {
        PropertyException e = assertThrows(PropertyException.class, () -> load("<property name=\"torchOptimiser\" value=\"c\"/>",
                "<component name=\"c\" type=\"io.github.randomgradient.djl.optim." + type + "\"><property name=\"" + field
                        + "\" value=\"" + value + "\"/></component>").lookup("c"));
        assertTrue(e.getMessage().contains(type) && e.getMessage().contains(field) && e.getMessage().contains(value), e.getMessage());
    }

    @Test
    public void nesterovWithoutMomentumIsRefusedAsPyTorchDoes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new TorchSgd(0f, true, 0f));
        assertTrue(e.getMessage().contains("momentum") && e.getMessage().contains("nesterov"), e.getMessage());
    }

    @Test
    public void componentsDescribeThemselves() {
        TorchSgd sgd = new TorchSgd(0.9f, false, 1e-4f);
        assertEquals("SGD", sgd.name());
        assertEquals("torch.optim.SGD", sgd.updateRule());
        assertFalse(sgd.isAdaptive());
        assertEquals(OptionalDouble.of(0.9), sgd.momentum());
        assertEquals(1e-4, sgd.weightDecay());
        TorchSgd nesterov = new TorchSgd(0.9f, true, 0f);
        assertEquals("NESTEROV", nesterov.name());
        assertEquals(OptimiserType.NESTEROV.updateRule(), nesterov.updateRule());
        TorchAdam adamW = new TorchAdam(0.5f, 0.999f, 0.01f, true);
        assertEquals("ADAMW", adamW.name());
        assertEquals("torch.optim.AdamW", adamW.updateRule());
        assertTrue(adamW.isAdaptive() && adamW.isWeightDecayDecoupled());
        assertEquals(OptionalDouble.empty(), adamW.momentum());
        assertEquals(Map.of("beta1", "0.5", "beta2", "0.999"), adamW.settings());
        assertEquals("POLY (power 0.9)", new PolySchedule(0.9f).describe());
        assertEquals("STEP (gamma 0.1 every 2 epochs)", new StepSchedule(2, 0.1f).describe());
        // The formulas, by hand: poly T = 4, t = 2: 0.1 * 0.5^2; step every 2 epochs by 0.5, epoch 5: 0.1 * 0.5^2; cosine t = T/2: 0.05.
        assertEquals(0.1 * 0.25, new PolySchedule(2f).learningRate(0.1, 2, 4, 0), 1e-15);
        assertEquals(0.1 * 0.25, new StepSchedule(2, 0.5f).learningRate(0.1, 7, 100, 5), 1e-15);
        assertEquals(0.05, new CosineSchedule().learningRate(0.1, 2, 4, 0), 1e-15);
        assertEquals(0.1, new FixedSchedule().learningRate(0.1, 3, 4, 3));
        assertThrows(IllegalArgumentException.class, () -> new FixedSchedule().learningRate(0.1, 4, 4, 0));
    }

    @Test
    public void componentFormRoundTripsThroughOlcutAndTrainsAsTheFlatForm() {
        DJLTrainer<Label> component = builder().optOptimiser(new TorchSgd(0.9f, true, 1e-3f)).optSchedule(new StepSchedule(1, 0.5f)).build();
        Helpers.testConfigurableRoundtrip(component);
        @SuppressWarnings("deprecation")
        DJLTrainer<Label> flat = builder().optOptimiser(OptimiserType.NESTEROV).optWeightDecay(1e-3f).optMomentum(0.9f)
                .optLrSchedule(io.github.randomgradient.djl.optim.LearningRateSchedule.STEP).optStep(1, 0.5f).build();
        Helpers.testConfigurableRoundtrip(flat);
        TrainerProvenance a = component.getProvenance();
        TrainerProvenance b = flat.getProvenance();
        assertEquals(a.getConfiguredParameters(), b.getConfiguredParameters());
        Provenance optimiser = a.getConfiguredParameters().get("torchOptimiser");
        assertEquals(TorchSgd.class.getName(), ((ConfiguredObjectProvenance) optimiser).getClassName());
        var data = TestData.circles(64, 3L);
        DJLModel<Label> ma = component.train(data);
        DJLModel<Label> mb = flat.train(data);
        for (int i = 0; i < ma.getTrainingHistory().epochs().size(); i++) {
            assertEquals(ma.getTrainingHistory().epochs().get(i).meanLoss(), mb.getTrainingHistory().epochs().get(i).meanLoss(), 0.0);
            assertEquals(ma.getTrainingHistory().epochs().get(i).learningRate(), mb.getTrainingHistory().epochs().get(i).learningRate(), 0.0);
        }
        assertEquals(0.1 * 0.5 * 0.5, ma.getTrainingHistory().epochs().get(2).learningRate(), 1e-9);
    }

    private static DJLTrainerBuilder<Label> builder() {
        return DJLTrainer.builder(new MLPBlockFactory(MLPBlockFactory.ActivationType.RELU, 8), new DenseFeatureConverter(), new LabelConverter())
                .optEpochs(3).optBatchSize(16).optSeed(5L).optDevice("cpu");
    }
}

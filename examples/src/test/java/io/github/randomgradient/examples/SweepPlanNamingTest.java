package io.github.randomgradient.examples;

import com.oracle.labs.mlrg.olcut.config.ConfigurationManager;
import io.github.randomgradient.run.ProvenanceFacts;
import io.github.randomgradient.run.RunFiles;
import io.github.randomgradient.sweep.PlannedRun;
import io.github.randomgradient.sweep.SweepException;
import io.github.randomgradient.sweep.SweepPlan;
import io.github.randomgradient.sweep.report.SweepReport;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static io.github.randomgradient.examples.ExperimentCliTest.ROOT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A sweep's plan, without training: one run has one name whatever way its values are written or
 * reached, values that repeat once converted are refused, an adaptive optimiser gets the
 * mean-preserving control, and every name fits the file system.
 */
public class SweepPlanNamingTest {

    @TempDir
    static Path tmp;

    static Path smoke;

    @BeforeAll
    static void setUp() throws IOException {
        Path configs = Files.createDirectories(tmp.resolve("configs"));
        try (Stream<Path> files = Files.list(ROOT.resolve("configs"))) {
            for (Path f : (Iterable<Path>) files.filter(f -> f.toString().endsWith(".xml"))::iterator) {
                Files.copy(f, configs.resolve(f.getFileName()));
            }
        }
        smoke = configs.resolve("sweep-smoke.xml");
    }

    /** A sweep "s" over the smoke trainer with the given axes, and extra components. */
    static Path sweepXml(String name, String axes, String components) throws IOException {
        Path p = tmp.resolve(name + ".xml");
        Files.writeString(p, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<config>\n"
                + "  <file name=\"smoke\" value=\"" + smoke + "\"/>\n" + components
                + "  <component name=\"rg-075\" type=\"io.github.randomgradient.rg.UniformLossScale\">"
                + "<property name=\"low\" value=\"0.5\"/><property name=\"high\" value=\"1.0\"/></component>\n"
                + "  <component name=\"s\" type=\"io.github.randomgradient.sweep.Sweep\">\n"
                + "    <property name=\"trainer\" value=\"smoke-mlp-baseline\"/>\n"
                + "    <property name=\"trainSource\" value=\"fashion-mnist-bundled-train\"/>\n"
                + "    <property name=\"testSource\" value=\"fashion-mnist-bundled-test\"/>\n"
                + "    <propertylist name=\"seeds\"><item>1</item><item>2</item></propertylist>\n"
                + axes + "  </component>\n</config>\n", StandardCharsets.UTF_8);
        return p;
    }

    static SweepPlan plan(String name, String axes) throws IOException {
        return plan(name, axes, "");
    }

    static SweepPlan plan(String name, String axes, String components) throws IOException {
        return SweepPlan.expand(new ConfigurationManager(sweepXml(name, axes, components).toString()), "s");
    }

    static String list(String field, String... values) {
        return "<propertylist name=\"" + field + "\">" + Stream.of(values).map(v -> "<item>" + v + "</item>").collect(Collectors.joining())
                + "</propertylist>\n";
    }

    static Map<String, String> namesById(SweepPlan plan) {
        Map<String, String> out = new HashMap<>();
        for (PlannedRun r : plan.roles()) {
            String before = out.putIfAbsent(r.id(), r.dirName());
            assertTrue(before == null || before.equals(r.dirName()), "one identity, two names: " + before + " and " + r.dirName());
        }
        return out;
    }

    @Test
    public void oneRunHasOneNameHoweverItsValuesAreWritten() throws IOException {
        Map<String, String> decimal = namesById(plan("decimal", list("learningRate", "0.05", "0.1") + list("lossScale", "rg-uniform")));
        Map<String, String> exponent = namesById(plan("exponent", list("learningRate", "5e-2", "0.1") + list("lossScale", "rg-uniform")));
        assertEquals(decimal, exponent, "'0.05' and '5e-2' are the same runs under the same names");
        // An axis whose one value is the base trainer's (batchSize 64) changes no run and no name.
        Map<String, String> withBatch = namesById(plan("batch", list("learningRate", "0.05", "0.1") + list("lossScale", "rg-uniform")
                + list("batchSize", "64")));
        assertEquals(decimal, withBatch);
        assertTrue(decimal.values().stream().allMatch(n -> n.contains("__batchSize=64__")), decimal.toString());
        assertTrue(decimal.values().stream().noneMatch(n -> n.contains("5e-2")), decimal.toString());
    }

    @Test
    public void anLrMatchedRunReachedByArithmeticHasTheNameOfTheGridsRun() throws IOException {
        // E[u] = 0.75, and 0.1 x 0.75 = 0.07500000000000001 in doubles: the float field trains at 0.075,
        // so the lr-matched run at grid 0.1 is the baseline at 0.075, and every role reads it under one name.
        SweepPlan plan = plan("matched", list("learningRate", "0.075", "0.1") + list("lossScale", "rg-075"));
        PlannedRun matched = plan.roles().stream().filter(r -> r.arm().equals(PlannedRun.LR_MATCHED)
                && r.grid().get("learningRate").equals("0.1") && r.seed() == 1).findFirst().orElseThrow();
        PlannedRun baseline = plan.roles().stream().filter(r -> r.arm().equals(PlannedRun.BASELINE)
                && r.grid().get("learningRate").equals("0.075") && r.seed() == 1).findFirst().orElseThrow();
        assertEquals("0.07500000000000001", matched.overrides().get("learningRate"));
        assertEquals(baseline.id(), matched.id());
        assertEquals(baseline.dirName(), matched.dirName());
        assertTrue(matched.dirName().startsWith("learningRate=0.075__momentum=0.9__batchSize=64__optimiser=SGD__lossScale=1.0__seed=1__"),
                matched.dirName());
        namesById(plan);
        // The report reads both roles from that one directory (here: both missing, neither under a name of its own).
        Set<String> dirs = SweepReport.build(plan, tmp.resolve("empty-matched")).results().runs().stream()
                .filter(o -> o.seed() == 1 && (o.arm().equals(PlannedRun.LR_MATCHED) && o.grid().get("learningRate").equals("0.1")
                        || o.arm().equals(PlannedRun.BASELINE) && o.grid().get("learningRate").equals("0.075")))
                .map(o -> o.runDir()).collect(Collectors.toSet());
        assertEquals(Set.of(baseline.dirName()), dirs);
    }

    @Test
    public void valuesThatRepeatOnceConvertedAreRefusedWhilePlanning() throws IOException {
        SweepException lr = assertThrows(SweepException.class, () -> plan("dup-lr", list("learningRate", "0.05", "5e-2")));
        assertTrue(lr.getMessage().contains("learningRate") && lr.getMessage().contains("'0.05'") && lr.getMessage().contains("'5e-2'"),
                lr.getMessage());
        SweepException batch = assertThrows(SweepException.class, () -> plan("dup-batch", list("batchSize", "64", "064")));
        assertTrue(batch.getMessage().contains("batchSize") && batch.getMessage().contains("'064'"), batch.getMessage());
        SweepException scale = assertThrows(SweepException.class, () -> plan("dup-scale", list("lossScale", "rg-uniform", "rg-copy"),
                "  <component name=\"rg-copy\" type=\"io.github.randomgradient.rg.UniformLossScale\">"
                        + "<property name=\"low\" value=\"0.0\"/><property name=\"high\" value=\"1.0\"/></component>\n"));
        assertTrue(scale.getMessage().contains("'rg-uniform'") && scale.getMessage().contains("'rg-copy'"), scale.getMessage());
        // Through the command: exit status 2, one line, nothing created.
        Path out = tmp.resolve("dup-out");
        BadInputFixtures.Result r = BadInputFixtures.tribuoRg("sweep", "-c", tmp.resolve("dup-lr.xml").toString(), "--sweep", "s",
                "-o", out.toString());
        BadInputFixtures.assertUserError(r, List.of("learningRate", "5e-2"), out.resolve("runs"));
    }

    @Test
    public void anAdaptiveOptimiserGetsTheMeanPreservingControlAndIsToldSo() throws IOException {
        SweepPlan plan = plan("adam", list("learningRate", "0.001") + list("optimiser", "SGD", "ADAM") + list("lossScale", "rg-uniform"));
        Map<String, Set<String>> armsByOptimiser = new HashMap<>();
        for (PlannedRun r : plan.roles()) {
            armsByOptimiser.computeIfAbsent(r.grid().get("optimiser"), k -> new TreeSet<>()).add(r.arm());
        }
        assertEquals(Set.of(PlannedRun.BASELINE, PlannedRun.RG, PlannedRun.LR_MATCHED), armsByOptimiser.get("SGD"));
        assertEquals(Set.of(PlannedRun.BASELINE, PlannedRun.RG, PlannedRun.MEAN_PRESERVING), armsByOptimiser.get("ADAM"));
        PlannedRun control = plan.roles().stream().filter(r -> r.arm().equals(PlannedRun.MEAN_PRESERVING) && r.seed() == 1).findFirst().orElseThrow();
        PlannedRun rg = plan.roles().stream().filter(r -> r.arm().equals(PlannedRun.RG) && r.grid().get("optimiser").equals("ADAM")
                && r.seed() == 1).findFirst().orElseThrow();
        Map<String, String> c = ProvenanceFacts.configurationOf(plan.trainer(control).getProvenance());
        Map<String, String> g = ProvenanceFacts.configurationOf(plan.trainer(rg).getProvenance());
        assertEquals("true", c.get("lossScale.meanPreserving"));
        assertEquals("false", g.get("lossScale.meanPreserving"));
        for (String key : g.keySet()) {
            if (!key.equals("lossScale.meanPreserving")) {
                assertEquals(g.get(key), c.get(key), key + ": the control differs from RG in E[u] only (same range, same learning rate)");
            }
        }
        assertNotEquals(rg.dirName(), control.dirName());
        assertEquals(1, plan.notes().size(), plan.notes().toString());
        assertTrue(plan.notes().get(0).contains("ADAM is adaptive") && plan.notes().get(0).contains("mean-preserving RG (U[0.0, 1.0) / E[u]"),
                plan.notes().get(0));
        // The report says so, and its control heatmaps are against mean-preserving RG in the ADAM slice.
        Path out = tmp.resolve("adam-report");
        SweepReport report = SweepReport.build(plan, out);
        report.write(out.resolve("report"));
        String md = Files.readString(out.resolve("report").resolve(SweepReport.MARKDOWN));
        assertTrue(md.contains("Note: optimiser ADAM is adaptive"), md.substring(0, Math.min(2000, md.length())));
        assertTrue(md.contains("− mean-preserving RG (optimiser=ADAM)"), "heatmap against the mean-preserving control");
        assertTrue(md.contains("− lr-matched baseline (optimiser=SGD)"), "SGD keeps its lr-matched control");
    }

    @Test
    public void everyNameFitsTheFileSystemWithALongLossScaleName() throws IOException {
        String name = "uniform-loss-scale-".repeat(12) + "u01";   // 231 characters
        SweepPlan plan = plan("long-scale", list("learningRate", "0.05") + list("lossScale", name),
                "  <component name=\"" + name + "\" type=\"io.github.randomgradient.rg.UniformLossScale\"/>\n");
        assertEquals(6, plan.runs().size());
        for (PlannedRun r : plan.roles()) {
            assertTrue(r.dirName().getBytes(StandardCharsets.UTF_8).length <= RunFiles.MAX_NAME_BYTES, r.dirName());
            assertTrue(r.armLabel().equals("baseline") || r.armLabel().contains(name), "reports keep the component's name");
        }
        assertFalse(plan.roles().stream().anyMatch(r -> r.dirName().contains("uniform-loss-scale")), "named by what it trains with");
    }

    /** The report states the epochs the runs train: the sweep's own, or the base trainer's where the sweep keeps them (0). */
    @Test
    public void theReportedEpochsAreTheTrainedOnes() throws IOException {
        SweepPlan kept = plan("epochs-kept", list("learningRate", "0.05"));
        assertEquals(1, io.github.randomgradient.sweep.report.SweepResults.epochsOf(kept, kept.roles().get(0)),
                "smoke-mlp-baseline trains 1 epoch; the report said 0");
        SweepPlan set = plan("epochs-set", list("learningRate", "0.05") + "    <property name=\"epochs\" value=\"3\"/>\n");
        assertEquals(3, io.github.randomgradient.sweep.report.SweepResults.epochsOf(set, set.roles().get(0)));
    }

    /**
     * The sweep's epochs set the run's length, never a component's field of the same name: a base trainer
     * with a StepSchedule (epochs 5 = its period) trained 10 epochs (the default) with a period of 1.
     */
    @Test
    public void theSweepsEpochsStayOnTheTrainerWhenAScheduleHasAnEpochsField() throws IOException {
        String components = "  <component name=\"step-5\" type=\"io.github.randomgradient.djl.optim.StepSchedule\">"
                + "<property name=\"epochs\" value=\"5\"/><property name=\"gamma\" value=\"0.5\"/></component>\n"
                + "  <component name=\"stepped\" type=\"io.github.randomgradient.djl.DJLTrainer\">"
                + "<property name=\"blockFactory\" value=\"smoke-mlp\"/><property name=\"featureConverter\" value=\"fashion-mnist-image\"/>"
                + "<property name=\"outputConverter\" value=\"label-converter\"/><property name=\"lossScale\" value=\"baseline-scale\"/>"
                + "<property name=\"schedule\" value=\"step-5\"/><property name=\"device\" value=\"cpu\"/></component>\n";
        Path xml = sweepXml("stepped", list("learningRate", "0.05") + "    <property name=\"epochs\" value=\"2\"/>\n", components);
        Files.writeString(xml, Files.readString(xml).replace("value=\"smoke-mlp-baseline\"", "value=\"stepped\""));
        SweepPlan p = SweepPlan.expand(new ConfigurationManager(xml.toString()), "s");
        Map<String, String> config = io.github.randomgradient.run.ProvenanceFacts.configurationOf(p.trainer(p.roles().get(0)).getProvenance());
        assertEquals("2", config.get("epochs"), config.toString());
        assertEquals("5", config.get("schedule.epochs"), config.toString());
    }
}

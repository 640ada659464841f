package io.github.randomgradient.examples;

import com.oracle.labs.mlrg.olcut.config.ConfigurationManager;
import io.github.randomgradient.djl.DJLModel;
import io.github.randomgradient.run.RunFiles;
import io.github.randomgradient.sweep.PlannedRun;
import io.github.randomgradient.sweep.RunExecutor;
import io.github.randomgradient.sweep.SweepPlan;
import io.github.randomgradient.sweep.SweepRunRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.tribuo.Model;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static io.github.randomgradient.examples.ExperimentCliTest.ROOT;
import static io.github.randomgradient.examples.BadInputFixtures.tribuoRg;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code tribuo-rg sweep} end to end with the shipped {@code configs/sweep-smoke.xml} on a tiny
 * real subset of Fashion-MNIST (300 training and 100 test images): 2 learning rates x 1 momentum x
 * {baseline, RG, lr-matched} x 2 seeds x 1 epoch, which is 12 roles and 10 distinct runs (the
 * lr-matched baseline at 0.1 x 0.5 is the baseline at 0.05).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
public class SweepCliTest {

    /**
     * A copy of configs/ in the temporary directory. OLCUT 5.3 resolves a relative include inside an
     * included file against its URL-escaped path, so in a checkout whose path has a space the
     * repository's own configs could not be included by absolute path (the CLI's -c files are
     * handled by ConfigFiles; configs that tests write include these copies instead).
     */
    static Path configs;

    static Path SMOKE;

    @TempDir
    static Path tmp;

    static Path tiny;

    @BeforeAll
    static void setUp() throws IOException {
        configs = Files.createDirectories(tmp.resolve("configs"));
        try (Stream<Path> files = Files.list(ROOT.resolve("configs"))) {
            for (Path f : (Iterable<Path>) files.filter(f -> f.toString().endsWith(".xml"))::iterator) {
                Files.copy(f, configs.resolve(f.getFileName()));
            }
        }
        SMOKE = configs.resolve("sweep-smoke.xml");
        tiny = tmp.resolve("tiny");
        MakeFashionMnistSubset.main(new String[]{ROOT.resolve("data/fashion-mnist-subset").toString(), tiny.toString(), "30", "10"});
    }

    static BadInputFixtures.Result sweep(Path config, Path out, String... extra) {
        List<String> args = new java.util.ArrayList<>(List.of("sweep", "-c", config.toString(), "--data", tiny.toString(), "-o", out.toString()));
        args.addAll(List.of(extra));
        return tribuoRg(args.toArray(String[]::new));
    }

    /** A sweep config: the smoke sweep's includes and data, with the given sweep body. */
    static Path sweepXml(String name, String body) throws IOException {
        return sweepXml(name, body, "");
    }

    /** A sweep config as {@link #sweepXml(String, String)}, with extra components before the sweep. */
    static Path sweepXml(String name, String body, String components) throws IOException {
        Path p = tmp.resolve(name + ".xml");
        Files.writeString(p, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<config>\n"
                + "  <file name=\"smoke\" value=\"" + SMOKE + "\"/>\n" + components
                + "  <file name=\"linear\" value=\"" + configs.resolve("linear-sgd-rg.xml") + "\"/>\n"
                + "  <component name=\"sweep2\" type=\"io.github.randomgradient.sweep.Sweep\">\n"
                + "    <property name=\"trainSource\" value=\"fashion-mnist-bundled-train\"/>\n"
                + "    <property name=\"testSource\" value=\"fashion-mnist-bundled-test\"/>\n"
                + "    <propertylist name=\"seeds\"><item>1</item></propertylist>\n"
                + body + "  </component>\n</config>\n");
        return p;
    }

    static Map<String, Path> runDirs(Path out) throws IOException {
        try (Stream<Path> s = Files.list(out.resolve("runs"))) {
            return s.filter(p -> !p.getFileName().toString().startsWith(".")).collect(Collectors.toMap(p -> p.getFileName().toString(), p -> p));
        }
    }

    static byte[] parameters(Path runDir) throws IOException {
        Model<?> m = Model.deserializeFromFile(runDir.resolve(RunFiles.MODEL));
        return ((DJLModel<?>) m).getParameterBytes();
    }

    @Test
    @Order(1)
    public void badSweepsAreRefusedWithOneLineAndExitTwo() throws IOException {
        Map<String, String[]> cases = new HashMap<>();
        cases.put("unknown-field", new String[]{"<property name=\"trainer\" value=\"linear-sgd-rg\"/>"
                + "<propertylist name=\"learningRate\"><item>0.1</item></propertylist>", "learningRate", "LinearSGDTrainer"});
        cases.put("bad-value", new String[]{"<property name=\"trainer\" value=\"smoke-mlp-baseline\"/>"
                + "<propertylist name=\"momentum\"><item>0.9</item><item>-1</item></propertylist>", "momentum", "-1"});
        cases.put("not-a-number", new String[]{"<property name=\"trainer\" value=\"smoke-mlp-baseline\"/>"
                + "<propertylist name=\"learningRate\"><item>fast</item></propertylist>", "learningRate", "fast"});
        cases.put("empty-axis", new String[]{"<property name=\"trainer\" value=\"smoke-mlp-baseline\"/>"
                + "<propertylist name=\"momentum\"></propertylist>", "momentum", "no values"});
        cases.put("unknown-scale", new String[]{"<property name=\"trainer\" value=\"smoke-mlp-baseline\"/>"
                + "<propertylist name=\"lossScale\"><item>no-such-scale</item></propertylist>", "lossScale", "no-such-scale"});
        cases.put("scale-of-wrong-kind", new String[]{"<property name=\"trainer\" value=\"smoke-mlp-baseline\"/>"
                + "<propertylist name=\"lossScale\"><item>smoke-mlp</item></propertylist>", "smoke-mlp", "LossScale"});
        // A schedule has no run-length-independent E[u], so its lr-matched baseline is undefined: one that
        // decays, and an undamped triangle whose cycle is longer than the run.
        cases.put("decaying-scale", new String[]{"<property name=\"trainer\" value=\"smoke-mlp-baseline\"/>"
                + "<propertylist name=\"lossScale\"><item>halving</item></propertylist>", "halving", "TRIANGULAR2", "lr-matched"});
        cases.put("long-triangle", new String[]{"<property name=\"trainer\" value=\"smoke-mlp-baseline\"/>"
                + "<propertylist name=\"lossScale\"><item>long-triangle</item></propertylist>", "long-triangle", "TRIANGULAR step 2000",
                "lr-matched"});
        // Enum names, in the sweep's own axes and in the components its axes name, list the allowed values.
        cases.put("optimiser-unknown", new String[]{"<property name=\"trainer\" value=\"smoke-mlp-baseline\"/>"
                + "<propertylist name=\"optimiser\"><item>SGD</item><item>LAMB</item></propertylist>", "component 'sweep2'", "optimiser",
                "'LAMB'", "the allowed values are SGD, NESTEROV, ADAM, ADAMW", "optimiser-unknown.xml"});
        cases.put("cyclical-mode-unknown", new String[]{"<property name=\"trainer\" value=\"smoke-mlp-baseline\"/>"
                + "<propertylist name=\"lossScale\"><item>saw</item></propertylist>", "component 'saw'", "mode", "'SAWTOOTH'",
                "the allowed values are TRIANGULAR, TRIANGULAR2, EXP_RANGE"});
        String halving = "  <component name=\"saw\" type=\"io.github.randomgradient.rg.CyclicalLossScale\">"
                + "<property name=\"mode\" value=\"SAWTOOTH\"/></component>\n"
                + "  <component name=\"halving\" type=\"io.github.randomgradient.rg.CyclicalLossScale\">"
                + "<property name=\"stepSize\" value=\"10\"/><property name=\"mode\" value=\"TRIANGULAR2\"/></component>\n"
                + "  <component name=\"long-triangle\" type=\"io.github.randomgradient.rg.CyclicalLossScale\">"
                + "<property name=\"stepSize\" value=\"2000\"/></component>\n";
        for (Map.Entry<String, String[]> c : cases.entrySet()) {
            Path out = tmp.resolve("bad-" + c.getKey());
            BadInputFixtures.Result r = sweep(sweepXml(c.getKey(), c.getValue()[0], halving), out, "--sweep", "sweep2");
            assertEquals(2, r.status(), c.getKey() + ": " + r.err());
            String err = r.err().trim();
            assertFalse(err.contains("\n"), c.getKey() + ": one line expected, got " + err);
            for (int i = 1; i < c.getValue().length; i++) {
                assertTrue(err.contains(c.getValue()[i]), c.getKey() + ": " + err);
            }
            assertFalse(Files.exists(out.resolve("runs")), c.getKey() + ": nothing may train");
        }
        // Spark is not on this module's classpath: the engine is refused by name.
        BadInputFixtures.Result r = sweep(SMOKE, tmp.resolve("no-spark"), "--engine", "spark");
        assertEquals(2, r.status(), r.err());
        assertTrue(r.err().contains("tribuo-rg-spark"), r.err());
    }

    @Test
    @Order(2)
    public void expansionAddsBaselineAndLrMatchedAndAnEditedSweepOnlyAddsNewIdentities() throws IOException {
        SweepPlan plan = SweepPlan.expand(new ConfigurationManager(SMOKE.toString()), "sweep");
        assertEquals(12, plan.roles().size());
        assertEquals(10, plan.runs().size());
        PlannedRun matched = plan.roles().stream().filter(r -> r.arm().equals(PlannedRun.LR_MATCHED) && r.grid().get("learningRate").equals("0.1")
                && r.seed() == 1).findFirst().orElseThrow();
        assertEquals("0.05", matched.overrides().get("learningRate"));
        PlannedRun baseline = plan.roles().stream().filter(r -> r.arm().equals(PlannedRun.BASELINE) && r.grid().get("learningRate").equals("0.05")
                && r.seed() == 1).findFirst().orElseThrow();
        assertEquals(baseline.id(), matched.id(), "the same configuration is the same run");
        // Every role's trainer is a full configuration: the RG arm differs from its baseline in the loss scale only.
        PlannedRun rg = plan.roles().stream().filter(r -> r.arm().equals(PlannedRun.RG) && r.grid().get("learningRate").equals("0.05")
                && r.seed() == 1).findFirst().orElseThrow();
        var a = io.github.randomgradient.run.ProvenanceFacts.configurationOf(plan.trainer(rg).getProvenance());
        var b = io.github.randomgradient.run.ProvenanceFacts.configurationOf(plan.trainer(baseline).getProvenance());
        for (String key : a.keySet()) {
            if (!key.startsWith("lossScale")) {
                assertEquals(a.get(key), b.get(key), key);
            }
        }
        assertNotEquals(a.get("lossScale.class-name"), b.get("lossScale.class-name"));

        // An edited sweep (a third seed) keeps every identity and adds only the new seed's runs.
        Path edited = tmp.resolve("edited.xml");
        Files.writeString(edited, Files.readString(SMOKE).replace("<item>2</item>\n        </propertylist>",
                "<item>2</item>\n            <item>3</item>\n        </propertylist>").replace("value=\"fashion-mnist-trainers.xml\"",
                "value=\"" + configs.resolve("fashion-mnist-trainers.xml") + "\"").replace("value=\"data-fashion-mnist.xml\"",
                "value=\"" + configs.resolve("data-fashion-mnist.xml") + "\""));
        SweepPlan more = SweepPlan.expand(new ConfigurationManager(edited.toString()), "sweep");
        Set<String> before = plan.runs().stream().map(PlannedRun::id).collect(Collectors.toSet());
        Set<String> after = more.runs().stream().map(PlannedRun::id).collect(Collectors.toSet());
        assertEquals(15, after.size());
        assertTrue(after.containsAll(before));

        // The shipped paper grid: 4 x 4 x 3 arms x 5 seeds = 240 roles; the lr-matched baselines at 0.01 and
        // 0.1 are the baselines at 0.005 and 0.05, so 200 distinct runs.
        SweepPlan grid = SweepPlan.expand(new ConfigurationManager(configs.resolve("sweep-paper-grid.xml").toString()), "sweep");
        assertEquals(240, grid.roles().size());
        assertEquals(200, grid.runs().size());
    }

    @Test
    @Order(3)
    public void oneAndTwoWorkersGiveIdenticalRunsAndAKilledWorkerCostsOnlyItsRun() throws IOException {
        Path one = tmp.resolve("one");
        Path two = tmp.resolve("two");
        BadInputFixtures.Result r1 = sweep(SMOKE, one, "--workers", "1");
        assertEquals(0, r1.status(), r1.err());
        assertTrue(r1.out().contains("runs 10/10 done"), r1.out());
        System.setProperty(RunExecutor.CRASH_HOOK, "halt:" + tmp.resolve("crashed"));
        BadInputFixtures.Result r2;
        try {
            r2 = sweep(SMOKE, two, "--workers", "2");
        } finally {
            System.clearProperty(RunExecutor.CRASH_HOOK);
        }
        assertEquals(0, r2.status(), r2.err());
        assertTrue(Files.exists(tmp.resolve("crashed")), "the crash hook fired");
        assertTrue(r2.out().contains("retrying once"), r2.out());
        Map<String, Path> a = runDirs(one);
        Map<String, Path> b = runDirs(two);
        assertEquals(10, a.size());
        assertEquals(new TreeSet<>(a.keySet()), new TreeSet<>(b.keySet()));
        int retried = 0;
        for (String run : a.keySet()) {
            assertArrayEquals(Files.readAllBytes(a.get(run).resolve(RunFiles.EVALUATION)), Files.readAllBytes(b.get(run).resolve(RunFiles.EVALUATION)), run);
            assertArrayEquals(parameters(a.get(run)), parameters(b.get(run)), run);
            SweepRunRecord ra = RunFiles.JSON.readValue(a.get(run).resolve(SweepRunRecord.FILE).toFile(), SweepRunRecord.class);
            SweepRunRecord rb = RunFiles.JSON.readValue(b.get(run).resolve(SweepRunRecord.FILE).toFile(), SweepRunRecord.class);
            assertEquals(ra.validation(), rb.validation(), run);
            retried += rb.attempt().equals("local-2") ? 1 : 0;
        }
        assertEquals(1, retried, "exactly the killed run was retried");
        assertTrue(Files.size(one.resolve("report/report.html")) > 0);
        // Every report file is published with the same permissions (the chart was once owner-only).
        for (String f : List.of("report.md", "report.json", "curves.png")) {
            assertEquals(Files.getPosixFilePermissions(one.resolve("report/report.html")),
                    Files.getPosixFilePermissions(one.resolve("report").resolve(f)), f);
        }
    }

    @Test
    @Order(4)
    public void resumeRedoesHalfWrittenRunsAndKeepsFinishedOnesByteForByte() throws IOException {
        Path one = tmp.resolve("one");
        Map<String, Path> runs = runDirs(one);
        List<String> names = runs.keySet().stream().sorted().toList();
        Path redo = runs.get(names.get(0));
        byte[] params = parameters(redo);
        byte[] evaluation = Files.readAllBytes(redo.resolve(RunFiles.EVALUATION));
        Map<String, FileTime> times = new HashMap<>();
        for (String n : names.subList(1, names.size())) {
            times.put(n, Files.getLastModifiedTime(runs.get(n).resolve(RunFiles.MODEL)));
        }
        // A worker killed half way: the run's published directory is gone and a half-written attempt remains.
        Path half = one.resolve("runs").resolve(".attempt-" + names.get(0) + "-local-1");
        Files.createDirectories(half);
        Files.move(redo.resolve(RunFiles.MODEL), half.resolve(RunFiles.MODEL));
        RunExecutorTestAccess.deleteTree(redo);
        BadInputFixtures.Result r = sweep(SMOKE, one, "--workers", "1");
        assertEquals(0, r.status(), r.err());
        assertTrue(r.out().contains("9 already done, 1 to train"), r.out());
        assertFalse(Files.exists(half));
        assertArrayEquals(params, parameters(redo));
        assertArrayEquals(evaluation, Files.readAllBytes(redo.resolve(RunFiles.EVALUATION)));
        for (Map.Entry<String, FileTime> t : times.entrySet()) {
            assertEquals(t.getValue(), Files.getLastModifiedTime(runs.get(t.getKey()).resolve(RunFiles.MODEL)), t.getKey() + " was rewritten");
        }
    }

    @Test
    @Order(7)
    public void withoutFontsTheSweepReportSaysSoAndMoreWorkerThreadsThanCoresAreWarned() throws IOException {
        Path one = tmp.resolve("one");
        int cores = Runtime.getRuntime().availableProcessors();
        List<String> warnings = new java.util.ArrayList<>();
        java.util.logging.Logger project = java.util.logging.Logger.getLogger("io.github.randomgradient");
        java.util.logging.Handler capture = new java.util.logging.Handler() {
            @Override
            public void publish(java.util.logging.LogRecord r) {
                if (r.getLevel().equals(java.util.logging.Level.WARNING)) {
                    warnings.add(r.getMessage());
                }
            }

            @Override
            public void flush() {}

            @Override
            public void close() {}
        };
        project.addHandler(capture);
        System.setProperty("tribuo.rg.simulateNoFonts", "true");
        BadInputFixtures.Result r;
        try {
            // Every run is done, so nothing trains: the report is rewritten, and the workers only counted.
            r = sweep(SMOKE, one, "--workers", Integer.toString(cores + 1));
        } finally {
            System.clearProperty("tribuo.rg.simulateNoFonts");
            project.removeHandler(capture);
        }
        assertEquals(0, r.status(), r.err());
        assertTrue(r.out().contains("10 already done, 0 to train"), r.out());
        assertTrue(warnings.contains((cores + 1) + " workers x 1 PyTorch thread = " + (cores + 1) + " threads on " + cores + " core"
                + (cores == 1 ? "" : "s") + ": the runs compete for the CPU and each takes longer (results are unchanged); use --workers "
                + cores + " or lower numThreads"), warnings.toString());
        assertTrue(warnings.stream().anyMatch(w -> w.startsWith("charts cannot be drawn in this JVM")), warnings.toString());
        Path report = one.resolve("report");
        assertTrue(Files.readString(report.resolve(io.github.randomgradient.sweep.report.SweepReport.MARKDOWN)).contains("Charts were not drawn"));
        assertTrue(Files.readString(report.resolve(io.github.randomgradient.sweep.report.SweepReport.HTML)).contains("Charts were not drawn"));
        assertFalse(Files.exists(report.resolve(io.github.randomgradient.sweep.report.SweepReport.CURVES_PNG)), "no chart of an earlier report");
    }

    @Test
    @Order(6)
    public void workersThatCannotTrainEndTheSweepWithExitFourAndOneLine() throws IOException {
        // Options the JVM accepts but with which a worker does no work ("-version" exits at once).
        Path config = sweepXml("dead-workers", "<property name=\"trainer\" value=\"smoke-mlp-baseline\"/>"
                + "<propertylist name=\"learningRate\"><item>0.05</item></propertylist>");
        String old = System.getProperty(io.github.randomgradient.sweep.SweepJob.JVM_OPTIONS_PROPERTY);
        System.setProperty(io.github.randomgradient.sweep.SweepJob.JVM_OPTIONS_PROPERTY, "-version");
        BadInputFixtures.Result r;
        try {
            r = sweep(config, tmp.resolve("dead"), "--sweep", "sweep2", "--workers", "1");
        } finally {
            if (old == null) {
                System.clearProperty(io.github.randomgradient.sweep.SweepJob.JVM_OPTIONS_PROPERTY);
            } else {
                System.setProperty(io.github.randomgradient.sweep.SweepJob.JVM_OPTIONS_PROPERTY, old);
            }
        }
        assertEquals(4, r.status(), r.err());
        assertTrue(r.err().contains("every one of the 1 runs failed twice") && !r.err().contains("defect")
                && !r.err().contains("\tat "), r.err());
    }

    @Test
    @Order(5)
    public void workersLoadConfigsFromADirectoryWhosePathHasASpace() throws IOException {
        // OLCUT 5.3 resolves <file> includes against the %20-escaped path; workers must load configs as the commands do.
        Path configs = Files.createDirectories(tmp.resolve("a clone with spaces").resolve("configs"));
        try (Stream<Path> files = Files.list(ROOT.resolve("configs"))) {
            for (Path f : (Iterable<Path>) files::iterator) {
                Files.copy(f, configs.resolve(f.getFileName()));
            }
        }
        Path out = tmp.resolve("space out");
        Map<String, Path> runs = runDirs(tmp.resolve("one"));
        String first = runs.keySet().stream().sorted().findFirst().orElseThrow();
        for (Map.Entry<String, Path> run : runs.entrySet()) {
            if (!run.getKey().equals(first)) {
                copyTree(run.getValue(), out.resolve("runs").resolve(run.getKey()));
            }
        }
        BadInputFixtures.Result r = sweep(configs.resolve("sweep-smoke.xml"), out, "--workers", "1");
        assertEquals(0, r.status(), r.err());
        assertTrue(r.out().contains("9 already done, 1 to train"), r.out());
        assertArrayEquals(parameters(runs.get(first)), parameters(out.resolve("runs").resolve(first)));
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> s = Files.walk(from)) {
            for (Path f : (Iterable<Path>) s::iterator) {
                Path target = to.resolve(from.relativize(f).toString());
                if (Files.isDirectory(f)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(f, target);
                }
            }
        }
    }

    /** Deletes a directory tree. */
    static final class RunExecutorTestAccess {
        static void deleteTree(Path dir) throws IOException {
            try (Stream<Path> s = Files.walk(dir)) {
                for (Path p : (Iterable<Path>) s.sorted(java.util.Comparator.reverseOrder())::iterator) {
                    Files.delete(p);
                }
            }
        }
    }
}

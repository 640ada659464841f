package io.github.randomgradient.examples;

import io.github.randomgradient.cli.OutputLock;
import io.github.randomgradient.cli.TribuoRg;
import io.github.randomgradient.run.ProvenanceFacts;
import io.github.randomgradient.report.ReportWriter;
import io.github.randomgradient.run.RunFiles;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.stream.Stream;

import static io.github.randomgradient.examples.BadInputFixtures.assertUserError;
import static io.github.randomgradient.examples.BadInputFixtures.experimentXml;
import static io.github.randomgradient.examples.BadInputFixtures.replace;
import static io.github.randomgradient.examples.BadInputFixtures.tribuoRg;
import static io.github.randomgradient.examples.ExperimentCliTest.ROOT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The command line's arguments and its checks before training, for every command (experiment, sweep,
 * report, audit, export-data): a stray argument, an empty value, a path this locale cannot encode
 * (LANG=C), each exit 2 with one line and nothing created; report on unfinished runs and on runs a
 * running command holds; a JVM without fonts; the warnings a user wants; and {@code inherit} across
 * files, with the README's recipe for a variant of a shipped trainer.
 */
public class CliArgumentsTest {

    @TempDir
    static Path tmp;

    static Path data;
    static Path config;
    /** A finished experiment: trainers mlp-baseline and bad (its copy), seeds 1 and 2, 1 epoch on 40 images. */
    static Path experiment;
    static Path model;

    /** Held so that its handler stays attached. */
    private static final Logger PROJECT_LOGGER = Logger.getLogger("io.github.randomgradient");
    private static final List<LogRecord> LOG = new ArrayList<>();
    private static final Handler CAPTURE = new Handler() {
        @Override
        public void publish(LogRecord r) {
            synchronized (LOG) {
                LOG.add(r);
            }
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
    };

    @BeforeAll
    static void setUp() throws IOException {
        PROJECT_LOGGER.addHandler(CAPTURE);
        data = BadInputFixtures.goodData(tmp.resolve("data"));
        experiment = tmp.resolve("experiment");
        config = Files.writeString(tmp.resolve("experiment.xml"), experimentXml(data, experiment));
        BadInputFixtures.Result r = tribuoRg("experiment", "-c", config.toString());
        assertEquals(0, r.status(), r.err());
        model = RunFiles.of(experiment, "mlp-baseline", 1L).file(RunFiles.MODEL);
        assertTrue(Files.isRegularFile(model));
    }

    @AfterAll
    static void tearDown() {
        PROJECT_LOGGER.removeHandler(CAPTURE);
    }

    /** Every command with valid arguments and a fresh output directory {@code out} (audit writes nothing). */
    static Map<String, List<String>> commands(Path out) {
        Map<String, List<String>> c = new TreeMap<>();
        c.put("experiment", List.of("experiment", "-c", config.toString(), "--output-dir", out.toString()));
        c.put("sweep", List.of("sweep", "-c", ROOT.resolve("configs/sweep-smoke.xml").toString(), "--data", data.toString(),
                "--output-dir", out.toString()));
        c.put("report", List.of("report", "--runs", experiment.toString(), "--output-dir", out.toString()));
        c.put("audit", List.of("audit", "--model", model.toString()));
        c.put("export-data", List.of("export-data", "--data", data.toString(), "--output-dir", out.toString()));
        return c;
    }

    private static String[] with(List<String> args, String... more) {
        List<String> all = new ArrayList<>(args);
        all.addAll(List.of(more));
        return all.toArray(String[]::new);
    }

    /** {@code args} with the value of {@code option} replaced. */
    private static String[] withValue(List<String> args, String option, String value) {
        List<String> all = new ArrayList<>(args);
        all.set(all.indexOf(option) + 1, value);
        return all.toArray(String[]::new);
    }

    @TestFactory
    Stream<DynamicTest> aStrayArgumentIsAUserErrorForEveryCommand() {
        return commands(tmp.resolve("stray-out")).entrySet().stream().map(c -> DynamicTest.dynamicTest(c.getKey(), () -> {
            Path out = tmp.resolve("stray-out");
            assertUserError(tribuoRg(with(c.getValue(), "extra.xml")), List.of("unexpected argument 'extra.xml'"), out);
        }));
    }

    @TestFactory
    Stream<DynamicTest> anEmptyValueIsAUserErrorForEveryCommand() {
        Path cwdLock = Paths.get(OutputLock.FILE);
        return commands(tmp.resolve("empty-out")).entrySet().stream().map(c -> DynamicTest.dynamicTest(c.getKey(), () -> {
            String option = c.getKey().equals("audit") ? "--model" : "--output-dir";
            // An empty --output-dir is the working directory: it wrote runs into the repository root.
            assertUserError(tribuoRg(withValue(c.getValue(), option, "")), List.of("the value of " + option + " is empty"), cwdLock,
                    Paths.get("experiment.json"), Paths.get("train.tribuo.pb"));
            assertUserError(tribuoRg(withValue(c.getValue(), option, " ")), List.of("the value of " + option + " is blank"), cwdLock);
        }));
    }

    @Test
    public void anEmptyConfiguredOutputDirectoryIsAUserError() throws IOException {
        Path cfg = Files.writeString(tmp.resolve("empty-output.xml"), replace(experimentXml(data, experiment),
                "<property name=\"outputDirectory\" value=\"" + experiment + "\"/>", "<property name=\"outputDirectory\" value=\"\"/>"));
        assertUserError(tribuoRg("experiment", "-c", cfg.toString()), List.of("outputDirectory", "empty"), Paths.get(OutputLock.FILE));
    }

    /**
     * A path the JVM cannot encode as a file name: under LANG=C any non-ASCII character; here, in a
     * UTF-8 JVM, a lone surrogate, which no charset encodes. Same exception, same answer.
     */
    @TestFactory
    Stream<DynamicTest> aPathThatCannotBeAFileNameIsAUserErrorForEveryCommand() {
        String bad = "out-\uD800";
        return commands(tmp.resolve("unencodable-out")).entrySet().stream().map(c -> DynamicTest.dynamicTest(c.getKey(), () -> {
            String option = c.getKey().equals("audit") ? "--model" : "--output-dir";
            String value = tmp + "/" + bad;
            assertUserError(tribuoRg(withValue(c.getValue(), option, value)), List.of("cannot be used as a file name", "(" + option + ")"));
        }));
    }

    @Test
    public void underLangCANonAsciiPathIsAUserErrorNamingTheLocale() throws Exception {
        Path out = tmp.resolve("sortie-\u00e9t\u00e9");
        Result r = runUnderLangC("experiment", "-c", config.toString(), "--output-dir", out.toString());
        assertEquals(2, r.status(), r.output());
        String line = r.output().strip();
        assertFalse(line.contains("\n"), "one line: " + line);
        assertTrue(line.startsWith("error: ") && line.contains("--output-dir") && line.contains("LC_ALL=C.UTF-8"), line);
        try (Stream<Path> files = Files.list(tmp)) {
            assertTrue(files.noneMatch(p -> p.getFileName().toString().startsWith("sortie-")), "nothing created");
        }

        // A non-ASCII data path inside the config (ASCII file name) is named by component and property.
        Path copy = Files.createDirectories(tmp.resolve("donn\u00e9es"));
        try (Stream<Path> files = Files.list(data)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                Files.copy(f, copy.resolve(f.getFileName()));
            }
        }
        Path cfg = Files.writeString(tmp.resolve("non-ascii-data.xml"), experimentXml(copy, tmp.resolve("non-ascii-out")));
        r = runUnderLangC("experiment", "-c", cfg.toString());
        assertEquals(2, r.status(), r.output());
        line = r.output().strip();
        assertFalse(line.contains("\n"), "one line: " + line);
        assertTrue(line.contains("component 'tiny-t") && line.contains("Path'") && line.contains("LC_ALL=C.UTF-8"), line);
        assertFalse(Files.exists(tmp.resolve("non-ascii-out")));
    }

    /**
     * Under LANG=C a non-ASCII working directory reads as another path (its bytes become '?'), so a
     * relative --output-dir would be created in a made-up directory: every command refuses to start.
     */
    @Test
    public void aWorkingDirectoryTheLocaleCannotNameIsAUserError() throws Exception {
        Path cwd = Files.createDirectories(tmp.resolve("r\u00e9pertoire"));
        for (List<String> args : List.of(List.of("experiment", "-c", config.toString(), "--output-dir", "relout"),
                List.of("sweep", "-c", ROOT.resolve("configs/sweep-smoke.xml").toString(), "--data", data.toString(), "-o", "relsw"),
                List.of("report", "--runs", experiment.toString(), "--output-dir", "relrep"),
                List.of("audit", "--model", model.toString()))) {
            Result r = runUnderLangCIn(cwd, args.toArray(String[]::new));
            assertEquals(2, r.status(), args + ": " + r.output());
            String line = r.output().strip();
            assertFalse(line.contains("\n"), "one line: " + line);
            assertTrue(line.startsWith("error: the working directory") && line.contains("LC_ALL=C.UTF-8"), line);
        }
        try (Stream<Path> files = Files.list(cwd)) {
            assertEquals(List.of(), files.toList(), "nothing created in the working directory");
        }
        try (Stream<Path> files = Files.list(tmp)) {
            assertTrue(files.noneMatch(p -> p.getFileName().toString().startsWith("r?")), "nothing created under a mangled name");
        }
    }

    record Result(int status, String output) {}

    /** Runs the command line in a JVM under LANG=C and LC_ALL=C, as a user's shell or a minimal container would. */
    private static Result runUnderLangC(String... args) throws Exception {
        return runUnderLangCIn(null, args);
    }

    /** {@link #runUnderLangC} with the working directory {@code cwd} (null: this JVM's). */
    private static Result runUnderLangCIn(Path cwd, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(Paths.get(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "-Djava.awt.headless=true", "-Dai.djl.offline=true",
                "-DOPT_OUT_TRACKING=true", TribuoRg.class.getName()));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        if (cwd != null) {
            pb.directory(cwd.toFile());
        }
        pb.environment().put("LANG", "C");
        pb.environment().put("LC_ALL", "C");
        Process p = pb.start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        return new Result(p.waitFor(), output);
    }

    /** A user error found once the data is loaded leaves no output directory (it held the lock file only). */
    @Test
    public void aUserErrorFoundAfterLoadingTheDataLeavesNoOutputDirectory() throws IOException {
        byte[] nineClasses = new byte[40];
        for (int i = 0; i < nineClasses.length; i++) {
            nineClasses[i] = (byte) (i % 9);
        }
        Path nine = BadInputFixtures.dataDir(tmp.resolve("nine-classes"), BadInputFixtures.images(40, 28, 28, 1),
                BadInputFixtures.idx(0x08, new int[]{40}, nineClasses), BadInputFixtures.images(20, 28, 28, 2), BadInputFixtures.labels(20));
        Path out = tmp.resolve("unseen-out");
        Path cfg = Files.writeString(tmp.resolve("unseen.xml"), experimentXml(nine, out));
        assertUserError(tribuoRg("experiment", "-c", cfg.toString()), List.of("test data has labels [9]"), out);
    }

    /**
     * Tribuo 4.3.2's SGD fails on a mini-batch mixing an example that names every feature (dense) with
     * others (sparse): exit 1 with a ClassCastException from LinearParameters.merge after training had
     * started. Refused before training, with the way out; with minibatchSize 1 it trains.
     */
    @Test
    public void tribuoSgdOnMixedDenseAndSparseImagesIsRefusedBeforeTraining() throws IOException {
        byte[] pixels = new byte[40 * 28 * 28];
        new java.util.Random(3).nextBytes(pixels);
        for (int i = 0; i < pixels.length; i++) {
            if (i < 28 * 28 && pixels[i] == 0) {
                pixels[i] = 1; // image 0 has no zero pixel: dense
            } else if (i >= 28 * 28 && i % (28 * 28) == 0) {
                pixels[i] = 0; // every other image has one: sparse
            }
        }
        Path mixed = BadInputFixtures.dataDir(tmp.resolve("dense-and-sparse"), BadInputFixtures.idx(0x08, new int[]{40, 28, 28}, pixels),
                BadInputFixtures.labels(40), BadInputFixtures.images(20, 28, 28, 2), BadInputFixtures.labels(20));
        String linear = experimentXml(mixed, tmp.resolve("unused"))
                .replace("<file name=\"trainers\"", "<file name=\"linear\" value=\"" + ROOT.resolve("configs/linear-sgd-rg.xml")
                        + "\"/>\n  <file name=\"trainers\"")
                .replace("<propertylist name=\"seeds\"><item>1</item><item>2</item></propertylist>",
                        "<propertylist name=\"seeds\"><item>1</item></propertylist>")
                .replace("</config>", "  <component name=\"linear-mb1\" type=\"org.tribuo.classification.sgd.linear.LinearSGDTrainer\">"
                        + "<property name=\"objective\" value=\"log-multiclass\"/><property name=\"optimiser\" value=\"sgd-momentum\"/>"
                        + "<property name=\"epochs\" value=\"1\"/><property name=\"minibatchSize\" value=\"1\"/></component>\n</config>");
        Path out = tmp.resolve("linear-16");
        Path cfg = Files.writeString(tmp.resolve("linear-16.xml"), linear.replace(tmp.resolve("unused").toString(), out.toString())
                .replace("<item>mlp-baseline</item><item>bad</item>", "<item>linear-sgd-baseline</item><item>linear-sgd-rg</item>"));
        assertUserError(tribuoRg("experiment", "-c", cfg.toString()), List.of("trainer 'linear-sgd-baseline'", "minibatchSize=16",
                "1 of its 40 examples name every one of the 784 features", "set minibatchSize to 1"), out);
        Path outOne = tmp.resolve("linear-1");
        Path one = Files.writeString(tmp.resolve("linear-1.xml"), linear.replace(tmp.resolve("unused").toString(), outOne.toString())
                .replace("<item>mlp-baseline</item><item>bad</item>", "<item>linear-mb1</item><item>bad</item>"));
        BadInputFixtures.Result r = tribuoRg("experiment", "-c", one.toString());
        assertEquals(0, r.status(), r.err());
    }

    // ---------------------------------------------------------------------------------------------
    // report

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                Path target = to.resolve(from.relativize(f).toString());
                if (Files.isDirectory(f)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(f, target);
                }
            }
        }
    }

    @Test
    public void reportRefusesARunDirectoryWithoutRunJson() throws IOException {
        Path partial = tmp.resolve("partial");
        copyTree(experiment, partial);
        Path unfinished = RunFiles.of(partial, "bad", 2L).dir();
        Files.delete(unfinished.resolve(RunFiles.RUN));
        Path out = tmp.resolve("partial-report");
        // As the experiment's output, as its runs/ and as the trainer's directory: the report rested on 3 of 4 runs.
        for (Path runs : List.of(partial, partial.resolve("runs"), unfinished.getParent())) {
            assertUserError(tribuoRg("report", "--runs", runs.toString(), "--output-dir", out.toString()),
                    List.of(unfinished.toAbsolutePath().toString(), "has no run.json", "delete the directory"), out);
        }
        assertUserError(tribuoRg("report", "--runs", unfinished.toString(), "--output-dir", out.toString()),
                List.of(unfinished.toAbsolutePath().toString(), "has no run.json"), out);
        // An empty seed directory (a run killed before its first file) counts too.
        Files.walk(unfinished).sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        Files.createDirectories(unfinished);
        assertUserError(tribuoRg("report", "--runs", partial.toString(), "--output-dir", out.toString()),
                List.of(unfinished.toAbsolutePath().toString()), out);
    }

    @Test
    public void reportOnSomeOfAnExperimentsRunsLeavesOutTheRecordedComparisonsItCannotMake() throws IOException {
        Path some = tmp.resolve("some");
        copyTree(experiment, some);
        Files.deleteIfExists(some.resolve(OutputLock.FILE));
        // The experiment recorded a comparison of its two trainers; the report is asked for one trainer's runs only.
        Path recorded = some.resolve("experiment.json");
        com.fasterxml.jackson.databind.node.ObjectNode json = (com.fasterxml.jackson.databind.node.ObjectNode) RunFiles.JSON.readTree(recorded.toFile());
        json.putArray("comparisons").add("bad vs mlp-baseline");
        RunFiles.JSON.writeValue(recorded.toFile(), json);
        Path out = tmp.resolve("some-report");
        clearLog();
        BadInputFixtures.Result r = tribuoRg("report", "--runs", RunFiles.of(some, "bad", 1L).dir().getParent().toString(),
                "--output-dir", out.toString());
        // It used to end with exit 2: "comparison bad vs mlp-baseline names trainer 'mlp-baseline', which has no runs".
        assertEquals(0, r.status(), r.err());
        assertTrue(messages(Level.WARNING).stream().anyMatch(w -> w.contains("'bad vs mlp-baseline'") && w.contains("left out")
                && w.contains("no runs of 'mlp-baseline'") && w.contains("--compare")), messages(Level.WARNING).toString());
        assertTrue(Files.isRegularFile(out.resolve("report.md")));
    }

    @Test
    public void runsOfTwoExperimentsAreReportedWhenEverySettingIsGiven() throws IOException {
        Path a = tmp.resolve("two-a");
        Path b = tmp.resolve("two-b");
        copyTree(experiment, a);
        copyTree(experiment, b);
        for (Path d : List.of(a, b)) {
            Files.deleteIfExists(d.resolve(OutputLock.FILE));
        }
        deleteTree(RunFiles.of(a, "bad", 1L).dir().getParent());
        deleteTree(RunFiles.of(b, "mlp-baseline", 1L).dir().getParent());
        com.fasterxml.jackson.databind.node.ObjectNode json = (com.fasterxml.jackson.databind.node.ObjectNode) RunFiles.JSON.readTree(
                b.resolve("experiment.json").toFile());
        json.put("title", "another title");
        RunFiles.JSON.writeValue(b.resolve("experiment.json").toFile(), json);
        Path out = tmp.resolve("two-report");
        assertUserError(tribuoRg("report", "--runs", a + "," + b, "--output-dir", out.toString()),
                List.of("2 experiments recorded with different report settings", "another title", "give all of --title"), out);
        BadInputFixtures.Result r = tribuoRg("report", "--runs", a + "," + b, "--output-dir", out.toString(), "--title", "both",
                "--target-accuracy", "0.5", "--compare", "bad vs mlp-baseline");
        // It was refused with the same message even with every setting given.
        assertEquals(0, r.status(), r.err());
        assertTrue(Files.readString(out.resolve("report.md")).startsWith("# both"));
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        }
    }

    @Test
    public void reportOnASweepsRunsSaysHowToRewriteTheSweepReport() throws IOException {
        Path sweep = tmp.resolve("sweep-like");
        Path run = Files.createDirectories(sweep.resolve("runs").resolve("learningRate=0.1__seed=1__abc"));
        copyTree(RunFiles.of(experiment, "bad", 1L).dir(), run);
        Files.writeString(run.resolve("sweep-run.json"), "{}");
        Path out = tmp.resolve("sweep-like-report");
        for (Path given : List.of(sweep, run)) {
            assertUserError(tribuoRg("report", "--runs", given.toString(), "--output-dir", out.toString()),
                    List.of(run.toAbsolutePath().toString(), "is a run of a sweep", "rerun the sweep command"), out);
        }
    }

    @Test
    public void reportRefusesRunsThatARunningCommandIsWriting() throws IOException {
        Path busy = tmp.resolve("busy");
        copyTree(experiment, busy);
        Files.deleteIfExists(busy.resolve(OutputLock.FILE));
        Path out = tmp.resolve("busy-report");
        try (OutputLock running = OutputLock.acquire(busy, "output directory")) {
            for (Path runs : List.of(busy, busy.resolve("runs"), RunFiles.of(busy, "bad", 1L).dir())) {
                assertUserError(tribuoRg("report", "--runs", runs.toString(), "--output-dir", out.toString()),
                        List.of(busy.toAbsolutePath().toString(), "being written", "process " + ProcessHandle.current().pid()), out);
            }
            // Nor may it write its report into a directory being written.
            assertUserError(tribuoRg("report", "--runs", experiment.toString(), "--output-dir", busy.resolve("report").toString()),
                    List.of("being written"));
        }
        BadInputFixtures.Result r = tribuoRg("report", "--runs", busy.toString(), "--output-dir", out.toString());
        assertEquals(0, r.status(), "once the command is done, report runs: " + r.err());
    }

    // ---------------------------------------------------------------------------------------------
    // Before training

    private static List<String> messages(Level level) {
        synchronized (LOG) {
            return LOG.stream().filter(r -> r.getLevel().equals(level)).map(LogRecord::getMessage).toList();
        }
    }

    private static void clearLog() {
        synchronized (LOG) {
            LOG.clear();
        }
    }

    @Test
    public void withoutFontsTheExperimentSaysSoBeforeTrainingAndWritesAReportWithoutCharts() throws IOException {
        Path out = tmp.resolve("no-fonts");
        Path cfg = Files.writeString(tmp.resolve("no-fonts.xml"), replace(experimentXml(data, out),
                "<item>mlp-baseline</item><item>bad</item>", "<item>mlp-baseline</item>"));
        clearLog();
        System.setProperty("tribuo.rg.simulateNoFonts", "true");
        BadInputFixtures.Result r;
        try {
            r = tribuoRg("experiment", "-c", cfg.toString(), "--seeds", "1");
        } finally {
            System.clearProperty("tribuo.rg.simulateNoFonts");
        }
        assertEquals(0, r.status(), r.err());
        List<String> all;
        synchronized (LOG) {
            all = LOG.stream().map(LogRecord::getMessage).toList();
        }
        int warned = -1;
        int trained = -1;
        for (int i = 0; i < all.size(); i++) {
            if (warned < 0 && all.get(i).startsWith("charts cannot be drawn")) {
                warned = i;
            }
            if (trained < 0 && all.get(i).startsWith("run 1/1")) {
                trained = i;
            }
        }
        assertTrue(warned >= 0 && trained > warned, "warned before training: " + all);
        assertFalse(all.get(warned).contains("\n"));
        Path report = out.resolve("report");
        assertTrue(Files.readString(report.resolve(ReportWriter.MARKDOWN)).contains("Charts were not drawn"));
        assertTrue(Files.readString(report.resolve(ReportWriter.HTML)).contains("Charts were not drawn"));
        assertFalse(Files.exists(report.resolve(ReportWriter.LOSS_PNG)));
    }

    @Test
    public void momentumWithAdamAndABatchLargerThanTheDataAreWarnedAndTrainingGoesOn() throws IOException {
        Path out = tmp.resolve("warnings");
        String xml = replace(experimentXml(data, out), "<item>mlp-baseline</item><item>bad</item>", "<item>bad</item>");
        xml = replace(xml, "<property name=\"optimiser\" value=\"SGD\"/>", "<property name=\"optimiser\" value=\"ADAM\"/>");
        xml = replace(xml, "<property name=\"learningRate\" value=\"0.05\"/>", "<property name=\"learningRate\" value=\"0.001\"/>");
        xml = replace(xml, "<property name=\"batchSize\" value=\"8\"/>", "<property name=\"batchSize\" value=\"64\"/>");
        Path cfg = Files.writeString(tmp.resolve("warnings.xml"), xml);
        clearLog();
        BadInputFixtures.Result r = tribuoRg("experiment", "-c", cfg.toString(), "--seeds", "1");
        assertEquals(0, r.status(), r.err());
        assertTrue(RunFiles.of(out, "bad", 1L).isComplete(), "training went on");
        List<String> warnings = messages(Level.WARNING);
        assertTrue(warnings.stream().anyMatch(w -> w.startsWith("trainer 'bad' sets momentum=0.9, but optimiser=ADAM ignores momentum")),
                warnings.toString());
        assertTrue(warnings.stream().anyMatch(w -> w.startsWith("trainer 'bad' has batchSize=64, larger than the 40 training examples")),
                warnings.toString());
        assertTrue(warnings.stream().noneMatch(w -> w.contains("\n")), "one line each");

        // The shipped SGD trainers with momentum and a batch that fits warn of nothing.
        clearLog();
        Path quiet = tmp.resolve("quiet");
        r = tribuoRg("experiment", "-c", config.toString(), "--seeds", "1", "--output-dir", quiet.toString());
        assertEquals(0, r.status(), r.err());
        assertEquals(List.of(), messages(Level.WARNING).stream().filter(w -> w.contains("momentum") || w.contains("batchSize")).toList());
    }

    // ---------------------------------------------------------------------------------------------
    // inherit across files, and the README's recipe

    @Test
    public void inheritFromAComponentOfAnotherFileIsExplained() throws IOException {
        Path out = tmp.resolve("inherit-out");
        String xml = replace(experimentXml(data, out), "<item>mlp-baseline</item><item>bad</item>", "<item>my-mlp</item>");
        xml = replace(xml, "</config>", "  <component name=\"my-mlp\" inherit=\"mlp-baseline\">"
                + "<property name=\"learningRate\" value=\"0.01\"/></component>\n</config>");
        Path cfg = Files.writeString(tmp.resolve("inherit.xml"), xml);
        assertUserError(tribuoRg("experiment", "-c", cfg.toString()), List.of("inherit.xml", "Failed to find base component 'mlp-baseline'",
                "OLCUT's inherit only sees components of the same file", "define the variant in full", "docs/configs.md"), out);
    }

    /** The README's recipe, byte for byte (src/test/resources/readme/my-variants.xml), in a clone's layout. */
    @Test
    public void theReadmeRecipeForAVariantOfAShippedTrainerWorks() throws IOException {
        Path clone = tmp.resolve("clone");
        Path configs = Files.createDirectories(clone.resolve("configs"));
        try (Stream<Path> files = Files.list(ROOT.resolve("configs"))) {
            for (Path f : (Iterable<Path>) files::iterator) {
                Files.copy(f, configs.resolve(f.getFileName()));
            }
        }
        Path recipe = ROOT.resolve("examples/src/test/resources/readme/my-variants.xml");
        assertTrue(Files.readString(ROOT.resolve("docs/configs.md")).contains("```xml\n" + Files.readString(recipe).strip() + "\n```"),
                "docs/configs.md's recipe must be " + recipe + ", verbatim");
        Path mine = Files.createDirectories(clone.resolve("my-configs")).resolve("my-variants.xml");
        Files.copy(recipe, mine);
        Path out = tmp.resolve("my-variants-out");
        clearLog();
        BadInputFixtures.Result r = tribuoRg("experiment", "-c", mine.toString(), "--data", data.toString(), "--epochs", "1",
                "--seeds", "1", "--output-dir", out.toString());
        assertEquals(0, r.status(), r.err());
        assertEquals(List.of(), messages(Level.WARNING).stream().filter(w -> w.contains("momentum") || w.contains("batchSize")
                || w.contains("charts")).toList(), "a clean recipe warns of nothing");
        Map<String, String> base = ProvenanceFacts.configurationOf(RunFiles.of(out, "my-cnn-baseline", 1L).readProvenance()
                .getTrainerProvenance());
        Map<String, String> variant = ProvenanceFacts.configurationOf(RunFiles.of(out, "my-cnn-rg-wide", 1L).readProvenance()
                .getTrainerProvenance());
        List<String> differ = new ArrayList<>();
        for (String k : new java.util.TreeSet<>(base.keySet())) {
            if (!base.get(k).equals(variant.get(k))) {
                differ.add(k);
            }
        }
        assertFalse(differ.isEmpty());
        assertTrue(differ.stream().allMatch(k -> k.startsWith("lossScale")), "the variant differs in its loss scale only: " + differ);
        assertEquals("2.0", variant.get("lossScale.high"), variant.toString());
        assertEquals("0.05", base.get("learningRate"), "the rest is the shipped cnn-baseline's");
    }
}

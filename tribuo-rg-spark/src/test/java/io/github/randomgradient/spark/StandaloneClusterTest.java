package io.github.randomgradient.spark;

import io.github.randomgradient.run.RunFiles;
import io.github.randomgradient.sweep.SweepRunRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The smoke sweep on a real Spark standalone cluster (one Master, two Workers of one core each, on
 * 127.0.0.1, started by {@code src/test/scripts/local-cluster.sh} from Maven Central's Spark jars),
 * submitted through the distribution's {@code tribuo-rg-submit} exactly as the README shows it, with
 * Spark's own launcher ({@code org.apache.spark.launcher.Main}, as {@code bin/spark-submit} runs it):
 * every run is bitwise identical (parameters and {@code evaluation.json}) to the local engine's; then a
 * Worker is killed with {@code kill -9} mid-sweep and the sweep still ends with every run, identical.
 * <p>
 * Runs in the {@code integration-test} phase (it needs the packaged distribution); the cluster is
 * stopped after the class whatever happens, and no process of it may remain.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
public class StandaloneClusterTest {

    static final Path ROOT = Paths.get("..").toAbsolutePath().normalize();
    static final Path SCRIPT = Paths.get("src/test/scripts/local-cluster.sh").toAbsolutePath();
    static final Path DATA = Paths.get("src/test/resources/tiny-fashion-mnist").toAbsolutePath();

    static Path dir;
    static String master;
    static Path sparkHome;
    static Path local;
    static Path firstSpark;

    @BeforeAll
    static void startCluster() throws Exception {
        dir = Files.createTempDirectory(Paths.get("target").toAbsolutePath(), "cluster-");
        ProcessResult started = script("start");
        for (String line : started.out().split("\n")) {
            if (line.startsWith("MASTER=")) {
                master = line.substring("MASTER=".length());
            } else if (line.startsWith("SPARK_HOME=")) {
                sparkHome = Path.of(line.substring("SPARK_HOME=".length()));
            }
        }
        assertEquals(0, started.status(), started.out() + started.err());
        assertTrue(master != null && master.startsWith("spark://127.0.0.1:"), started.out());
        // The reference: the local engine, one worker.
        local = dir.resolve("local");
        ProcessResult r = run(List.of(ROOT.resolve("tribuo-rg").toString(), "sweep", "-c", ROOT.resolve("configs/sweep-smoke.xml").toString(),
                "--data", DATA.toString(), "-o", local.toString(), "--workers", "1"), Map.of(), dir.resolve("local.log"));
        assertEquals(0, r.status(), r.out());
    }

    @AfterAll
    static void stopCluster() throws Exception {
        if (dir == null) {
            return;
        }
        ProcessResult stopped = script("stop");
        assertEquals(0, stopped.status(), stopped.err());
        // No Master, Worker or executor of this cluster may outlive it (executors exit once their Worker is gone).
        List<String> left = new ArrayList<>();
        for (int i = 0; i < 150; i++) {
            left = ProcessHandle.allProcesses().filter(p -> p.info().commandLine().map(c -> c.contains(dir.toString())).orElse(false))
                    .map(p -> p.pid() + " " + p.info().commandLine().orElse("")).toList();
            if (left.isEmpty()) {
                break;
            }
            Thread.sleep(200);
        }
        assertEquals(List.of(), left, "processes of the cluster left running");
        // Spark copies every --jars jar (even local:) into each executor's directory: 137 MB an executor; keep the logs only.
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path jar : (Iterable<Path>) s.filter(p -> p.getFileName().toString().endsWith(".jar") && !p.startsWith(sparkHome))::iterator) {
                Files.delete(jar);
            }
        }
    }

    record ProcessResult(int status, String out, String err) {}

    static ProcessResult script(String command) throws IOException, InterruptedException {
        List<String> cmd = List.of("bash", SCRIPT.toString(), command, dir.toString());
        ProcessBuilder pb = new ProcessBuilder(cmd);
        String mavenHome = System.getProperty("rg.maven.home", "");
        if (!mavenHome.isEmpty()) {
            pb.environment().put("MVN", Path.of(mavenHome, "bin", "mvn").toString());
        }
        List<String> flags = new ArrayList<>();
        String repo = System.getProperty("rg.maven.repo", "");
        if (!repo.isEmpty()) {
            flags.add("-Dmaven.repo.local=" + repo);
        }
        pb.environment().put("MVN_FLAGS", String.join(" ", flags));
        Path out = dir.resolve("script-" + command + ".out");
        Path err = dir.resolve("script-" + command + ".err");
        Process p = pb.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!p.waitFor(10, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            fail("local-cluster.sh " + command + " did not end: " + Files.readString(err));
        }
        return new ProcessResult(p.exitValue(), Files.readString(out), Files.readString(err));
    }

    /** Runs a command with its output (both streams) to a log; the guard only stops a hung command. */
    static ProcessResult run(List<String> cmd, Map<String, String> env, Path log) throws IOException, InterruptedException {
        return await(start(cmd, env, log), log);
    }

    static Process start(List<String> cmd, Map<String, String> env, Path log) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().putAll(env);
        return pb.start();
    }

    static ProcessResult await(Process p, Path log) throws IOException, InterruptedException {
        if (!p.waitFor(10, TimeUnit.MINUTES)) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            fail("hung: " + Files.readString(log));
        }
        return new ProcessResult(p.exitValue(), Files.readString(log, StandardCharsets.UTF_8), "");
    }

    /** The README's command: {@code tribuo-rg-submit --master URL SWEEP ARGS}, with the cluster's Spark home. */
    static Process submit(Path out, Path log) throws IOException {
        List<String> cmd = List.of(ROOT.resolve("tribuo-rg-submit").toString(), "--master", master,
                // Loopback only, and no web UI port.
                "--conf", "spark.driver.host=127.0.0.1", "--conf", "spark.driver.bindAddress=127.0.0.1", "--conf", "spark.ui.enabled=false",
                "-c", ROOT.resolve("configs/sweep-smoke.xml").toString(), "--data", DATA.toString(), "-o", out.toString());
        return start(cmd, Map.of("SPARK_HOME", sparkHome.toString(), "SPARK_LOCAL_IP", "127.0.0.1"), log);
    }

    static List<String> published(Path out) throws IOException {
        Path runs = out.resolve("runs");
        if (!Files.isDirectory(runs)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(runs)) {
            return s.map(p -> p.getFileName().toString()).filter(n -> !n.startsWith(".")).sorted().toList();
        }
    }

    /** Every run of {@code b} has the parameters and evaluation of the same run in {@code a}, byte for byte. */
    static void assertSameRuns(Path a, Path b) throws IOException {
        List<String> runs = published(a);
        assertEquals(10, runs.size(), runs.toString());
        assertEquals(runs, published(b), "the same runs, no attempt directory left");
        for (String run : runs) {
            Path ra = a.resolve("runs").resolve(run);
            Path rb = b.resolve("runs").resolve(run);
            assertArrayEquals(Files.readAllBytes(ra.resolve(RunFiles.EVALUATION)), Files.readAllBytes(rb.resolve(RunFiles.EVALUATION)), run);
            assertArrayEquals(SparkSweepTest.parameters(ra), SparkSweepTest.parameters(rb), run);
            SweepRunRecord record = RunFiles.JSON.readValue(rb.resolve(SweepRunRecord.FILE).toFile(), SweepRunRecord.class);
            assertTrue(record.attempt().startsWith("spark-stage"), record.attempt());
        }
    }

    @Test
    @Order(0)
    public void theLauncherRefusesWhatWouldNotWorkWithOneLine() throws Exception {
        String submit = ROOT.resolve("tribuo-rg-submit").toString();
        String[][] cases = {
                {"give the cluster with --master", "-c", "sweep.xml"},
                {"puts jars ahead of Spark's own", "--master", master, "--conf", "spark.driver.extraClassPath=/x.jar", "-c", "sweep.xml"},
                {"--engine is spark here", "--master", master, "-c", "sweep.xml", "--engine", "local"},
                {"set by this launcher", "--master", master, "--jars", "/x.jar", "-c", "sweep.xml"}};
        for (String[] c : cases) {
            List<String> cmd = new ArrayList<>(List.of(submit));
            cmd.addAll(List.of(c).subList(1, c.length));
            ProcessResult r = run(cmd, Map.of("SPARK_HOME", sparkHome.toString()), dir.resolve("refused.log"));
            assertEquals(2, r.status(), r.out());
            assertTrue(r.out().contains(c[0]) && r.out().strip().lines().count() == 1, r.out());
        }
    }

    @Test
    @Order(1)
    public void theReadmesSubmitCommandGivesTheLocalEnginesRunsOnAStandaloneCluster() throws Exception {
        firstSpark = dir.resolve("spark");
        Path log = dir.resolve("spark.log");
        ProcessResult r = await(submit(firstSpark, log), log);
        assertEquals(0, r.status(), r.out());
        // Both executors were checked: their marker is in the output directory and their engine was probed.
        assertTrue(r.out().contains("executor 0 engine: host=") && r.out().contains("executor 1 engine: host="), r.out());
        assertTrue(r.out().contains("engine=PyTorch"), r.out());
        assertTrue(r.out().contains("--workers is not used"), r.out());
        try (Stream<Path> markers = Files.walk(firstSpark.resolve("logs"))) {
            assertEquals(2, markers.filter(p -> p.getFileName().toString().endsWith(".marker")).count());
        }
        assertSameRuns(local, firstSpark);
        assertTrue(Files.isRegularFile(firstSpark.resolve("report/report.json")));
    }

    @Test
    @Order(2)
    public void aWorkerKilledMidSweepCostsNothing() throws Exception {
        Path out = dir.resolve("spark-killed");
        Path log = dir.resolve("spark-killed.log");
        Process p = submit(out, log);
        // Wait for the first published run (the others are queued or training), then kill -9 the second Worker.
        while (published(out).isEmpty() && p.isAlive()) {
            Thread.sleep(200);
        }
        assertTrue(p.isAlive(), "the sweep ended before a Worker could be killed: " + Files.readString(log));
        List<String> pids = Files.readAllLines(dir.resolve("pids"));
        ProcessHandle worker = ProcessHandle.of(Long.parseLong(pids.get(2).strip())).orElseThrow();
        assertTrue(worker.info().commandLine().orElse("").contains("org.apache.spark.deploy.worker.Worker"), worker.info().toString());
        new ProcessBuilder("kill", "-9", Long.toString(worker.pid())).start().waitFor();
        ProcessResult r = await(p, log);
        assertFalse(worker.isAlive());
        assertEquals(0, r.status(), r.out());
        // Spark numbers executors in the order they register, not by Worker: the killed Worker's may be 0 or 1.
        assertTrue(java.util.regex.Pattern.compile("Lost executor \\d+ on").matcher(r.out()).find(),
                "the driver lost the killed Worker's executor mid-sweep: " + r.out());
        assertSameRuns(local, out);
    }
}

package io.github.randomgradient.spark;

import io.github.randomgradient.cli.TribuoRg;
import io.github.randomgradient.djl.DJLModel;
import io.github.randomgradient.run.RunFiles;
import io.github.randomgradient.sweep.RunExecutor;
import io.github.randomgradient.sweep.SweepRunRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tribuo.Model;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The smoke sweep ({@code configs/sweep-smoke.xml}, 10 runs, on 300 training images) as a Spark job in
 * {@code local[2,2]} on this module's real classpath (Spark 4 with its own Jackson and Scala
 * modules): two runs train at once, each in its own worker process; one run fails on its first
 * attempt after writing half its files and is published by its second; every run is identical
 * to the local engine's with one worker.
 */
public class SparkSweepTest {

    static final Path ROOT = Paths.get("..").toAbsolutePath().normalize();

    @TempDir
    Path tmp;

    record Result(int status, String out, String err) {}

    static Result tribuoRg(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = TribuoRg.run(args, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Result(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    static Result sweep(Path out, String... extra) {
        List<String> args = new java.util.ArrayList<>(List.of("sweep", "-c", ROOT.resolve("configs/sweep-smoke.xml").toString(),
                "--data", Paths.get("src/test/resources/tiny-fashion-mnist").toAbsolutePath().toString(), "-o", out.toString()));
        args.addAll(List.of(extra));
        return tribuoRg(args.toArray(String[]::new));
    }

    static Map<String, Path> runDirs(Path out) throws IOException {
        try (Stream<Path> s = Files.list(out.resolve("runs"))) {
            return s.collect(Collectors.toMap(p -> p.getFileName().toString(), p -> p));
        }
    }

    static byte[] parameters(Path runDir) throws IOException {
        return ((DJLModel<?>) Model.deserializeFromFile(runDir.resolve(RunFiles.MODEL))).getParameterBytes();
    }

    @Test
    public void sparkLocalTwoGivesTheLocalEngineRunsAndRetriesAHalfWrittenAttempt() throws IOException {
        Path local = tmp.resolve("local");
        Result r1 = sweep(local, "--workers", "1");
        assertEquals(0, r1.status(), r1.err());

        Path spark = tmp.resolve("spark");
        System.setProperty("spark.master", "local[2,2]");
        System.setProperty("spark.ui.enabled", "false");
        System.setProperty(RunExecutor.CRASH_HOOK, "halt:" + tmp.resolve("crashed"));
        Result r2;
        try {
            r2 = sweep(spark, "--engine", "spark", "--workers", "2");
        } finally {
            System.clearProperty(RunExecutor.CRASH_HOOK);
            System.clearProperty("spark.master");
            System.clearProperty("spark.ui.enabled");
        }
        assertEquals(0, r2.status(), r2.err() + r2.out());
        assertTrue(r2.out().contains("executor driver engine: host="), r2.out());
        assertTrue(r2.out().contains("with spark (local[2,2])"), "--workers is local mode's concurrency: " + r2.out());
        assertTrue(r2.out().contains("engine=PyTorch"), r2.out());
        assertTrue(Files.exists(tmp.resolve("crashed")), "one attempt was killed half way");

        Map<String, Path> a = runDirs(local);
        Map<String, Path> b = runDirs(spark);
        assertEquals(10, a.size());
        assertEquals(new TreeSet<>(a.keySet()), new TreeSet<>(b.keySet()), "no attempt directory is left behind");
        int retried = 0;
        for (String run : a.keySet()) {
            assertArrayEquals(Files.readAllBytes(a.get(run).resolve(RunFiles.EVALUATION)), Files.readAllBytes(b.get(run).resolve(RunFiles.EVALUATION)), run);
            assertArrayEquals(parameters(a.get(run)), parameters(b.get(run)), run);
            SweepRunRecord rb = RunFiles.JSON.readValue(b.get(run).resolve(SweepRunRecord.FILE).toFile(), SweepRunRecord.class);
            assertTrue(rb.attempt().startsWith("spark-stage"), rb.attempt());
            retried += rb.attempt().endsWith("-attempt1") ? 1 : 0;
            assertFalse(rb.attempt().endsWith("-attempt2"), rb.attempt());
        }
        assertEquals(1, retried, "exactly the killed run was published by its second attempt");
        // Two tasks at once means two worker processes, plus the one started after the kill.
        try (Stream<Path> logs = Files.list(spark.resolve("logs"))) {
            assertEquals(3, logs.filter(p -> p.getFileName().toString().startsWith("spark-worker-")).count());
        }
    }

    @Test
    public void aWorkerThatDiesWhileStartingOnEveryAttemptCostsItsRunsNotTheJob() {
        Path spark = tmp.resolve("spark-dying");
        System.setProperty("spark.master", "local[2,2]");
        System.setProperty("spark.ui.enabled", "false");
        System.setProperty(RunExecutor.CRASH_HOOK, "start-halt");
        Result r;
        try {
            r = sweep(spark, "--engine", "spark", "--workers", "2");
        } finally {
            System.clearProperty(RunExecutor.CRASH_HOOK);
            System.clearProperty("spark.master");
            System.clearProperty("spark.ui.enabled");
        }
        // Every attempt's worker dies before it is ready: each run is a failed run (exit 4, as the local engine), never a defect (1).
        assertEquals(4, r.status(), r.err() + r.out());
        assertTrue(r.err().contains("worker died (exit status 137"), r.err());
        assertFalse(r.err().contains("NullPointerException") || r.err().contains("defect"), r.err());
        assertFalse(Files.exists(spark.resolve("runs")) && runDirsQuietly(spark) > 0, "no run was published");
    }

    @Test
    public void anEngineCacheDirectoryGivenToTheDriverReachesTheExecutorsProbeAndItsFailureNamesTheCause() throws IOException {
        // A file where the cache directory should be: the executor's probe must use it (so fail), and say why.
        Path notADirectory = Files.writeString(tmp.resolve("engine-cache-is-a-file"), "x");
        Path spark = tmp.resolve("spark-cache");
        System.setProperty("spark.master", "local[1]");
        System.setProperty("spark.ui.enabled", "false");
        System.setProperty("ENGINE_CACHE_DIR", notADirectory.toString());
        Result r;
        try {
            r = sweep(spark, "--engine", "spark", "--workers", "1");
        } finally {
            System.clearProperty("ENGINE_CACHE_DIR");
            System.clearProperty("spark.master");
            System.clearProperty("spark.ui.enabled");
        }
        assertEquals(2, r.status(), r.err() + r.out());
        // e.g. "executor driver on localhost: engine probe failed: EngineException: Failed to extract PyTorch native library;
        // caused by FileSystemException: .../engine-cache-is-a-file/pytorch: Not a directory (log ...)"
        assertTrue(r.err().contains("executor driver on ") && r.err().contains("engine probe failed: ") && r.err().contains("caused by")
                && r.err().contains(notADirectory.toString()), r.err());
        assertEquals(1, r.err().strip().lines().count(), r.err());
        assertFalse(r.out().contains("runs 1/"), "nothing trained: " + r.out());
    }

    static long runDirsQuietly(Path out) {
        try (Stream<Path> s = Files.list(out.resolve("runs"))) {
            return s.filter(p -> !p.getFileName().toString().startsWith(".")).count();
        } catch (IOException e) {
            return 0;
        }
    }

    @Test
    public void withoutSparksJavaFlagsTheEngineNamesThem() {
        // This JVM has the flags (surefire argLine), so the check passes; the message names every flag otherwise.
        SparkEngine.checkJavaFlags();
        assertEquals(14, SparkEngine.JAVA17_FLAGS.size());
    }
}

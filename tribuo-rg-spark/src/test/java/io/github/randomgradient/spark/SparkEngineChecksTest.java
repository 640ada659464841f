package io.github.randomgradient.spark;

import io.github.randomgradient.sweep.PlannedRun;
import io.github.randomgradient.sweep.SweepException;
import io.github.randomgradient.sweep.SweepJob;
import org.apache.spark.SparkConf;
import org.apache.spark.resource.ResourceInformation;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Spark engine's checks that need no cluster: the driver must see every executor's marker, a run
 * an executor published but the driver cannot read is a failed run, the worker classpath comes from
 * {@code spark.jars}, a task's GPUs become its worker's only CUDA devices, and a node without the
 * driver's working directory still starts workers.
 */
public class SparkEngineChecksTest {

    @TempDir
    Path tmp;

    private SweepJob job(String workingDirectory) {
        return new SweepJob(List.of(tmp.resolve("sweep.xml").toString()), "sweep", tmp.resolve("out").toString(), workingDirectory,
                "", 2, "/driver/cp.jar", Map.of("ai.djl.offline", "true"), List.of("-XX:+UseSerialGC"));
    }

    @Test
    public void aMarkerTheDriverCannotSeeStopsTheSweepNamingTheExecutorAndThePath() throws IOException {
        Path marker = RunTask.marker(tmp.resolve("out"), "app-1", "3");
        assertEquals(tmp.resolve("out/logs/spark-app-1/executor-3.marker"), marker);
        RunTask.Outcome o = new RunTask.Outcome("probe-0", true, "3", "node7", marker.toString(), "engine=PyTorch");
        SweepException e = assertThrows(SweepException.class, () -> SparkEngine.checkMarker(o));
        assertTrue(e.getMessage().contains("executor 3 on node7") && e.getMessage().contains(marker.toString())
                && e.getMessage().contains("share"), e.getMessage());
        Files.createDirectories(marker.getParent());
        Files.writeString(marker, "executor 3 on node7\n");
        SparkEngine.checkMarker(o);   // seen: no exception
    }

    @Test
    public void aRunPublishedWhereTheDriverCannotReadItIsAFailedRun() {
        PlannedRun run = new PlannedRun("abc123", PlannedRun.BASELINE, "", Map.of(), Map.of(), 1L, "t", "baseline-lr0.1-seed1");
        RunTask.Outcome o = new RunTask.Outcome("abc123", true, "1", "node2", tmp.resolve("nowhere.marker").toString(), "spark-stage1-task0-attempt0");
        Optional<String> why = SparkEngine.unseen(tmp.resolve("out"), run, o);
        assertTrue(why.isPresent());
        assertTrue(why.get().contains("executor 1 on node2") && why.get().contains(tmp.resolve("out/runs/baseline-lr0.1-seed1").toString())
                && why.get().contains("nowhere.marker"), why.get());
    }

    @Test
    public void anExecutorThatMissedTheProbeStageIsCheckedBeforeItsFirstRun() throws IOException {
        // No probe stage here: the training task itself must write the executor's marker and probe its engine first.
        System.setProperty(io.github.randomgradient.sweep.RunExecutor.CRASH_HOOK, "start-halt");   // the run's own worker dies
        SweepJob job = SweepJob.ofThisJvm(List.of(SparkSweepTest.ROOT.resolve("configs/sweep-smoke.xml").toString()), "sweep",
                tmp.resolve("out"), Path.of("src/test/resources/tiny-fashion-mnist"), 1);
        SparkConf conf = new SparkConf(false).setMaster("local[1]").setAppName("late-executor").set("spark.ui.enabled", "false");
        List<RunTask.Outcome> outcomes;
        String appId;
        try (org.apache.spark.api.java.JavaSparkContext sc = new org.apache.spark.api.java.JavaSparkContext(conf)) {
            appId = sc.sc().applicationId();
            outcomes = sc.parallelize(List.of("some-run-id"), 1).map(new RunTask(job, RunTask.TRAIN, 1)).collect();
        } finally {
            System.clearProperty(io.github.randomgradient.sweep.RunExecutor.CRASH_HOOK);
            RunTask.closePool(job);
        }
        RunTask.Outcome o = outcomes.get(0);
        assertEquals("driver", o.executor());
        assertEquals(RunTask.marker(tmp.resolve("out"), appId, "driver").toString(), o.marker());
        assertTrue(Files.isRegularFile(Path.of(o.marker())), "marker written before the run");
        try (java.util.stream.Stream<Path> logs = Files.list(tmp.resolve("out/logs"))) {
            assertEquals(1, logs.filter(p -> p.getFileName().toString().startsWith("probe-executor-driver-")).count(), "engine probed");
        }
        assertTrue(!o.ok() && o.message().startsWith("worker died (exit status 137"), o.message());
    }

    @Test
    public void theWorkersClasspathIsTheLocalJarsSparkSubmitWasGiven() {
        SweepJob job = job(tmp.toString());
        SparkConf conf = new SparkConf(false).set("spark.jars", "local:/dist/tribuo-rg-examples.jar,local:/dist/lib/a.jar, file:/dist/lib/b.jar,/dist/lib/c.jar");
        SweepJob cluster = SparkEngine.withWorkerClasspath(job, conf);
        assertEquals(String.join(File.pathSeparator, "/dist/tribuo-rg-examples.jar", "/dist/lib/a.jar", "/dist/lib/b.jar", "/dist/lib/c.jar"),
                cluster.classpath());
        assertEquals(job.systemProperties(), cluster.systemProperties());
        // A jar Spark downloads has no path the workers could use; nor does a job without spark.jars change.
        assertSame(job, SparkEngine.withWorkerClasspath(job, new SparkConf(false).set("spark.jars", "local:/a.jar,hdfs://nn/b.jar")));
        assertSame(job, SparkEngine.withWorkerClasspath(job, new SparkConf(false)));
    }

    @Test
    public void aTasksGpusAreItsWorkersOnlyCudaDevices() {
        assertEquals(Optional.of("1,3"), RunTask.gpus(Map.of("gpu", new ResourceInformation("gpu", new String[] {"1", "3"}))));
        assertEquals(Optional.empty(), RunTask.gpus(Map.of()));
        assertEquals(Optional.empty(), RunTask.gpus(Map.of("fpga", new ResourceInformation("fpga", new String[] {"0"}))));
        ProcessBuilder pb = RunTask.workerProcess(job(tmp.toString()), Optional.of("2"));
        assertEquals("2", pb.environment().get("CUDA_VISIBLE_DEVICES"));
        assertEquals(tmp.toFile(), pb.directory());
    }

    @Test
    public void aNodeWithoutTheDriversWorkingDirectoryStartsWorkersInTheExecutorsOwn() {
        ProcessBuilder pb = RunTask.workerProcess(job(tmp.resolve("only-on-the-driver").toString()), Optional.empty());
        assertNull(pb.directory(), "inherits the executor's working directory");
        assertTrue(!pb.environment().containsKey("CUDA_VISIBLE_DEVICES") || System.getenv("CUDA_VISIBLE_DEVICES") != null);
    }

    @Test
    public void executorsOfDifferentNumericEnvironmentsAreRefusedUnlessAccepted() {
        RunTask.Outcome avx512 = new RunTask.Outcome("probe-0", true, "1", "node1", "m1",
                "engine=PyTorch 2.7.1 cache=/c numeric-environment=aaaaaaaaaaaa (cpu=Intel(R) Xeon(R);cpu-flags=avx2,avx512f;reproducible=false)");
        RunTask.Outcome avx2 = new RunTask.Outcome("probe-1", true, "2", "node2", "m2",
                "engine=PyTorch 2.7.1 cache=/c numeric-environment=bbbbbbbbbbbb (cpu=AMD EPYC;cpu-flags=avx2;reproducible=false)");
        RunTask.Outcome avx512Again = new RunTask.Outcome("probe-2", true, "3", "node3", "m3", avx512.message());
        assertEquals(Optional.empty(), SparkEngine.checkEnvironments(List.of(avx512, avx512Again), false));
        SweepException e = assertThrows(SweepException.class, () -> SparkEngine.checkEnvironments(List.of(avx512, avx2, avx512Again), false));
        assertTrue(e.getMessage().startsWith("the executors run in 2 numeric environments"), e.getMessage());
        assertTrue(e.getMessage().contains("executor 1 on node1: aaaaaaaaaaaa (cpu=Intel(R) Xeon(R);") && e.getMessage().contains("executor 2 on node2: bbbbbbbbbbbb"),
                e.getMessage());
        assertTrue(e.getMessage().contains("--environment-change accept"), e.getMessage());
        assertTrue(SparkEngine.checkEnvironments(List.of(avx512, avx2), true).orElseThrow().startsWith("note: executors of 2 numeric environments"));
    }
}

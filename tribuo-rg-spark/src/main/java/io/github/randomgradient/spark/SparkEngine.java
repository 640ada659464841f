package io.github.randomgradient.spark;

import io.github.randomgradient.sweep.PlannedRun;
import io.github.randomgradient.sweep.RunExecutor;
import io.github.randomgradient.sweep.SweepEngine;
import io.github.randomgradient.sweep.SweepException;
import io.github.randomgradient.sweep.SweepJob;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.apache.spark.SparkContext;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;

/**
 * Runs a sweep as a Spark job: one run per task, each task training its run in a worker process
 * ({@link io.github.randomgradient.sweep.SweepWorker}) that trains one run at a time, because DJL
 * allows one gradient collector per JVM and an executor runs several tasks at once. Workers are
 * pooled per executor JVM, so each pays JVM start, planning and data loading once. Run directories are published by atomic rename from per-attempt
 * directories, so a retried or speculative attempt never mixes files with another; the attempt that
 * published a run is recorded in its {@code sweep-run.json}.
 * <p>
 * The job starts with an engine probe on every executor (host, Java, engine and version, native
 * cache directory), so a node that cannot load PyTorch fails the job with that text before any
 * training. The output directory must be storage that the driver and every executor see at the
 * same path (e.g. NFS); so must the config files, the data and the worker classpath.
 * <p>
 * The master comes from {@code spark.master} (spark-submit sets it); without one the engine runs
 * {@code local[workers]}. A run that fails on every attempt ({@code spark.task.maxFailures}, or
 * the {@code F} of {@code local[N,F]}) is reported and costs only itself.
 */
public final class SparkEngine implements SweepEngine {

    /**
     * The Java 17 flags Spark's launcher adds ({@code org.apache.spark.launcher.JavaModuleOptions});
     * a JVM started without them, e.g. {@code java -cp ...} instead of spark-submit, cannot run Spark.
     */
    public static final List<String> JAVA17_FLAGS = List.of("--add-opens=java.base/java.lang=ALL-UNNAMED",
            "--add-opens=java.base/java.lang.invoke=ALL-UNNAMED", "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED",
            "--add-opens=java.base/java.io=ALL-UNNAMED", "--add-opens=java.base/java.net=ALL-UNNAMED",
            "--add-opens=java.base/java.nio=ALL-UNNAMED", "--add-opens=java.base/java.util=ALL-UNNAMED",
            "--add-opens=java.base/java.util.concurrent=ALL-UNNAMED", "--add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED",
            "--add-opens=java.base/jdk.internal.ref=ALL-UNNAMED", "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
            "--add-opens=java.base/sun.nio.cs=ALL-UNNAMED", "--add-opens=java.base/sun.security.action=ALL-UNNAMED",
            "--add-opens=java.base/sun.util.calendar=ALL-UNNAMED");

    private static final Pattern LOCAL = Pattern.compile("local\\[(\\*|\\d+)(?:,\\s*(\\d+))?]");

    @Override
    public String name() {
        return "spark";
    }

    /**
     * Checks that this JVM was started with Spark's Java 17 flags.
     * @throws SweepException Naming the missing flags.
     */
    static void checkJavaFlags() {
        List<String> missing = new ArrayList<>();
        Module unnamed = SparkEngine.class.getClassLoader().getUnnamedModule();
        for (String flag : JAVA17_FLAGS) {
            String[] target = flag.substring("--add-opens=".length(), flag.indexOf('=', "--add-opens=".length())).split("/");
            if (!ModuleLayer.boot().findModule(target[0]).map(m -> m.isOpen(target[1], unnamed)).orElse(true)) {
                missing.add(flag);
            }
        }
        if (!missing.isEmpty()) {
            throw new SweepException("--engine spark needs the JVM flags Spark's launcher adds on Java 17; start with spark-submit, "
                    + "or add to JAVA_OPTS: " + String.join(" ", missing));
        }
    }

    @Override
    public List<String> execute(SweepJob job, List<PlannedRun> todo, PrintStream progress) {
        checkJavaFlags();
        SparkConf conf = new SparkConf().setAppName("tribuo-rg sweep " + job.sweepName());
        if (!conf.contains("spark.master")) {
            conf.setMaster("local[" + job.workers() + "]");
        }
        try (JavaSparkContext sc = JavaSparkContext.fromSparkContext(SparkContext.getOrCreate(conf))) {
            int maxFailures = maxFailures(sc.getConf());
            int slots = Math.max(1, sc.defaultParallelism());
            List<String> probes = sc.parallelize(IntStream.range(0, slots).mapToObj(i -> "probe-" + i).toList(), slots)
                    .map(new RunTask(job, RunTask.PROBE, maxFailures)).collect();
            for (String p : new TreeSet<>(probes)) {
                if (p.startsWith("failed")) {
                    throw new SweepException("engine probe on an executor " + p);
                }
                progress.println("executor engine: " + p);
            }
            AtomicInteger done = new AtomicInteger();
            long start = System.nanoTime();
            sc.sc().addSparkListener(new SparkListener() {
                @Override
                public void onTaskEnd(SparkListenerTaskEnd end) {
                    if (end.taskInfo().successful() && end.stageId() > 0) {
                        int d = done.incrementAndGet();
                        double elapsed = (System.nanoTime() - start) / 1e9;
                        progress.printf("runs %d/%d done, ETA %ds%n", d, todo.size(), Math.round(elapsed / d * (todo.size() - d)));
                    }
                }
            });
            List<String> ids = todo.stream().map(PlannedRun::id).toList();
            List<String> results = sc.parallelize(ids, ids.size()).map(new RunTask(job, RunTask.TRAIN, maxFailures)).collect();
            List<String> failed = new ArrayList<>();
            for (int i = 0; i < ids.size(); i++) {
                if (!results.get(i).equals("done")) {
                    failed.add(todo.get(i).dirName() + ": " + results.get(i));
                }
            }
            RunExecutor.deleteAttempts(Path.of(job.output()));   // leftovers of failed attempts; every task has ended
            return failed;
        } finally {
            RunTask.closePool(job);
        }
    }

    /** The attempts Spark gives a task: {@code spark.task.maxFailures}, or F of {@code local[N,F]} (1 for plain local). */
    static int maxFailures(SparkConf conf) {
        String master = conf.get("spark.master", "");
        Matcher m = LOCAL.matcher(master);
        if (master.equals("local") || m.matches()) {
            return m.matches() && m.group(2) != null ? Integer.parseInt(m.group(2)) : 1;
        }
        return conf.getInt("spark.task.maxFailures", 4);
    }
}

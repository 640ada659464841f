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
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;

/**
 * Runs a plan (a sweep or an experiment) as a Spark job: one run per task, each task training its run in a worker process
 * ({@link io.github.randomgradient.sweep.SweepWorker}) that trains one run at a time, because DJL
 * allows one gradient collector per JVM and an executor runs several tasks at once. Workers are
 * pooled per executor JVM, so each pays JVM start, planning and data loading once. Run directories are published by atomic rename from per-attempt
 * directories, so a retried or speculative attempt never mixes files with another; the attempt that
 * published a run is recorded in its {@code sweep-run.json}.
 * <p>
 * Every executor JVM is checked once per job before its first run ({@link RunTask}): it writes a
 * marker into the output directory and probes its engine (host, Java, engine and version, native
 * cache directory) in a fresh worker. The job starts with probe stages until every registered
 * executor has answered; an executor that joins later is checked by its first training task. A
 * probe failure or a marker the driver cannot see stops the job before any training (a
 * {@link SweepException}, exit 2); after training, a run an executor published that the driver
 * cannot read is a failed run. The output directory must be storage that the driver and every
 * executor see at the same path (e.g. NFS); so must the config files, the data and the worker
 * classpath, which is taken from {@code spark.jars} ({@link #withWorkerClasspath}).
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

    /**
     * {@inheritDoc}
     * <p>
     * On a cluster {@code --workers} plays no part: the runs that train at once are the executors'
     * task slots (executor cores / {@code spark.task.cpus}); only without a master ({@code local[workers]}) is it used.
     */
    @Override
    public String concurrency(int workers) {
        SparkConf conf = new SparkConf();
        String master = conf.get("spark.master", "local[" + workers + "]");
        if (master.startsWith("local")) {
            return master;
        }
        return "master " + master + "; one run per task slot, executor cores / spark.task.cpus " + conf.get("spark.task.cpus", "1")
                + "; --workers is not used";
    }

    @Override
    public List<String> execute(SweepJob job, List<PlannedRun> todo, PrintStream progress) {
        checkJavaFlags();
        SparkConf conf = new SparkConf().setAppName("tribuo-rg " + job.planKind() + " " + job.sweepName());
        if (!conf.contains("spark.master")) {
            conf.setMaster("local[" + job.workers() + "]");
        }
        try (JavaSparkContext sc = JavaSparkContext.fromSparkContext(SparkContext.getOrCreate(conf))) {
            SweepJob clusterJob = withWorkerClasspath(job, sc.getConf());
            try {
                return run(sc, clusterJob, todo, progress);
            } finally {
                RunTask.closePool(clusterJob);
            }
        }
    }

    private List<String> run(JavaSparkContext sc, SweepJob job, List<PlannedRun> todo, PrintStream progress) {
        int maxFailures = maxFailures(sc.getConf());
        Path output = Path.of(job.output());
        Map<String, RunTask.Outcome> checked = probe(sc, job, maxFailures);
        for (RunTask.Outcome p : checked.values()) {
            if (!p.ok()) {
                throw new SweepException(p.where() + ": " + p.message());
            }
            checkMarker(p);
            progress.println("executor " + p.executor() + " engine: " + p.message());
        }
        checkEnvironments(checked.values(), "accept".equals(job.systemProperties().get(ENVIRONMENT_CHANGE_PROPERTY))).ifPresent(progress::println);
        AtomicInteger done = new AtomicInteger();
        long start = System.nanoTime();
        sc.sc().addSparkListener(new SparkListener() {
            @Override
            public void onTaskEnd(SparkListenerTaskEnd end) {
                if (end.taskInfo().successful() && end.stageId() >= firstTrainStage) {
                    int d = done.incrementAndGet();
                    double elapsed = (System.nanoTime() - start) / 1e9;
                    progress.printf("runs %d/%d done, ETA %ds%n", d, todo.size(), Math.round(elapsed / d * (todo.size() - d)));
                }
            }
        });
        List<String> ids = todo.stream().map(PlannedRun::id).toList();
        List<RunTask.Outcome> results = sc.parallelize(ids, ids.size()).map(new RunTask(job, RunTask.TRAIN, maxFailures)).collect();
        List<String> failed = new ArrayList<>();
        for (int i = 0; i < ids.size(); i++) {
            RunTask.Outcome r = results.get(i);
            PlannedRun run = todo.get(i);
            if (!r.ok()) {
                failed.add(run.dirName() + ": " + r.message());
                continue;
            }
            if (!checked.containsKey(r.executor())) {
                progress.println("executor " + r.executor() + " (joined later) was probed before its first run");
                checked.put(r.executor(), r);
            }
            Optional<String> unseen = unseen(output, run, r);
            unseen.ifPresent(why -> failed.add(run.dirName() + ": " + why));
        }
        RunExecutor.deleteAttempts(output);   // leftovers of failed attempts; every task has ended
        return failed;
    }

    /** The probe rounds' stages come first (ids from 0 in a new context); progress counts the training stage's tasks. */
    private int firstTrainStage;

    /**
     * Checks every executor that Spark has registered, each once per job: rounds of one task per
     * task slot, until every registered executor has answered (at most 3 rounds; an executor that
     * joins later is checked before its first run, {@link RunTask}).
     */
    private Map<String, RunTask.Outcome> probe(JavaSparkContext sc, SweepJob job, int maxFailures) {
        Map<String, RunTask.Outcome> byExecutor = new TreeMap<>();
        boolean local = sc.master().startsWith("local");
        for (int round = 0; round < 3; round++) {
            firstTrainStage = round + 1;
            int slots = Math.max(1, sc.defaultParallelism());
            int r = round;
            List<RunTask.Outcome> answers = sc.parallelize(IntStream.range(0, slots).mapToObj(i -> "probe-" + r + "-" + i).toList(), slots)
                    .map(new RunTask(job, RunTask.PROBE, maxFailures)).collect();
            answers.forEach(a -> byExecutor.putIfAbsent(a.executor(), a));
            int registered = local ? 1 : sc.sc().getExecutorMemoryStatus().size() - 1;   // less the driver's block manager
            if (byExecutor.size() >= registered) {
                break;
            }
        }
        return byExecutor;
    }

    /**
     * The driver must see the marker each executor wrote into the output directory: else the
     * executors write runs where the driver (and its report) cannot read them.
     * @throws SweepException Naming the executor and the path.
     */
    /**
     * The system property (set by {@code sweep --environment-change}, passed to workers with the
     * job's {@code tribuo.rg.*} properties) that lets executors of different numeric environments train one sweep.
     */
    static final String ENVIRONMENT_CHANGE_PROPERTY = "tribuo.rg.environmentChange";

    private static final java.util.regex.Pattern DIGEST = java.util.regex.Pattern.compile("numeric-environment=([0-9a-f]{12}) ");

    /**
     * Executors whose numeric environments differ compute different numbers for the same run, so one sweep
     * must not mix them silently. In reproducible mode the environments' digests leave the CPU out, so
     * executors with different AVX2 CPUs agree.
     * @param probes The executors' probe outcomes (their messages end with {@code numeric-environment=DIGEST (...)}).
     * @param accept True if the user accepted a mix ({@code --environment-change accept}).
     * @return A note to print when a mix was accepted, else empty.
     * @throws SweepException If the executors report more than one environment and the mix was not accepted;
     *     the message names each environment and its executors.
     */
    static Optional<String> checkEnvironments(java.util.Collection<RunTask.Outcome> probes, boolean accept) {
        Map<String, List<String>> byDigest = new TreeMap<>();
        for (RunTask.Outcome p : probes) {
            java.util.regex.Matcher m = DIGEST.matcher(p.message());
            if (m.find()) {
                byDigest.computeIfAbsent(m.group(1), k -> new ArrayList<>()).add(p.where() + ": "
                        + p.message().substring(m.start() + "numeric-environment=".length()));
            }
        }
        if (byDigest.size() <= 1) {
            return Optional.empty();
        }
        String described = byDigest.values().stream().map(l -> String.join(" | ", l)).collect(java.util.stream.Collectors.joining("; "));
        if (accept) {
            return Optional.of("note: executors of " + byDigest.size() + " numeric environments train this sweep "
                    + "(--environment-change accept): " + described);
        }
        throw new SweepException("the executors run in " + byDigest.size() + " numeric environments, which give different "
                + "numbers for the same run: " + described + "; use --reproducible (one environment on every AVX2 machine), "
                + "executors of one kind, or --environment-change accept to mix them");
    }

    static void checkMarker(RunTask.Outcome p) {
        if (!Files.isRegularFile(Path.of(p.marker()))) {
            throw new SweepException(p.where() + " wrote its marker " + p.marker() + " into the output directory, but the driver "
                    + "cannot see it: the output directory must be storage that the driver and every executor share at the same "
                    + "path (e.g. NFS), not a directory local to each node");
        }
    }

    /** Why the driver cannot count a run that an executor reports published, if it cannot. */
    static Optional<String> unseen(Path output, PlannedRun run, RunTask.Outcome r) {
        Path dir = RunExecutor.runDir(output, run);
        if (!RunExecutor.isDone(output, run)) {
            return Optional.of("published by " + r.where() + " (" + r.message() + "), but the driver cannot read " + dir
                    + (Files.isRegularFile(Path.of(r.marker())) ? "" : " nor that executor's marker " + r.marker())
                    + ": the output directory must be storage that the driver and every executor share");
        }
        try {
            String id = RunExecutor.readRecord(dir).id();
            return id.equals(run.id()) ? Optional.empty()
                    : Optional.of(dir + " holds run " + id + ", not " + run.id());
        } catch (java.io.UncheckedIOException e) {
            return Optional.of("published by " + r.where() + ", but the driver cannot read its record: " + e.getMessage());
        }
    }

    /**
     * The job with the worker classpath taken from {@code spark.jars} when every entry is a local path
     * ({@code local:} jars exist at the same path on every node; {@code tribuo-rg-submit} passes the
     * distribution so), unless {@code tribuo.rg.worker.classpath} names one. Under {@code spark-submit}
     * the driver's own class path holds only Spark's jars.
     */
    static SweepJob withWorkerClasspath(SweepJob job, SparkConf conf) {
        if (System.getProperty("tribuo.rg.worker.classpath") != null || !conf.contains("spark.jars")) {
            return job;
        }
        List<String> paths = new ArrayList<>();
        for (String entry : conf.get("spark.jars").split(",")) {
            String e = entry.strip();
            if (e.isEmpty()) {
                continue;
            }
            java.net.URI uri;
            try {
                uri = java.net.URI.create(e);
            } catch (IllegalArgumentException ex) {
                paths.add(e);
                continue;
            }
            if (uri.getScheme() == null) {
                paths.add(e);
            } else if (uri.getScheme().equals("local") || uri.getScheme().equals("file")) {
                paths.add(uri.getPath());
            } else {
                return job;   // a jar Spark downloads: the workers cannot use it by path
            }
        }
        if (paths.isEmpty()) {
            return job;
        }
        return job.withClasspath(String.join(java.io.File.pathSeparator, paths));
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

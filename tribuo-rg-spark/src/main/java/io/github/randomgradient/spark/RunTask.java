package io.github.randomgradient.spark;

import io.github.randomgradient.sweep.SweepException;
import io.github.randomgradient.sweep.SweepJob;
import io.github.randomgradient.sweep.SweepWorker;
import io.github.randomgradient.sweep.WorkerProcess;
import org.apache.spark.SparkEnv;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.Function;
import org.apache.spark.resource.ResourceInformation;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * A Spark task body. {@link #TRAIN}: trains the run whose identity is the element in a worker
 * process borrowed from this executor JVM's pool (a worker trains one run at a time, so concurrent
 * tasks never share a gradient collector; a pooled worker has already planned the sweep and
 * loaded the data). {@link #PROBE}: checks this executor and reports it.
 * <p>
 * Every executor JVM is checked once per job, before its first run, whether it joined at the start
 * or later: it writes its marker into the output directory ({@link #marker}) and starts a worker
 * that loads the engine (the probe). The driver checks that it sees every marker.
 * <p>
 * A failed attempt throws, so Spark retries it; the last attempt returns the failure instead, so
 * a run that fails every time costs only itself, not the job. A worker that dies, even while it
 * starts, is discarded and counts as a failed attempt.
 */
final class RunTask implements Function<String, RunTask.Outcome> {
    private static final long serialVersionUID = 1L;

    /** Mode: train the run whose identity is the element. */
    static final int TRAIN = 0;
    /** Mode: check the executor (marker and engine probe). */
    static final int PROBE = 1;

    /** The task's outcome, sent back to the driver. */
    record Outcome(String element, boolean ok, String executor, String host, String marker, String message) implements Serializable {
        /** @return The executor as the driver names it. */
        String where() {
            return "executor " + executor + " on " + host;
        }
    }

    /** This executor JVM's check per job: the probe line, or the failure. */
    private record Check(boolean ok, String marker, String message) {}

    /** Idle workers of this executor JVM, per job and assigned GPU. */
    private static final Map<PoolKey, Queue<WorkerProcess>> POOL = new ConcurrentHashMap<>();
    private static final Map<SweepJob, Check> CHECKED = new ConcurrentHashMap<>();

    private record PoolKey(SweepJob job, String gpus) {}

    private final SweepJob job;
    private final int mode;
    private final int maxFailures;

    RunTask(SweepJob job, int mode, int maxFailures) {
        this.job = job;
        this.mode = mode;
        this.maxFailures = maxFailures;
    }

    @Override
    public Outcome call(String element) throws Exception {
        TaskContext ctx = TaskContext.get();
        String executor = SparkEnv.get().executorId();
        String host = SparkEnv.get().blockManager().blockManagerId().host();
        String appId = SparkEnv.get().conf().getAppId();
        Path logs = Path.of(job.output()).resolve("logs");
        Check check = CHECKED.computeIfAbsent(job, j -> check(appId, executor, host, logs));
        if (mode == PROBE) {
            return new Outcome(element, check.ok(), executor, host, check.marker(), check.message());
        }
        Optional<String> gpus = gpus(ctx.resourcesJMap());
        String attempt = "spark-stage" + ctx.stageId() + "-task" + ctx.partitionId() + "-attempt" + ctx.attemptNumber()
                + gpus.map(g -> "-gpu" + g.replace(',', '+')).orElse("");
        String error;
        if (!check.ok()) {
            error = "executor " + executor + " on " + host + " cannot train: " + check.message();
        } else {
            error = train(element, attempt, gpus, logs);
        }
        if (error == null) {
            return new Outcome(element, true, executor, host, check.marker(), attempt);
        }
        if (error.startsWith("broken: ") || ctx.attemptNumber() + 1 >= maxFailures) {
            return new Outcome(element, false, executor, host, check.marker(), error);
        }
        throw new IOException("run " + element + " " + attempt + " on executor " + executor + " (" + host + ") failed: " + error);
    }

    /** Trains one run; null on success, the error otherwise ({@code broken: } if the worker cannot plan the sweep). */
    private String train(String element, String attempt, Optional<String> gpus, Path logs) {
        Queue<WorkerProcess> idle = POOL.computeIfAbsent(new PoolKey(job, gpus.orElse("")), k -> new ConcurrentLinkedQueue<>());
        WorkerProcess worker = idle.poll();
        Path log = logs.resolve("spark-worker-" + UUID.randomUUID() + ".log");
        try {
            if (worker == null) {
                worker = WorkerProcess.start(workerProcess(job, gpus), log);
            }
            String error = worker.train(element, attempt);
            idle.add(worker);
            return error;
        } catch (IOException e) {
            // Died while starting (worker still null) or while training: either way this attempt failed.
            if (worker != null) {
                worker.destroy();
            }
            return "worker died (" + e.getMessage() + "; log " + log + ")";
        } catch (SweepException e) {
            return "broken: " + e.getMessage();   // the worker cannot plan the sweep: retrying cannot help
        }
    }

    /**
     * A worker's process: in the driver's working directory where this node has it (relative paths in
     * the configs resolve against it), else in the executor's own; with the GPUs Spark assigned to the
     * task as its only visible devices.
     */
    static ProcessBuilder workerProcess(SweepJob job, Optional<String> gpus, String... extraArgs) {
        ProcessBuilder pb = job.workerProcess(extraArgs);
        if (!Files.isDirectory(Path.of(job.workingDirectory()))) {
            pb.directory(null);
        }
        gpus.ifPresent(g -> pb.environment().put("CUDA_VISIBLE_DEVICES", g));
        return pb;
    }

    /**
     * The GPUs Spark assigned to a task ({@code spark.task.resource.gpu.amount}), as CUDA device indices.
     * @param resources The task's resources ({@link TaskContext#resourcesJMap()}).
     * @return The comma-separated addresses of resource {@code gpu}, if any.
     */
    static Optional<String> gpus(Map<String, ResourceInformation> resources) {
        ResourceInformation gpu = resources == null ? null : resources.get("gpu");
        if (gpu == null || gpu.addresses().length == 0) {
            return Optional.empty();
        }
        return Optional.of(String.join(",", Arrays.asList(gpu.addresses())));
    }

    /**
     * The marker an executor writes before its first run: {@code logs/spark-<app>/executor-<id>.marker}.
     * @param output The output directory.
     * @param appId The Spark application's id.
     * @param executor The executor's id.
     * @return The marker's path.
     */
    static Path marker(Path output, String appId, String executor) {
        return output.resolve("logs").resolve("spark-" + appId).resolve("executor-" + executor + ".marker");
    }

    /** Writes this executor's marker, then probes the engine in a fresh worker. */
    private Check check(String appId, String executor, String host, Path logs) {
        Path marker = marker(Path.of(job.output()), appId, executor);
        try {
            Files.createDirectories(marker.getParent());
            Files.writeString(marker, "executor " + executor + " on " + host + "\n");
        } catch (IOException | RuntimeException e) {
            return new Check(false, marker.toString(), "cannot write its marker " + marker + " into the output directory ("
                    + e.getClass().getSimpleName() + ": " + e.getMessage() + ")");
        }
        Path log = logs.resolve("probe-executor-" + executor + "-" + UUID.randomUUID() + ".log");
        String answer = null;
        int status = -1;
        try {
            Process p = workerProcess(job, Optional.empty(), "--probe", "true").redirectError(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
            try (BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = out.readLine(); line != null; line = out.readLine()) {
                    if (line.startsWith(SweepWorker.PREFIX)) {
                        answer = line.substring(SweepWorker.PREFIX.length());
                    }
                }
                status = p.waitFor();
            } finally {
                if (p.isAlive()) {
                    p.destroyForcibly();
                }
            }
        } catch (IOException e) {
            return new Check(false, marker.toString(), "cannot start a worker (" + e.getMessage() + ")");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Check(false, marker.toString(), "interrupted while probing the engine");
        }
        if (status == 0 && answer != null && answer.startsWith("probe ")) {
            return new Check(true, marker.toString(), answer.substring("probe ".length()));
        }
        return new Check(false, marker.toString(), "engine probe failed: " + (answer == null ? "worker exit status " + status
                : answer.replaceFirst("^broken ", "")) + " (log " + log + ")");
    }

    /** Closes this JVM's idle workers of a job (the driver's, in local mode; executors' workers exit with them). */
    static void closePool(SweepJob job) {
        CHECKED.remove(job);
        POOL.entrySet().removeIf(e -> {
            if (e.getKey().job().equals(job)) {
                e.getValue().forEach(WorkerProcess::close);
                return true;
            }
            return false;
        });
    }
}

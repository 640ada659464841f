package io.github.randomgradient.spark;

import io.github.randomgradient.sweep.SweepException;
import io.github.randomgradient.sweep.SweepJob;
import io.github.randomgradient.sweep.SweepWorker;
import io.github.randomgradient.sweep.WorkerProcess;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.Function;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Queue;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * A Spark task body. {@link #TRAIN}: trains the run whose identity is the element in a worker
 * process borrowed from this executor JVM's pool (a worker trains one run at a time, so concurrent
 * tasks never share a gradient collector; a pooled worker has already planned the sweep and
 * loaded the data). {@link #PROBE}: starts a fresh worker that loads the engine and reports it.
 * <p>
 * A failed attempt throws, so Spark retries it; the last attempt returns the failure instead, so
 * a run that fails every time costs only itself, not the job. A worker that dies is discarded.
 */
final class RunTask implements Function<String, String> {
    private static final long serialVersionUID = 1L;

    /** Mode: train the run whose identity is the element. */
    static final int TRAIN = 0;
    /** Mode: probe the executor's engine. */
    static final int PROBE = 1;

    /** Idle workers of this executor JVM, per job. */
    private static final Map<SweepJob, Queue<WorkerProcess>> POOL = new ConcurrentHashMap<>();

    private final SweepJob job;
    private final int mode;
    private final int maxFailures;

    RunTask(SweepJob job, int mode, int maxFailures) {
        this.job = job;
        this.mode = mode;
        this.maxFailures = maxFailures;
    }

    @Override
    public String call(String element) throws Exception {
        TaskContext ctx = TaskContext.get();
        String attempt = "spark-stage" + ctx.stageId() + "-task" + ctx.partitionId() + "-attempt" + ctx.attemptNumber();
        Path logs = Path.of(job.output()).resolve("logs");
        Files.createDirectories(logs);
        if (mode == PROBE) {
            return probe(logs.resolve("probe-" + attempt + ".log"));
        }
        Queue<WorkerProcess> idle = POOL.computeIfAbsent(job, j -> new ConcurrentLinkedQueue<>());
        WorkerProcess worker = idle.poll();
        Path log = logs.resolve("spark-worker-" + UUID.randomUUID() + ".log");
        String error;
        try {
            if (worker == null) {
                worker = WorkerProcess.start(job, log);
            }
            error = worker.train(element, attempt);
            idle.add(worker);
        } catch (IOException e) {
            worker.destroy();
            error = "worker died (" + e.getMessage() + ")";
        } catch (SweepException e) {
            return "failed: " + e.getMessage();   // the worker cannot plan the sweep: retrying cannot help
        }
        if (error == null) {
            return "done";
        }
        if (ctx.attemptNumber() + 1 >= maxFailures) {
            return "failed: " + error;
        }
        throw new IOException("run " + element + " " + attempt + " failed: " + error);
    }

    private String probe(Path log) throws IOException, InterruptedException {
        Process p = job.workerProcess("--probe", "true").redirectError(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        String answer = null;
        try (BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = out.readLine(); line != null; line = out.readLine()) {
                if (line.startsWith(SweepWorker.PREFIX)) {
                    answer = line.substring(SweepWorker.PREFIX.length());
                }
            }
            int status = p.waitFor();
            return status == 0 && answer != null ? answer.replaceFirst("^probe ", "")
                    : "failed: " + (answer == null ? "worker exit status " + status : answer) + " (log " + log + ")";
        } finally {
            if (p.isAlive()) {
                p.destroyForcibly();
            }
        }
    }

    /** Closes this JVM's idle workers of a job (the driver's, in local mode; executors' workers exit with them). */
    static void closePool(SweepJob job) {
        Queue<WorkerProcess> idle = POOL.remove(job);
        if (idle != null) {
            idle.forEach(WorkerProcess::close);
        }
    }
}

package io.github.randomgradient.sweep;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs a sweep on this machine with N worker processes ({@link SweepWorker}), each with one
 * PyTorch thread, pulling runs from one queue. A worker that dies (crash, out of memory, killed)
 * costs only the run it was training: the run is reported, queued again once, and a fresh worker
 * takes over. Worker logs go to {@code <output>/logs/worker-<k>.log}.
 */
public final class LocalEngine implements SweepEngine {

    /** Attempts per run: the first and one retry. */
    public static final int MAX_ATTEMPTS = 2;

    @Override
    public String name() {
        return "local";
    }

    private record Task(PlannedRun run, int attempt) {}

    @Override
    public List<String> execute(SweepJob job, List<PlannedRun> todo, PrintStream progress) {
        LinkedBlockingQueue<Task> queue = new LinkedBlockingQueue<>();
        todo.forEach(r -> queue.add(new Task(r, 1)));
        AtomicInteger outstanding = new AtomicInteger(todo.size());
        Progress bar = new Progress(todo.size(), progress);
        Map<String, String> failed = new ConcurrentHashMap<>();
        Path logs = Path.of(job.output()).resolve("logs");
        try {
            Files.createDirectories(logs);
        } catch (IOException e) {
            throw new SweepException("cannot create " + logs + ": " + e.getMessage(), e);
        }
        int n = Math.max(1, Math.min(job.workers(), todo.size()));
        List<Thread> threads = new ArrayList<>();
        for (int k = 1; k <= n; k++) {
            int index = k;
            Thread t = new Thread(() -> workerLoop(job, index, logs.resolve("worker-" + index + ".log"), queue, outstanding, bar, failed, progress),
                    "sweep-worker-" + k);
            threads.add(t);
            t.start();
        }
        for (Thread t : threads) {
            try {
                t.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new SweepException("interrupted while waiting for the workers", e);
            }
        }
        List<String> out = new ArrayList<>();
        failed.forEach((dir, why) -> out.add(dir + ": " + why));
        Collections.sort(out);
        return out;
    }

    private static void workerLoop(SweepJob job, int index, Path log, LinkedBlockingQueue<Task> queue, AtomicInteger outstanding,
                                   Progress bar, Map<String, String> failed, PrintStream progress) {
        WorkerProcess worker = null;
        try {
            while (outstanding.get() > 0) {
                Task task = queue.poll(200, TimeUnit.MILLISECONDS);
                if (task == null) {
                    continue;
                }
                String error;
                try {
                    if (worker == null) {
                        worker = WorkerProcess.start(job, log);
                    }
                    error = worker.train(task.run().id(), "local-" + task.attempt());
                } catch (SweepException e) {
                    error = "broken: " + e.getMessage();
                } catch (IOException e) {
                    error = "worker " + index + " died (" + e.getMessage() + "; log " + log + ")";
                    if (worker != null) {
                        worker.destroy();
                    }
                    worker = null;
                }
                if (error == null) {
                    outstanding.decrementAndGet();
                    bar.done(task.run());
                } else if (task.attempt() < MAX_ATTEMPTS && !error.startsWith("broken") && !error.contains("Training diverged")) {
                    // A divergence under FAIL is deterministic (same seed, same run): retrying would only repeat it.
                    progress.println("run " + task.run().dirName() + " failed (" + error + "); retrying once");
                    queue.add(new Task(task.run(), task.attempt() + 1));
                } else {
                    progress.println("run " + task.run().dirName() + " failed (" + error + ")");
                    failed.put(task.run().dirName(), error);
                    outstanding.decrementAndGet();
                    bar.done(null);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            if (worker != null) {
                worker.close();
            }
        }
    }

    /** Prints "runs done/total" with an ETA after every run. */
    static final class Progress {
        private final int total;
        private final PrintStream out;
        private final long start = System.nanoTime();
        private int done;

        Progress(int total, PrintStream out) {
            this.total = total;
            this.out = out;
        }

        synchronized void done(PlannedRun run) {
            done++;
            double elapsed = (System.nanoTime() - start) / 1e9;
            double eta = elapsed / done * (total - done);
            out.printf("runs %d/%d done, ETA %s%s%n", done, total, duration(eta), run == null ? "" : " (" + run.dirName() + ")");
        }

        static String duration(double seconds) {
            long s = Math.round(seconds);
            return s >= 3600 ? String.format("%dh%02dm", s / 3600, (s % 3600) / 60) : String.format("%dm%02ds", s / 60, s % 60);
        }
    }
}

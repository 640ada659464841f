package io.github.randomgradient.sweep;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * A running {@link SweepWorker} process and its pipes: it plans the sweep and loads the data once,
 * then trains the runs it is sent one at a time. Its log (standard error) is appended to a file.
 */
public final class WorkerProcess implements AutoCloseable {
    private final Process process;
    private final BufferedWriter in;
    private final BufferedReader out;

    private WorkerProcess(Process process) {
        this.process = process;
        this.in = new BufferedWriter(new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8));
        this.out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    }

    /**
     * Starts a worker and waits until it has planned the sweep and loaded the data.
     * @param job The job.
     * @param log The log file.
     * @return The worker.
     * @throws IOException If the process dies while starting.
     * @throws SweepException If the worker cannot plan the sweep or load its data.
     */
    public static WorkerProcess start(SweepJob job, Path log) throws IOException {
        return start(job.workerProcess(), log);
    }

    /**
     * Starts a worker from a builder of {@link SweepJob#workerProcess(String...)} that an engine has adapted
     * (its working directory, its environment, e.g. the GPU a cluster assigned), and waits until it is ready.
     * @param builder The builder.
     * @param log The log file.
     * @return The worker.
     * @throws IOException If the process cannot start or dies while starting.
     * @throws SweepException If the worker cannot plan the sweep or load its data.
     */
    public static WorkerProcess start(ProcessBuilder builder, Path log) throws IOException {
        ProcessBuilder pb = builder.redirectError(ProcessBuilder.Redirect.appendTo(log.toFile()));
        WorkerProcess w = new WorkerProcess(pb.start());
        String answer = w.answer();
        if (!answer.equals("ready")) {
            w.destroy();
            throw new SweepException("a sweep worker could not start: " + answer.replaceFirst("^broken ", "") + " (log " + log + ")");
        }
        return w;
    }

    /**
     * Trains one run.
     * @param id The run identity.
     * @param attempt The attempt's name.
     * @return Null on success, the worker's error otherwise.
     * @throws IOException If the worker died (its exit status is in the message).
     */
    public String train(String id, String attempt) throws IOException {
        in.write("run " + id + " " + attempt + "\n");
        in.flush();
        String answer = answer();
        if (answer.startsWith("done ")) {
            return null;
        }
        return answer.startsWith("failed ") ? answer.substring(("failed " + id + " ").length()) : answer;
    }

    private String answer() throws IOException {
        for (String line = out.readLine(); line != null; line = out.readLine()) {
            if (line.startsWith(SweepWorker.PREFIX)) {
                return line.substring(SweepWorker.PREFIX.length());
            }
        }
        int status;
        try {
            status = process.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            status = -1;
        }
        throw new IOException("exit status " + status);
    }

    /** Kills the worker. */
    public void destroy() {
        process.destroyForcibly();
    }

    /** Closes its input so it exits, waiting up to 30 s before killing it. */
    @Override
    public void close() {
        try {
            in.close();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (IOException | InterruptedException e) {
            process.destroyForcibly();
        }
    }
}

package io.github.randomgradient.sweep;

import io.github.randomgradient.cli.RunRecorder;
import io.github.randomgradient.history.HeldOutEvaluatingTrainer;
import io.github.randomgradient.report.RunFiles;
import org.tribuo.Model;
import org.tribuo.Trainer;
import org.tribuo.classification.Label;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Trains one planned run and publishes its directory atomically.
 * <p>
 * Every attempt writes into its own hidden directory {@code runs/.attempt-<run>-<attempt>/} and,
 * once every file is written, renames it to {@code runs/<run>/}. A run directory therefore comes
 * from exactly one attempt (recorded in {@value SweepRunRecord#FILE}); an attempt that finds the
 * run already published (a retried or speculative duplicate) discards its own files, and an
 * attempt killed half way leaves only a hidden directory that the next plan deletes.
 */
public final class RunExecutor {

    /**
     * System property for tests only (engines pass {@code tribuo.rg.*} properties to workers):
     * {@code halt:MARKER} makes the first attempt that finds no file {@code MARKER} create it and
     * halt the JVM (exit status 137, as if killed) after writing half the run's files.
     */
    public static final String CRASH_HOOK = "tribuo.rg.sweep.test-crash";

    private RunExecutor() {}

    /**
     * The published directory of a run.
     * @param output The sweep output directory.
     * @param run The run.
     * @return {@code output/runs/<dirName>}.
     */
    public static Path runDir(Path output, PlannedRun run) {
        return output.resolve("runs").resolve(run.dirName());
    }

    /**
     * Is the run published and complete?
     * @param output The sweep output directory.
     * @param run The run.
     * @return True if its directory exists with every file.
     */
    public static boolean isDone(Path output, PlannedRun run) {
        Path dir = runDir(output, run);
        return RunFiles.at(dir).isComplete() && Files.isRegularFile(dir.resolve(SweepRunRecord.FILE));
    }

    /**
     * Trains a run (unless it is already published) and publishes its directory.
     * @param plan The plan.
     * @param run The run.
     * @param data The sweep's data.
     * @param output The sweep output directory.
     * @param attempt The attempt's name, recorded in the run directory.
     * @return True if this attempt published the run, false if it was already published.
     * @throws UncheckedIOException If files cannot be written or moved.
     */
    @SuppressWarnings("unchecked")
    public static boolean execute(SweepPlan plan, PlannedRun run, SweepData data, Path output, String attempt) {
        if (isDone(output, run)) {
            return false;
        }
        Path tmp = output.resolve("runs").resolve(".attempt-" + run.dirName() + "-" + attempt);
        deleteTree(tmp);
        Trainer<Label> trainer = plan.trainer(run);
        long start = System.nanoTime();
        Model<Label> model = trainer instanceof HeldOutEvaluatingTrainer
                ? ((HeldOutEvaluatingTrainer<Label>) trainer).train(data.train(), data.test(), "test", Map.of())
                : trainer.train(data.train());
        double seconds = (System.nanoTime() - start) / 1e9;
        RunFiles files = RunFiles.at(tmp);
        RunRecorder.record(files, run.armLabel(), run.seed(), model, data.test(), data.train().size(), seconds);
        crashHook();
        files.writeJson(SweepRunRecord.FILE, new SweepRunRecord(run.id(), run.arm(), run.rgScale(), run.grid(), run.overrides(),
                run.seed(), attempt, RunRecorder.evaluate(model, data.validation())));
        Path dir = runDir(output, run);
        try {
            Files.move(tmp, dir, StandardCopyOption.ATOMIC_MOVE);
            return true;
        } catch (IOException e) {
            if (isDone(output, run)) {
                deleteTree(tmp);   // another attempt published first
                return false;
            }
            throw new UncheckedIOException("could not publish " + tmp + " as " + dir, e);
        }
    }

    /**
     * Deletes every unpublished attempt directory under {@code output/runs}.
     * @param output The sweep output directory.
     * @return The number deleted.
     */
    public static int deleteAttempts(Path output) {
        Path runs = output.resolve("runs");
        if (!Files.isDirectory(runs)) {
            return 0;
        }
        int n = 0;
        try (Stream<Path> s = Files.list(runs)) {
            for (Path p : (Iterable<Path>) s::iterator) {
                if (p.getFileName().toString().startsWith(".attempt-")) {
                    deleteTree(p);
                    n++;
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not list " + runs, e);
        }
        return n;
    }

    private static void crashHook() {
        String hook = System.getProperty(CRASH_HOOK);
        if (hook != null && hook.startsWith("halt:")) {
            Path marker = Path.of(hook.substring("halt:".length()));
            try {
                Files.createFile(marker);
            } catch (IOException e) {
                return;   // already crashed once
            }
            Runtime.getRuntime().halt(137);
        }
    }

    static void deleteTree(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) s.sorted(Comparator.reverseOrder())::iterator) {
                Files.delete(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not delete " + dir, e);
        }
    }
}

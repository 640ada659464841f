package io.github.randomgradient.sweep;

import io.github.randomgradient.run.RunRecorder;
import io.github.randomgradient.history.DivergedRunException;
import io.github.randomgradient.history.HeldOutEvaluatingTrainer;
import io.github.randomgradient.run.RunFiles;
import org.tribuo.Model;
import org.tribuo.Trainer;
import org.tribuo.classification.Label;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Trains one planned run of any {@link RunPlan} (experiment or sweep) and publishes its directory atomically.
 * <p>
 * Every attempt writes into its own hidden directory beside the run's, {@code .attempt-<run>-<attempt>/}
 * (its name bounded, {@link #attemptDir}) and,
 * once every file is written, renames it to the run's directory ({@code runs/<run>/} in a sweep,
 * {@code runs/<trainer>/seed-<seed>/} in an experiment). A run directory therefore comes
 * from exactly one attempt (recorded in {@value SweepRunRecord#FILE}); an attempt that finds the
 * run already published (a retried or speculative duplicate) discards its own files, and an
 * attempt killed half way leaves only a hidden directory that the next plan deletes.
 */
public final class RunExecutor {

    /**
     * System property for tests only (engines pass {@code tribuo.rg.*} properties to workers):
     * {@code halt:MARKER} makes the first attempt that finds no file {@code MARKER} create it and
     * halt the JVM (exit status 137, as if killed) after writing half the run's files; {@code start-halt}
     * makes every worker process that is not a probe halt the same way as it starts, before it is ready
     * (as a worker killed for memory while loading the data).
     */
    public static final String CRASH_HOOK = "tribuo.rg.sweep.test-crash";

    private RunExecutor() {}

    /**
     * The published directory of a run.
     * @param output The output directory.
     * @param run The run.
     * @return {@code output/runs/<dirName>}.
     */
    public static Path runDir(Path output, PlannedRun run) {
        return output.resolve("runs").resolve(run.dirName());
    }

    /**
     * Is the run published: a complete run directory, or the record of a run that diverged under
     * {@code divergencePolicy=FAIL}?
     * @param output The sweep output directory.
     * @param run The run.
     * @return True if its directory exists with every file, or with its divergence record.
     */
    public static boolean isDone(Path output, PlannedRun run) {
        return isPublished(runDir(output, run));
    }

    private static boolean isPublished(Path dir) {
        Path record = recordFile(dir);
        if (!Files.isRegularFile(record)) {
            return false;
        }
        if (RunFiles.at(dir).isComplete()) {
            return true;
        }
        try {
            SweepRunRecord r = readRecord(dir);
            return r.divergence() != null && !Files.exists(dir.resolve(RunFiles.RUN));
        } catch (UncheckedIOException e) {
            return false;
        }
    }

    /**
     * The record file of a run directory: {@value SweepRunRecord#FILE} (a sweep's) if present, else
     * {@value SweepRunRecord#EXPERIMENT_FILE} (an experiment's).
     * @param dir The run directory.
     * @return The file, which may not exist.
     */
    public static Path recordFile(Path dir) {
        Path sweep = dir.resolve(SweepRunRecord.FILE);
        return Files.exists(sweep) ? sweep : dir.resolve(SweepRunRecord.EXPERIMENT_FILE);
    }

    /**
     * Reads a run directory's record ({@link #recordFile}).
     * @param dir The run directory.
     * @return The record.
     * @throws UncheckedIOException If it is missing or unreadable.
     */
    public static SweepRunRecord readRecord(Path dir) {
        Path file = recordFile(dir);
        try {
            return RunFiles.JSON.readValue(file.toFile(), SweepRunRecord.class);
        } catch (IOException e) {
            throw new UncheckedIOException("could not read " + file, e);
        }
    }

    /** The prefix of every hidden attempt directory. */
    static final String ATTEMPT_PREFIX = ".attempt-";

    /**
     * The hidden directory an attempt writes before it publishes, beside the run's directory:
     * {@code .attempt-<run>-<attempt>} ({@code <run>} the last part of {@link PlannedRun#dirName()}),
     * shortened with {@link RunFiles#boundedName(String, int)} to {@value RunFiles#MAX_NAME_BYTES} bytes
     * of UTF-8 whatever the run's name and the engine's attempt name (e.g. {@code local-2},
     * {@code spark-stage3-task17-attempt2}), so no engine fails on a long name after training.
     * @param output The sweep output directory.
     * @param run The run.
     * @param attempt The attempt's name.
     * @return The directory.
     */
    public static Path attemptDir(Path output, PlannedRun run, String attempt) {
        Path dir = runDir(output, run);
        return dir.getParent().resolve(ATTEMPT_PREFIX
                + RunFiles.boundedName(dir.getFileName() + "-" + attempt, RunFiles.MAX_NAME_BYTES - ATTEMPT_PREFIX.length()));
    }

    /**
     * Trains a run (unless it is already published) and publishes its directory.
     * <p>
     * A run that diverges under {@code divergencePolicy=FAIL} (its trainer throws
     * {@link DivergedRunException}) is published too, as its {@link SweepRunRecord} with the
     * {@link io.github.randomgradient.history.Divergence} and no model: the divergence is the run's
     * deterministic outcome (same configuration, same seed), so a rerun keeps it instead of training it again.
     * A plan that does not publish divergences ({@link RunPlan#publishesDivergence()}, an experiment) gets the
     * exception instead, and nothing is published.
     * <p>
     * The run is evaluated on the validation split too when the data has one (a sweep's).
     * @param plan The plan.
     * @param run The run.
     * @param data The plan's data.
     * @param output The output directory.
     * @param attempt The attempt's name, recorded in the run directory.
     * @return True if this attempt published the run, false if it was already published.
     * @throws UncheckedIOException If files cannot be written or moved.
     * @throws DivergedRunException If the run diverged under {@code FAIL} and the plan does not publish divergences.
     */
    @SuppressWarnings("unchecked")
    public static boolean execute(RunPlan plan, PlannedRun run, SweepData data, Path output, String attempt) {
        if (isDone(output, run)) {
            return false;
        }
        if (data.split() != null) {
            data.split().writeInto(output);   // once per sweep: the runs' training views refer to it
        }
        Path tmp = attemptDir(output, run, attempt);
        deleteTree(tmp);
        Trainer<Label> trainer = plan.trainer(run);
        long start = System.nanoTime();
        RunFiles files = RunFiles.at(tmp);
        try {
            // A sweep's curves are validation curves (its targets are set on them); the test set is touched only for
            // the final evaluation. An experiment's plan has no validation split and keeps the test curve.
            boolean validation = data.validation() != null;
            Model<Label> model = trainer instanceof HeldOutEvaluatingTrainer
                    ? ((HeldOutEvaluatingTrainer<Label>) trainer).train(data.train(), validation ? data.validation() : data.test(),
                            validation ? "validation" : "test", Map.of())
                    : trainer.train(data.train());
            double seconds = (System.nanoTime() - start) / 1e9;
            RunRecorder.record(files, run.armLabel(), run.seed(), model, data.test(), data.train().size(), seconds);
            crashHook();
            files.writeJson(plan.recordFile(), new SweepRunRecord(run.id(), run.arm(), run.rgScale(), run.grid(), run.overrides(),
                    run.seed(), attempt, data.validation() == null ? null : RunRecorder.evaluate(model, data.validation()), null));
        } catch (DivergedRunException e) {
            deleteTree(tmp);
            if (!plan.publishesDivergence()) {
                throw e;
            }
            files.writeJson(plan.recordFile(), new SweepRunRecord(run.id(), run.arm(), run.rgScale(), run.grid(), run.overrides(),
                    run.seed(), attempt, null, e.getDivergence()));
        }
        Path dir = runDir(output, run);
        try {
            Files.createDirectories(dir.getParent());
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
     * Resumes by identity: a published run directory whose {@value SweepRunRecord#FILE} names a
     * planned run's identity under another name (written by an earlier version's naming, or moved by
     * hand) is renamed to the run's name, so the run is kept, not trained again. Runs already under
     * their name, unpublished directories and directories of runs the plan does not hold are left alone.
     * @param output The sweep output directory.
     * @param runs The planned runs.
     * @return The renamed directories, {@code old -> new}.
     * @throws UncheckedIOException If {@code runs/} cannot be listed or a directory cannot be renamed.
     */
    public static List<String> adoptByIdentity(Path output, List<PlannedRun> runs) {
        Path root = output.resolve("runs");
        if (!Files.isDirectory(root)) {
            return List.of();
        }
        Map<String, PlannedRun> byId = new HashMap<>();
        runs.forEach(r -> byId.put(r.id(), r));
        List<String> renamed = new ArrayList<>();
        try (Stream<Path> s = Files.list(root)) {
            for (Path p : (Iterable<Path>) s.sorted()::iterator) {
                String name = p.getFileName().toString();
                if (name.startsWith(".") || !Files.isRegularFile(p.resolve(SweepRunRecord.FILE))) {
                    continue;
                }
                SweepRunRecord record;
                try {
                    record = readRecord(p);
                } catch (UncheckedIOException e) {
                    continue;   // SweepCommand reports unreadable records of planned runs
                }
                PlannedRun run = byId.get(record.id());
                if (run == null || run.dirName().equals(name) || Files.exists(runDir(output, run)) || !isPublished(p)) {
                    continue;
                }
                Files.move(p, runDir(output, run), StandardCopyOption.ATOMIC_MOVE);
                renamed.add(name + " -> " + run.dirName());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not rename run directories under " + root, e);
        }
        return renamed;
    }

    /**
     * Deletes every unpublished attempt directory under {@code output/runs} and one level below it
     * (an experiment's attempts lie in {@code runs/<trainer>/}).
     * @param output The output directory.
     * @return The number deleted.
     */
    public static int deleteAttempts(Path output) {
        Path runs = output.resolve("runs");
        if (!Files.isDirectory(runs)) {
            return 0;
        }
        int n = 0;
        try (Stream<Path> s = Files.list(runs)) {
            for (Path p : (Iterable<Path>) s.sorted()::iterator) {
                if (p.getFileName().toString().startsWith(ATTEMPT_PREFIX)) {
                    deleteTree(p);
                    n++;
                } else if (Files.isDirectory(p) && !Files.exists(p.resolve(SweepRunRecord.FILE))
                        && !Files.exists(p.resolve(SweepRunRecord.EXPERIMENT_FILE))) {
                    try (Stream<Path> inner = Files.list(p)) {
                        for (Path q : (Iterable<Path>) inner.sorted()::iterator) {
                            if (q.getFileName().toString().startsWith(ATTEMPT_PREFIX) && Files.isDirectory(q)) {
                                deleteTree(q);
                                n++;
                            }
                        }
                    }
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

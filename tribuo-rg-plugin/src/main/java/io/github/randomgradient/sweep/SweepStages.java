package io.github.randomgradient.sweep;

import io.github.randomgradient.run.RunFiles;
import io.github.randomgradient.run.RunRecord;

import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.Set;

/**
 * The plan a sweep prints before it trains: its stages, their run counts and an estimate of the time
 * left from the training times of runs already published ({@link RunRecord#trainSeconds()}).
 * <p>
 * The tuning stage is the grid × {@code seeds}; the confirm stage, where the sweep has one, runs each
 * arm's chosen cell (an arm is tuned over learning rate × momentum within each value of the other
 * axes, its slice) again with every confirm seed. Its runs are known only once the tuning stage is
 * done, so before that the plan gives their most: arms × confirm seeds (fewer where two arms choose
 * the same runs, as the lr-matched baseline can choose the baseline's).
 */
public final class SweepStages {

    private SweepStages() {}

    /**
     * The mean training time of the published runs among {@code runs}: {@code trainSeconds} of each
     * run's {@value RunFiles#RUN} (a run that diverged under {@code divergencePolicy=FAIL} has none).
     * @param output The sweep output directory.
     * @param runs The runs.
     * @return The mean in seconds and the number of runs it is over, or empty if none is published.
     */
    public static Measured measured(Path output, List<PlannedRun> runs) {
        double sum = 0;
        int n = 0;
        for (PlannedRun run : runs) {
            Path dir = RunExecutor.runDir(output, run);
            if (RunExecutor.isDone(output, run) && Files.isRegularFile(dir.resolve(RunFiles.RUN))) {
                try {
                    double s = RunFiles.at(dir).readRun().trainSeconds();
                    if (Double.isFinite(s) && s >= 0) {
                        sum += s;
                        n++;
                    }
                } catch (UncheckedIOException | IllegalArgumentException e) {
                    // an unreadable record is reported where the run is read; it only leaves the estimate out
                }
            }
        }
        return new Measured(n == 0 ? OptionalDouble.empty() : OptionalDouble.of(sum / n), n,
                "training time of " + n + " published run" + (n == 1 ? "" : "s") + ", worker start and data loading not included");
    }

    /**
     * Measured run times.
     * @param meanSeconds Seconds per run on one worker, empty if no run was measured.
     * @param runs How many runs the mean is over.
     * @param how What was measured, e.g. {@code "training time of 10 published runs"}.
     */
    public record Measured(OptionalDouble meanSeconds, int runs, String how) {

        /**
         * A measurement of wall time: some runs trained, some at a time, in some seconds (worker start
         * and data loading included, so an estimate from it is closer than one from training times).
         * @param seconds The elapsed seconds.
         * @param trained The runs trained.
         * @param workers How many trained at once ({@code --workers}).
         * @return The measurement.
         */
        public static Measured wall(double seconds, int trained, int workers) {
            int parallel = Math.max(1, Math.min(workers, trained));
            return new Measured(trained == 0 ? OptionalDouble.empty() : OptionalDouble.of(seconds / Math.ceil((double) trained / parallel)),
                    trained, "wall time of the " + trained + " run" + (trained == 1 ? "" : "s") + " just trained");
        }

        /**
         * The estimated wall time of training some runs with some runs at a time.
         * @param todo The runs to train.
         * @param workers How many train at once ({@code --workers}).
         * @return E.g. {@code "about 1m20s (16.0 s per run, 2 at a time, from the training time of 10 published runs)"}.
         */
        public String estimate(int todo, int workers) {
            if (todo == 0) {
                return "nothing to train";
            }
            if (meanSeconds.isEmpty()) {
                return "time not yet known (no run measured)";
            }
            int parallel = Math.max(1, Math.min(workers, todo));
            double seconds = meanSeconds.getAsDouble() * Math.ceil((double) todo / parallel);
            return String.format(Locale.ROOT, "about %s (%.1f s per run, %d at a time, from the %s)", duration(seconds),
                    meanSeconds.getAsDouble(), parallel, how);
        }
    }

    /**
     * The number of arms the confirm stage runs again: one per arm label and slice of the tuning stage.
     * @param plan The plan.
     * @return The number of arms.
     */
    public static int arms(SweepPlan plan) {
        Set<String> arms = new LinkedHashSet<>();
        for (PlannedRun r : plan.roles()) {
            Map<String, String> slice = new HashMap<>(r.grid());
            slice.remove("learningRate");
            slice.remove("momentum");
            arms.add(r.armLabel() + " " + slice);
        }
        return arms.size();
    }

    /**
     * The plan's lines printed before the tuning stage trains: the estimated time of a sweep without a
     * confirm stage; each stage's runs and estimated time for a sweep with one.
     * @param plan The tuning stage's plan.
     * @param tuningDone How many of its runs are published.
     * @param measured Their training times.
     * @param workers How many runs train at once.
     * @return The lines.
     */
    public static List<String> describe(SweepPlan plan, int tuningDone, Measured measured, int workers) {
        long[] confirm = plan.sweep().getConfirmSeeds();
        int tuning = plan.runs().size();
        if (confirm.length == 0) {
            return List.of("estimated time: " + measured.estimate(tuning - tuningDone, workers));
        }
        int arms = arms(plan);
        String first = String.format(Locale.ROOT, "stage 1 (tuning): %d runs (grid x %d seeds), %d done, %d to train, %s; each arm's "
                        + "cell is chosen on the validation split", tuning, plan.sweep().getSeeds().length, tuningDone, tuning - tuningDone,
                measured.estimate(tuning - tuningDone, workers));
        String second = String.format(Locale.ROOT, "stage 2 (confirm): at most %d runs (%d arms' chosen cells x %d fresh seeds %s), "
                        + "planned once stage 1 is done, %s; the verdicts come from these runs only%s", arms * confirm.length, arms,
                confirm.length, seedList(confirm), measured.estimate(arms * confirm.length, workers), plan.sweep().isAutoConfirmSeeds()
                        ? " (autoConfirmSeeds: stage 1's power analysis chooses how many seeds, at most maxConfirmSeeds = "
                        + confirm.length + ")" : "");
        return List.of(first, second);
    }

    /** Seeds as {@code [101, 102, 103]}, or {@code [101 .. 140]} for a long run of consecutive seeds. */
    static String seedList(long[] seeds) {
        boolean consecutive = seeds.length > 5;
        for (int i = 1; consecutive && i < seeds.length; i++) {
            consecutive = seeds[i] == seeds[i - 1] + 1;
        }
        return consecutive ? "[" + seeds[0] + " .. " + seeds[seeds.length - 1] + "]" : java.util.Arrays.toString(seeds);
    }

    /** Seconds as {@code 1h05m}, {@code 3m20s}. */
    static String duration(double seconds) {
        return LocalEngine.Progress.duration(seconds);
    }
}

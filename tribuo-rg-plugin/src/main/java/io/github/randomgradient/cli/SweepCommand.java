package io.github.randomgradient.cli;

import com.oracle.labs.mlrg.olcut.config.ConfigurationManager;
import com.oracle.labs.mlrg.olcut.config.Option;
import com.oracle.labs.mlrg.olcut.config.Options;
import io.github.randomgradient.data.DataChecks;
import io.github.randomgradient.data.IdxDirectory;
import io.github.randomgradient.report.ReportWriter;
import io.github.randomgradient.run.SplitFile;
import io.github.randomgradient.run.RunFiles;
import io.github.randomgradient.sweep.ConfirmCell;
import io.github.randomgradient.sweep.GridExtension;
import io.github.randomgradient.sweep.PlannedRun;
import io.github.randomgradient.sweep.RunExecutor;
import io.github.randomgradient.sweep.SweepData;
import io.github.randomgradient.sweep.SweepEngine;
import io.github.randomgradient.sweep.SweepException;
import io.github.randomgradient.sweep.SweepJob;
import io.github.randomgradient.sweep.SweepPlan;
import io.github.randomgradient.sweep.SweepRunRecord;
import io.github.randomgradient.sweep.SweepStages;
import io.github.randomgradient.sweep.report.EdgeFlags;
import io.github.randomgradient.sweep.report.SweepReport;
import io.github.randomgradient.sweep.report.SweepResults;

import org.tribuo.DataSource;
import org.tribuo.classification.Label;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * {@code sweep}: expands a {@link io.github.randomgradient.sweep.Sweep} into runs, checks every
 * run's trainer and the data before anything trains, trains the runs not yet published with an
 * engine (worker processes on this machine, or Spark), then writes the sweep report.
 * <p>
 * Resuming: half-written runs (hidden attempt directories) are deleted and redone; published runs
 * are kept byte for byte; after an edit of the sweep file only runs whose identity (configuration
 * hash, seed included) is new are trained, and published runs no longer in the sweep are left
 * alone and left out of the report. Runs are found by identity: a finished run directory under
 * another name (an earlier version's naming) is renamed to the run's name and kept.
 * <p>
 * Exit status: 0 when every run is published and none diverged under {@code divergencePolicy=FAIL};
 * 2 on a user error found while planning (nothing trains); 3 when every run is published and some
 * diverged under {@code divergencePolicy=FAIL}: the report is written first and shows them as
 * diverged, and a rerun trains none of them again (so it ends with 3 again until the sweep is
 * changed); 4 when runs failed twice in their workers (they are missing from the report, which is
 * written unless every run failed; a rerun trains them), which takes precedence over 3.
 * <pre>
 * tribuo-rg sweep -c configs/sweep-smoke.xml [--workers N] [--engine local|spark] [-o DIR] [--data full|bundled|DIR] [--sweep NAME] [--extend]
 * </pre>
 */
public final class SweepCommand {

    private static final java.util.logging.Logger logger = java.util.logging.Logger.getLogger(SweepCommand.class.getName());

    private SweepCommand() {}

    /** Command-line options of {@code sweep}. */
    public static final class SweepOptions implements Options {
        @Override
        public String getOptionsDescription() {
            return "Runs a learning-rate x momentum x Random Gradient grid in worker processes and writes the sweep report.";
        }

        /** The sweep component's name. */
        @Option(longName = "sweep", usage = "Name of the Sweep component in the config (default: sweep).")
        public String sweep = "sweep";

        /** Worker processes. */
        @Option(charName = 'w', longName = "workers", usage = "Worker processes (local) or concurrent tasks (spark); default: the number of cores.")
        public int workers = Runtime.getRuntime().availableProcessors();

        /** The engine. */
        @Option(longName = "engine", usage = "local (worker processes on this machine) or spark (needs tribuo-rg-spark on the classpath).")
        public String engine = "local";

        /** Data overriding the sweep's IDX data sources. */
        @Option(charName = 'd', longName = "data", usage = "Data replacing the sweep's IDX sources: 'full', 'bundled' or a directory with the four IDX files.")
        public String data;

        /** Extend the grid beyond the edges the tuned arms choose. */
        @Option(longName = "extend", usage = "Extend the grid where a tuned arm's chosen cell lies on an edge of the learningRate or "
                + "momentum axis (next value beyond it: lr x 2 or / 2, momentum halving 1 - momentum), training only the new cells, "
                + "until every choice is interior or the sweep's maxExtensions rounds have run (the Sweep field extendEdges does the same).")
        public boolean extend;

        /** Output directory override. */
        @Option(charName = 'o', longName = "output-dir", usage = "Directory for runs/ and report/, overriding the configured one.")
        public Path outputDir;

        /** {@code --reproducible} and {@code --environment-change}. */
        public NumericOptions numeric = new NumericOptions();
    }

    /**
     * Runs the sweep.
     * @param args The arguments.
     * @param out Where progress and the report path are printed.
     * @return The report directory.
     * @throws CommandException On a bad sweep, bad option, missing data or an edited sweep whose runs clash.
     */
    public static Path run(String[] args, PrintStream out) {
        SweepOptions options = new SweepOptions();
        args = flag(args, "--extend");
        ConfigurationManager cm = TribuoRg.configure(args, options);
        io.github.randomgradient.run.EnvironmentChange environmentChange = options.numeric.check();
        if (cm.getComponentNames().isEmpty()) {
            throw new CommandException("no sweep config given: pass one with -c, e.g. -c configs/sweep-smoke.xml");
        }
        if (options.workers < 1) {
            throw new CommandException("--workers must be >= 1, found " + options.workers);
        }
        SweepEngine engine = engine(options.engine);
        if (cm.getConfigurationData(options.sweep).isPresent()) {
            try {
                Preflight.checkPropertyKinds(cm, options.sweep);
                Preflight.checkSweepAxes(cm, options.sweep);
            } catch (CommandException e) {
                throw new CommandException("config " + TribuoRg.configFiles(args) + ": " + e.getMessage(), e);
            }
        }
        if (options.outputDir != null) {
            Preflight.checkWritableDirectory(options.outputDir, "output directory (--output-dir)");
        }
        SweepPlan plan;
        Path dataDir = null;
        SplitFile split;
        try {
            if (options.data != null) {
                IdxDirectory idx = IdxDirectory.resolve(options.data);
                dataDir = idx.images("train").toAbsolutePath().getParent();
                SweepData.useIdxDirectory(cm, options.sweep, idx);
            }
            plan = SweepPlan.expand(cm, options.sweep);
            // The data files are checked as experiment checks them (file, byte), before OLCUT reads them.
            String trainRole = "training data '" + plan.sweep().getTrainSource() + "'";
            Optional<DataChecks.IdxPair> trainFiles = Preflight.checkDataComponent(cm, plan.sweep().getTrainSource(), trainRole);
            Optional<DataChecks.IdxPair> testFiles = Preflight.checkDataComponent(cm, plan.sweep().getTestSource(),
                    "test data '" + plan.sweep().getTestSource() + "'");
            trainFiles.ifPresent(tr -> testFiles.ifPresent(te -> DataChecks.checkSameImageShape(tr, te)));
            SweepData data = SweepData.load(plan);   // the data must load before anything trains
            split = data.split();
            ExperimentCommand.checkTestLabels(data.train(), data.test());
            // Every run's trainer must fit the data (image shape, kernel size, labels) before any run trains.
            @SuppressWarnings("unchecked")
            Preflight.Source source = new Preflight.Source((DataSource<Label>) cm.lookup(plan.sweep().getTrainSource()), trainRole,
                    trainFiles);
            Preflight.checkFits(plan, data.train(), source);
            warnings(cm, plan, data, options.workers).forEach(logger::warning);
        } catch (SweepException e) {
            throw new CommandException(String.join(",", configFiles(args)) + ": " + e.getMessage(), e);
        }
        Path output = options.outputDir != null ? options.outputDir : plan.sweep().getOutputDirectory();
        Preflight.checkWritableDirectory(output, "sweep output directory");
        SweepJob job = SweepJob.ofThisJvm(configFiles(args), options.sweep, output, dataDir, options.workers);
        try {
            job.checkJvmOptions();
        } catch (SweepException e) {
            throw new CommandException(e.getMessage(), e);
        }
        // One command at a time per output directory: a second one stops here with exit status 2.
        try (OutputLock lock = OutputLock.acquire(output, "sweep output directory")) {
            // The split file before any run is judged done: the runs' training data refers to it (a run copied from
            // another output of the same sweep is complete once its split is here).
            split.writeInto(output);
            int cleared = RunExecutor.deleteAttempts(output);
            if (cleared > 0) {
                out.println("deleted " + cleared + " half-written run(s); they run again");
            }
            List<String> adopted = RunExecutor.adoptByIdentity(output, plan.runs());
            if (!adopted.isEmpty()) {
                out.println("renamed " + adopted.size() + " finished run directories to their names in this sweep (same identity, "
                        + "kept, not trained again): " + adopted);
            }
            List<PlannedRun> todo = outstanding(plan.runs(), output, environmentChange, out);
            boolean confirmStage = plan.sweep().hasConfirmStage();
            boolean extend = options.extend || plan.sweep().isExtendEdges();
            if (!confirmStage && !extend) {
                reportStrangers(output, plan.runs(), out);
            }
            out.printf("sweep '%s': %d runs planned, %d already done, %d to train with %s (%s)%n", plan.sweepName(),
                    plan.runs().size(), plan.runs().size() - todo.size(), todo.size(), engine.name(), engine.concurrency(options.workers));
            SweepStages.describe(plan, plan.runs().size() - todo.size(), SweepStages.measured(output, plan.runs()), options.workers)
                    .forEach(out::println);
            if (extend) {
                out.println("grid extension: on (at most " + plan.sweep().getMaxExtensions() + " round(s)): where a tuned arm's chosen "
                        + "cell lies on an edge of learningRate or momentum, the next value beyond it is added and only the new cells "
                        + "train" + (confirmStage ? ", before the confirm stage" : ""));
            }
            plan.notes().forEach(n -> out.println("note: " + n));
            long start = System.nanoTime();
            List<String> failed;
            try {
                failed = new ArrayList<>(todo.isEmpty() ? List.of()
                        : engine.execute(job, todo, out));
            } catch (SweepException e) {
                throw new CommandException(e.getMessage(), e);
            }
            if (!todo.isEmpty() && failed.size() == todo.size() && todo.size() == plan.runs().size()) {
                // Nothing trained: a report of empty cells would only hide the cause.
                throw CommandException.failedRuns("every one of the " + todo.size() + " runs failed twice, so no report was "
                        + "written; the first failure: " + failed.get(0) + ". Check the worker options and memory, then rerun");
            }
            Extension extension = null;
            if (extend && failed.isEmpty()) {
                extension = extend(plan, output, job, engine, options.workers, out, failed, environmentChange);
                plan = extension.plan();
                if (!confirmStage) {
                    reportStrangers(output, plan.runs(), out);
                }
            } else {
                if (extend) {
                    out.println("grid extension: not run: " + failed.size() + " tuning run(s) failed; rerun the sweep to train them, "
                            + "then the extension");
                }
                // A record of this run's grid: a worker must not plan an extension an earlier sweep made.
                if (Files.exists(output.resolve(GridExtension.FILE))) {
                    GridExtension.write(output, java.util.Map.of());
                }
            }
            SweepPlan reported = plan;
            String notConfirmed = "";
            if (confirmStage && !failed.isEmpty()) {
                notConfirmed = "not run: " + failed.size() + " tuning run(s) failed, and each arm's cell is chosen only once every "
                        + "tuning run is in; rerun the sweep to train them, then the confirm stage";
                out.println("stage 2 (confirm): " + notConfirmed);
            } else if (confirmStage) {
                // Stage 2's estimate: the wall time stage 1 just took, else the recorded training times.
                SweepStages.Measured measured = todo.isEmpty() ? null
                        : SweepStages.Measured.wall((System.nanoTime() - start) / 1e9, todo.size(), options.workers);
                reported = confirm(plan, output, job, engine, options.workers, measured, out, failed, environmentChange);
            }
            Path reportDir = output.resolve("report");
            Preflight.removeLeftoverPartials(reportDir);
            SweepReport report = SweepReport.build(reported, output, notConfirmed);
            if (extension != null) {
                report = report.withExtension(extension.text(), extension.record());
            }
            report.write(reportDir);
            out.println(report.summary());
            out.println("Report: " + reportDir.resolve("report.html").toAbsolutePath() + " (also report.md, report.json)");
            List<String> diverged = divergedUnderFail(output, reported);
            String alsoDiverged = diverged.isEmpty() ? "" : "; besides, " + diverged.size() + " run(s) diverged under "
                    + "divergencePolicy=FAIL (recorded in the report), the first: " + diverged.get(0);
            if (!failed.isEmpty()) {
                throw CommandException.failedRuns(failed.size() + " run(s) failed twice and are missing from the report (rerun "
                        + "to train them): " + failed + (notConfirmed.isEmpty() ? "" : "; the confirm stage has not run") + alsoDiverged);
            }
            if (!diverged.isEmpty()) {
                int all = reported.runs().size() + reported.confirmRuns().size();
                throw CommandException.divergedRuns(diverged.size() + " of the sweep's " + all + " runs diverged under "
                        + "divergencePolicy=FAIL; they are recorded as diverged in the report " + reportDir.resolve("report.html")
                        + " and are not trained again on a rerun (lower learningRate, narrow the loss scale, or set "
                        + "divergencePolicy=STOP to keep their last finite models); the first: " + diverged.get(0));
            }
            return reportDir;
        }
    }

    /**
     * The runs of a stage still to train, each stage by the same rule: finished runs computed in another
     * numeric environment are refused, cleared or kept as {@code --environment-change} says; a finished run
     * is kept only if it is the same run ({@link #checkSameRun}); every other run's directory is cleared and
     * the run listed.
     * @param runs The stage's runs.
     * @param output The sweep's output directory.
     * @param environmentChange What to do with finished runs of another numeric environment.
     * @param out Where notes go.
     * @return The runs to train, in plan order.
     * @throws CommandException If a finished run is another run's, or of another environment under refuse.
     */
    private static List<PlannedRun> outstanding(List<PlannedRun> runs, Path output,
                                                io.github.randomgradient.run.EnvironmentChange environmentChange, PrintStream out) {
        NumericOptions.resume(environmentChange, runs.stream().filter(r -> RunExecutor.isDone(output, r))
                .map(r -> RunExecutor.runDir(output, r)).toList(), output, out);
        List<PlannedRun> todo = new ArrayList<>();
        for (PlannedRun run : runs) {
            if (RunExecutor.isDone(output, run)) {
                checkSameRun(output, run);
            } else {
                RunFiles.at(RunExecutor.runDir(output, run)).clear();
                todo.add(run);
            }
        }
        return todo;
    }

    /**
     * Stage 2: chooses each arm's cell from the tuning stage's published runs (on the validation
     * split), plans the cells' runs with the confirm seeds and trains those not yet published with the
     * same engine. Its runs are ordinary runs: found by identity, kept when published, so an
     * interrupted confirm stage resumes where it stopped and the tuning stage never trains again.
     * @param stage1 The wall time of the tuning runs trained just now, null if none trained.
     * @param failed The runs that failed; the confirm stage's failures are added.
     * @param environmentChange What to do with finished confirm runs of another numeric environment.
     * @return The plan with its confirm stage.
     */
    private static SweepPlan confirm(SweepPlan plan, Path output, SweepJob job, SweepEngine engine, int workers,
                                     SweepStages.Measured stage1, PrintStream out, List<String> failed,
                                     io.github.randomgradient.run.EnvironmentChange environmentChange) {
        SweepPlan confirmed;
        List<ConfirmCell> cells;
        try {
            SweepResults tuning = SweepResults.of(plan, output);
            cells = tuning.chosenCells();
            long[] seeds = plan.sweep().getConfirmSeeds();
            if (plan.sweep().isAutoConfirmSeeds() && tuning.claims() != null && tuning.claims().autoSeeds() != null) {
                // autoConfirmSeeds: the tuning stage's power analysis sets the count (the report repeats why).
                out.println("stage 2 (confirm): " + tuning.claims().autoSeeds().why());
                seeds = plan.sweep().confirmSeeds(tuning.claims().autoSeeds().chosen());
            }
            confirmed = plan.withConfirmStage(cells, seeds);
        } catch (SweepException e) {
            throw new CommandException(e.getMessage(), e);
        }
        // Workers plan the confirm runs from the cells chosen here.
        ConfirmCell.write(output, cells);
        List<String> adopted = RunExecutor.adoptByIdentity(output, confirmed.confirmRuns());
        if (!adopted.isEmpty()) {
            out.println("renamed " + adopted.size() + " finished run directories to their names in this sweep (same identity, "
                    + "kept, not trained again): " + adopted);
        }
        List<PlannedRun> todo = outstanding(confirmed.confirmRuns(), output, environmentChange, out);
        List<PlannedRun> all = new ArrayList<>(confirmed.runs());
        all.addAll(confirmed.confirmRuns());
        reportStrangers(output, all, out);
        SweepStages.Measured measured = stage1 != null ? stage1 : SweepStages.measured(output, all);
        out.printf("stage 2 (confirm): %d runs (%d chosen cells x %d fresh seeds), %d already done, %d to train, %s%n",
                confirmed.confirmRuns().size(), cells.size(), confirmed.confirmSeeds().length,
                confirmed.confirmRuns().size() - todo.size(), todo.size(), measured.estimate(todo.size(), workers));
        if (!todo.isEmpty()) {
            try {
                failed.addAll(engine.execute(job, todo, out));
            } catch (SweepException e) {
                throw new CommandException(e.getMessage(), e);
            }
        }
        return confirmed;
    }

    /**
     * What a grid extension did.
     * @param plan The plan on the extended grid.
     * @param text A paragraph for the report: the values added, round by round, and whether every choice is now interior.
     * @param record The same for report.json: one entry per added value.
     */
    private record Extension(SweepPlan plan, String text, List<java.util.Map<String, Object>> record) {}

    /**
     * The grid extension: while a tuned arm's chosen cell lies on an edge of the learning-rate or momentum axis
     * and fewer than the sweep's {@code maxExtensions} rounds have run, adds the next value beyond each such edge
     * ({@link EdgeFlags#nextValues}), writes the added values to {@value GridExtension#FILE} for the workers,
     * plans the extended grid and trains its runs not yet published (only the new cells': every other run keeps
     * its identity, so it is found published). A rerun recomputes the same rounds from the same published runs,
     * so an interrupted extension resumes where it stopped.
     * @param failed The runs that failed; the extension's failures are added (and end it).
     * @param environmentChange What to do with finished runs of another numeric environment.
     */
    private static Extension extend(SweepPlan plan, Path output, SweepJob job, SweepEngine engine, int workers, PrintStream out,
                                    List<String> failed, io.github.randomgradient.run.EnvironmentChange environmentChange) {
        int max = plan.sweep().getMaxExtensions();
        java.util.Map<String, List<String>> added = new java.util.LinkedHashMap<>();
        List<java.util.Map<String, Object>> record = new ArrayList<>();
        List<String> rounds = new ArrayList<>();
        SweepPlan current = plan;
        List<EdgeFlags> flags;
        int round = 0;
        while (true) {
            try {
                flags = EdgeFlags.of(SweepResults.of(current, output));
            } catch (SweepException e) {
                throw new CommandException(e.getMessage(), e);
            }
            java.util.Map<String, List<String>> next = EdgeFlags.nextValues(flags);
            if (next.isEmpty() || round == max || !failed.isEmpty()) {
                break;
            }
            round++;
            List<String> said = new ArrayList<>();
            for (java.util.Map.Entry<String, List<String>> e : next.entrySet()) {
                added.computeIfAbsent(e.getKey(), k -> new ArrayList<>()).addAll(e.getValue());
                for (String v : e.getValue()) {
                    List<String> arms = flags.stream().filter(f -> f.edges().stream().anyMatch(x -> x.axis().equals(e.getKey())
                            && x.next() != null && EdgeFlags.nextValues(List.of(f)).getOrDefault(e.getKey(), List.of()).contains(v)))
                            .map(f -> f.arm() + (f.slice().isEmpty() ? "" : " (" + f.slice() + ")")).toList();
                    java.util.Map<String, Object> entry = new java.util.LinkedHashMap<>();
                    entry.put("round", round);
                    entry.put("axis", e.getKey());
                    entry.put("value", v);
                    entry.put("arms", arms);
                    record.add(entry);
                    said.add(e.getKey() + " " + v + " (for " + String.join(", ", arms) + ")");
                }
            }
            rounds.add("round " + round + " added " + String.join("; ", said));
            GridExtension.write(output, added);
            try {
                current = plan.withExtension(added);
            } catch (SweepException e) {
                throw new CommandException(e.getMessage(), e);
            }
            List<PlannedRun> todo = outstanding(current.runs(), output, environmentChange, out);
            out.printf("grid extension round %d of at most %d: %s; %d new run(s) to train, %d already done%n", round, max,
                    String.join("; ", said), todo.size(), current.runs().size() - todo.size());
            if (!todo.isEmpty()) {
                try {
                    failed.addAll(engine.execute(job, todo, out));
                } catch (SweepException e) {
                    throw new CommandException(e.getMessage(), e);
                }
            }
        }
        boolean interior = flags.stream().allMatch(EdgeFlags::interior);
        String outcome = interior ? "every arm's chosen cell is interior"
                : !failed.isEmpty() ? "the extension stopped because runs failed; rerun the sweep to train them and go on"
                : EdgeFlags.nextValues(flags).isEmpty() ? "some chosen cells are still on an edge where the axis ends (0)"
                : "some chosen cells are still on an edge (the limit of " + max + " round(s), maxExtensions, is reached)";
        String text = "Grid extension (sweep --extend, at most " + max + " round(s)): " + (rounds.isEmpty() ? "nothing added"
                : String.join("; ", rounds)) + ". Only the new cells were trained; " + outcome + ".";
        out.println(text);
        return new Extension(current, text, record);
    }

    /** The planned runs recorded as diverged under divergencePolicy=FAIL, each as "directory: where it diverged". */
    private static List<String> divergedUnderFail(Path output, SweepPlan plan) {
        List<String> out = new ArrayList<>();
        for (PlannedRun run : java.util.stream.Stream.concat(plan.runs().stream(), plan.confirmRuns().stream()).toList()) {
            if (RunExecutor.isDone(output, run)) {
                SweepRunRecord r = RunExecutor.readRecord(RunExecutor.runDir(output, run));
                if (r.divergence() != null) {
                    out.add(run.dirName() + ": " + r.divergence().describe());
                }
            }
        }
        return out;
    }

    /**
     * The sweep's warnings, each once: momentum set for Adam runs, a batch larger than the training split,
     * more worker threads than cores, charts that cannot be drawn.
     */
    private static Set<String> warnings(ConfigurationManager cm, SweepPlan plan, SweepData data, int workers) {
        Set<String> out = new java.util.LinkedHashSet<>();
        String base = plan.sweep().getTrainer();
        java.util.Optional<String> baseMomentum = Preflight.written(cm, base, "momentum");
        int threads = 1;
        for (PlannedRun run : plan.runs()) {
            org.tribuo.Trainer<org.tribuo.classification.Label> trainer = plan.trainer(run);
            out.addAll(Preflight.trainerWarnings("sweep run " + run.dirName() + " (trainer '" + base + "')", trainer,
                    java.util.Optional.ofNullable(run.overrides().get("momentum")).or(() -> baseMomentum), data.train().size()));
            try {
                threads = Math.max(threads, Integer.parseInt(Preflight.configuredValues(trainer).getOrDefault("numThreads", "1")));
            } catch (NumberFormatException e) {
                // the trainer's own check reports it
            }
        }
        Preflight.threadsWarning(workers, threads, Runtime.getRuntime().availableProcessors()).ifPresent(out::add);
        ReportWriter.chartsUnavailable().ifPresent(why -> out.add("charts cannot be drawn in this JVM (" + why
                + "): the sweep report will be written without them, and will say so"));
        return out;
    }

    static SweepEngine engine(String name) {
        return SweepEngine.find(name).orElseThrow(() -> new CommandException("--engine " + name + " is not available: the engines are 'local' and, with the tribuo-rg-spark "
                + "module on the classpath (spark-submit, see docs/sweeps.md), 'spark'"));
    }

    /** A published run is reused only if it is the same run: its recorded identity must match. */
    private static void checkSameRun(Path output, PlannedRun run) {
        Path file = RunExecutor.runDir(output, run).resolve(SweepRunRecord.FILE);
        SweepRunRecord done;
        try {
            done = RunFiles.JSON.readValue(file.toFile(), SweepRunRecord.class);
        } catch (IOException e) {
            throw new CommandException("finished run has an unreadable " + file + " (" + e.getMessage() + "): delete its directory to redo it");
        }
        if (!done.id().equals(run.id())) {
            throw new CommandException("finished run " + file.getParent() + " has identity " + done.id() + ", but the sweep plans "
                    + run.id() + " there: use another --output-dir, or delete the directory to redo the run");
        }
    }

    /** Published runs that this sweep does not plan (the sweep file was edited) stay on disk, out of the report. */
    private static void reportStrangers(Path output, List<PlannedRun> plannedRuns, PrintStream out) {
        Path runs = output.resolve("runs");
        if (!Files.isDirectory(runs)) {
            return;
        }
        Set<String> planned = plannedRuns.stream().map(PlannedRun::dirName).collect(Collectors.toSet());
        Set<String> strangers = new TreeSet<>();
        try (Stream<Path> s = Files.list(runs)) {
            s.map(p -> p.getFileName().toString()).filter(n -> !n.startsWith(".") && !planned.contains(n)).forEach(strangers::add);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (!strangers.isEmpty()) {
            out.println(strangers.size() + " run directories under " + runs + " are not in this sweep (was it edited?); "
                    + "they are kept and left out of the report");
        }
    }

    /**
     * A boolean long option given as a bare flag ({@code --extend}) with its value made explicit
     * ({@code --extend true}): OLCUT reads a value after every long option, booleans included.
     */
    static String[] flag(String[] args, String option) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            out.add(args[i]);
            if (args[i].equals(option) && (i + 1 == args.length || !(args[i + 1].equalsIgnoreCase("true") || args[i + 1].equalsIgnoreCase("false")))) {
                out.add("true");
            }
        }
        return out.toArray(String[]::new);
    }

    static List<String> configFiles(String[] args) {
        for (int i = 0; i < args.length - 1; i++) {
            if (args[i].equals("-c") || args[i].equals("--config-file")) {
                return List.of(args[i + 1].split(","));
            }
        }
        throw new CommandException("no sweep config given: pass one with -c");
    }
}

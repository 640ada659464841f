package io.github.randomgradient.cli;

import com.oracle.labs.mlrg.olcut.config.Option;
import com.oracle.labs.mlrg.olcut.config.Options;
import io.github.randomgradient.config.HasExampleShape;
import io.github.randomgradient.data.DataChecks;
import io.github.randomgradient.data.IdxDirectory;
import io.github.randomgradient.report.ComparisonReport;
import io.github.randomgradient.report.ExperimentRecord;
import io.github.randomgradient.history.HasTrainingHistory;
import io.github.randomgradient.run.ProvenanceFacts;
import io.github.randomgradient.report.ReportOptions;
import io.github.randomgradient.report.ReportWriter;
import io.github.randomgradient.run.RunFiles;
import io.github.randomgradient.run.RunRecorder;
import io.github.randomgradient.sweep.SweepRunRecord;
import org.tribuo.Dataset;
import org.tribuo.Model;
import org.tribuo.classification.Label;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.logging.Logger;
import java.util.stream.Stream;

/**
 * {@code report}: rebuilds a comparison report from existing run directories (or experiment output
 * directories), or from saved models evaluated on test data.
 * <pre>
 * tribuo-rg report --runs runs/fashion-mnist --output-dir runs/fashion-mnist/report
 * tribuo-rg report --models a.tribuo.pb,b.tribuo.pb --data bundled --output-dir out
 * </pre>
 */
public final class ReportCommand {

    /** The title when neither the option nor a recorded experiment gives one. */
    static final String DEFAULT_TITLE = "Random Gradient vs baseline";
    /** The target accuracy when neither the option nor a recorded experiment gives one. */
    static final double DEFAULT_TARGET = 0.80;

    private static final Logger logger = Logger.getLogger(ReportCommand.class.getName());

    private ReportCommand() {}

    /**
     * Command-line options of {@code report}.
     */
    public static final class ReportCommandOptions implements Options {
        @Override
        public String getOptionsDescription() {
            return "Builds an RG-vs-baseline report from run directories or saved models.";
        }

        /** Run directories, experiment output directories or runs/ directories. */
        @Option(charName = 'r', longName = "runs", usage = "Comma-separated run directories, or experiment output directories holding runs/.")
        public List<String> runs;

        /** Saved models to evaluate. */
        @Option(charName = 'm', longName = "models", usage = "Comma-separated saved models (Tribuo protobuf) to evaluate and compare.")
        public List<String> models;

        /** Test data for saved models. */
        @Option(charName = 'd', longName = "data", usage = "Test data to evaluate --models on: 'bundled', 'full' or a directory with the IDX files.")
        public String data;

        /** Where the report goes. */
        @Option(charName = 'o', longName = "output-dir", usage = "Directory to write the report into (required).")
        public Path outputDir;

        /** Report title; null: the experiment's recorded title, else the default. */
        @Option(longName = "title", usage = "Title of the report (default: the experiment's, recorded with its runs; "
                + "else '" + DEFAULT_TITLE + "').")
        public String title;

        /** Target accuracy; negative: the experiment's recorded target, else the default. */
        @Option(longName = "target-accuracy", usage = "Test accuracy for 'epochs to target' (default: the experiment's, "
                + "recorded with its runs; else " + DEFAULT_TARGET + ").")
        public double targetAccuracy = -1;

        /** Explicit comparisons. */
        @Option(longName = "compare", usage = "Comma-separated comparisons 'candidate vs reference'; default: every RG trainer vs every other.")
        public List<String> compare;
    }

    /**
     * Entry point.
     * @param args The arguments.
     */
    public static void main(String[] args) {
        System.exit(TribuoRg.execute(() -> run(args, System.out), System.err));
    }

    /**
     * Builds and writes the report.
     * @param args The arguments.
     * @param out Where the summary is printed.
     * @return The report directory.
     * @throws CommandException On missing or corrupt inputs.
     */
    public static Path run(String[] args, PrintStream out) {
        ReportCommandOptions o = new ReportCommandOptions();
        TribuoRg.configure(args, o);
        if (o.outputDir == null) {
            throw new CommandException("--output-dir is required");
        }
        if ((o.runs == null) == (o.models == null)) {
            throw new CommandException("give exactly one of --runs or --models");
        }
        // -1, the default, means "not given": the recorded experiment's target, else the default target.
        if (o.targetAccuracy != -1 && !(o.targetAccuracy >= 0 && o.targetAccuracy <= 1)) {
            throw new CommandException("--target-accuracy must be in [0, 1], found " + o.targetAccuracy);
        }
        Preflight.checkWritableDirectory(o.outputDir, "output directory (--output-dir)");
        checkNotBeingWritten(o.runs, o.outputDir);
        // Arguments first, then the runs: a malformed --compare is found before any model is evaluated.
        List<ReportOptions.Comparison> comparisons = new ArrayList<>();
        if (o.compare != null) {
            for (String c : o.compare) {
                try {
                    comparisons.add(ExperimentRecord.parse(c));
                } catch (IllegalArgumentException e) {
                    throw new CommandException("--compare entries must read 'candidate vs reference', found '" + c + "'");
                }
            }
        }
        List<RunFiles> runs = o.runs != null ? collectRuns(o.runs) : evaluateModels(o);
        // Settings given in full need no recorded experiment (runs of several experiments can then be compared).
        boolean allGiven = o.compare != null && o.title != null && o.targetAccuracy >= 0;
        Optional<ExperimentRecord> recorded = o.runs != null && !allGiven ? recordedExperiment(o.runs) : Optional.empty();
        if (recorded.isPresent()) {
            runs = recorded.get().inTrainerOrder(runs);
        }
        if (o.compare == null && recorded.isPresent()) {
            // The recorded comparisons whose trainers both have runs here: a report on some of an
            // experiment's run directories keeps what it can compare and says what it leaves out.
            Set<String> trainers = new LinkedHashSet<>();
            runs.forEach(r -> trainers.add(r.readRun().trainer()));
            for (ReportOptions.Comparison c : recorded.get().toOptions().comparisons()) {
                if (trainers.contains(c.candidate()) && trainers.contains(c.reference())) {
                    comparisons.add(c);
                } else {
                    logger.warning("the comparison '" + c.candidate() + " vs " + c.reference() + "' recorded in the experiment's "
                            + ExperimentRecord.FILE + " is left out: the runs given have no runs of '"
                            + (trainers.contains(c.candidate()) ? c.reference() : c.candidate())
                            + "' (give its run directories too, or choose comparisons with --compare 'A vs B')");
                }
            }
        }
        if (recorded.isEmpty() && (o.title == null || o.targetAccuracy < 0)) {
            logger.warning("no " + ExperimentRecord.FILE + " recorded with these runs: the report uses the default "
                    + (o.title == null ? "title '" + DEFAULT_TITLE + "'" : "") + (o.title == null && o.targetAccuracy < 0 ? " and " : "")
                    + (o.targetAccuracy < 0 ? "target accuracy " + DEFAULT_TARGET : "") + " (set them with --title / --target-accuracy)");
        }
        String title = o.title != null ? o.title : recorded.map(ExperimentRecord::title).orElse(DEFAULT_TITLE);
        double target = o.targetAccuracy >= 0 ? o.targetAccuracy : recorded.map(ExperimentRecord::targetAccuracy).orElse(DEFAULT_TARGET);
        ComparisonReport report;
        try {
            report = ComparisonReport.build(runs, new ReportOptions(comparisons, target, title));
        } catch (IllegalArgumentException e) {
            throw new CommandException(e.getMessage(), e);
        } catch (java.io.UncheckedIOException e) {
            // a run file that is not valid JSON of its kind; the message names the file
            throw new CommandException(e.getMessage() + " (delete the run directory, or leave it out of --runs)", e);
        }
        Preflight.removeLeftoverPartials(o.outputDir);
        ReportWriter.write(report, o.outputDir);
        out.println(report.summaryTable());
        out.println("Report: " + o.outputDir.resolve("report.html").toAbsolutePath() + " (also report.md, report.json)");
        out.print(report.answerLines());
        return o.outputDir;
    }

    /**
     * The experiment recorded with the runs: {@value ExperimentRecord#FILE} in each experiment output
     * directory given, or found above a runs/ directory or a run directory (OUTPUT/runs/TRAINER/seed-N).
     * @throws CommandException If the runs come from experiments recorded with different settings.
     */
    static Optional<ExperimentRecord> recordedExperiment(List<String> list) {
        Set<ExperimentRecord> found = new LinkedHashSet<>();
        for (String entry : list) {
            Path p = Paths.get(entry.trim()).toAbsolutePath().normalize();
            List<Path> candidates = new ArrayList<>(List.of(p));
            for (int up = 0; up < 3 && p.getParent() != null; up++) {
                p = p.getParent();
                candidates.add(p);
            }
            for (Path c : candidates) {
                try {
                    Optional<ExperimentRecord> r = ExperimentRecord.read(c);
                    if (r.isPresent()) {
                        found.add(r.get());
                        break;
                    }
                } catch (IllegalArgumentException e) {
                    throw new CommandException(e.getMessage(), e);
                }
            }
        }
        if (found.size() > 1) {
            throw new CommandException("the runs come from " + found.size() + " experiments recorded with different report settings "
                    + "(titles " + found.stream().map(r -> "'" + r.title() + "'").toList() + "): give all of --title, "
                    + "--target-accuracy and --compare, or report on one experiment at a time");
        }
        return found.stream().findFirst();
    }

    /**
     * Finds run directories: given directly, under runs/, or under runs/TRAINER/. A run directory
     * that has not finished (no {@value RunFiles#RUN}: a {@code seed-N} directory, or one holding other
     * run files) is an error rather than silently left out: a report resting on fewer seeds than the
     * experiment ran would compare other numbers than the user thinks. Hidden directories (a sweep's
     * attempts in progress) are not runs.
     * @throws CommandException If an entry is missing, names an unfinished run, or holds one.
     */
    static List<RunFiles> collectRuns(List<String> list) {
        List<RunFiles> runs = new ArrayList<>();
        for (String entry : list) {
            Path p = Paths.get(entry.trim());
            if (!Files.isDirectory(p)) {
                throw new CommandException("run directory not found: " + p.toAbsolutePath());
            }
            if (Files.exists(p.resolve(SweepRunRecord.FILE))) {
                throw sweepRun(p);
            }
            if (Files.exists(p.resolve(RunFiles.RUN))) {
                runs.add(RunFiles.at(p));
                continue;
            }
            if (looksLikeARun(p)) {
                throw unfinished(p);
            }
            Path root = Files.isDirectory(p.resolve("runs")) ? p.resolve("runs") : p;
            List<Path> dirs;
            try (Stream<Path> files = Files.walk(root, 2)) {
                dirs = files.filter(Files::isDirectory).filter(d -> !d.equals(root))
                        .filter(d -> !root.relativize(d).toString().startsWith(".") && !d.getFileName().toString().startsWith("."))
                        .sorted().toList();
            } catch (IOException e) {
                throw new CommandException("could not list " + root + ": " + e.getMessage(), e);
            }
            for (Path d : dirs) {
                if (Files.exists(d.resolve(SweepRunRecord.FILE))) {
                    throw sweepRun(d);
                }
                if (Files.exists(d.resolve(RunFiles.RUN))) {
                    runs.add(RunFiles.at(d));
                } else if (looksLikeARun(d)) {
                    throw unfinished(d);
                }
            }
        }
        if (runs.isEmpty()) {
            throw new CommandException("no finished runs (directories with " + RunFiles.RUN + ") under " + list);
        }
        return runs;
    }

    /** A sweep's run given to report --runs, which reads experiments' runs (a sweep's roles and arms are not trainers). */
    private static CommandException sweepRun(Path dir) {
        return new CommandException(dir.toAbsolutePath() + " is a run of a sweep (it holds " + SweepRunRecord.FILE
                + "): report --runs reads experiments' runs; rerun the sweep command to rewrite its report (finished runs are "
                + "kept, nothing retrains)");
    }

    /** A directory named like a run ({@code seed-N}) or holding a run's files, finished or not. */
    private static boolean looksLikeARun(Path dir) {
        if (dir.getFileName() != null && dir.getFileName().toString().matches("seed-\\d+")) {
            return true;
        }
        for (String f : List.of(RunFiles.MODEL, RunFiles.PROVENANCE, RunFiles.EVALUATION, RunFiles.HISTORY)) {
            if (Files.exists(dir.resolve(f))) {
                return true;
            }
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.anyMatch(f -> f.getFileName().toString().endsWith(".partial"));
        } catch (IOException e) {
            return false;
        }
    }

    private static CommandException unfinished(Path dir) {
        return new CommandException("run directory " + dir.toAbsolutePath() + " has no " + RunFiles.RUN + ": its run did not "
                + "finish (interrupted?), and a report without it would rest on fewer runs than were planned; rerun the "
                + "experiment (it resumes and trains only unfinished runs), or delete the directory to report without it");
    }

    /**
     * Refuses to read runs, or to write a report, where an experiment or sweep is writing now: every
     * {@code --runs} entry, the {@code --output-dir} and their parents up to the experiment's output
     * directory (OUTPUT/runs/TRAINER/seed-N) are checked for a held {@link OutputLock}.
     */
    static void checkNotBeingWritten(List<String> runs, Path outputDir) {
        List<Path> dirs = new ArrayList<>();
        for (String entry : runs == null ? List.<String>of() : runs) {
            dirs.add(Paths.get(entry.trim()));
        }
        dirs.add(outputDir);
        for (Path d : dirs) {
            Path p = d.toAbsolutePath().normalize();
            for (int up = 0; up <= 3 && p != null; up++, p = p.getParent()) {
                OutputLock.checkFree(p, "directory");
            }
        }
    }

    /**
     * The run name of a saved model: its file name without {@code .tribuo.pb}, or, for the
     * {@code model.tribuo.pb} of a run directory {@code TRAINER/seed-N/}, the trainer's name.
     */
    private static String runName(Path file) {
        String stem = file.getFileName().toString().replaceAll("(\\.tribuo)?(\\.pb)?$", "");
        Path parent = file.toAbsolutePath().getParent();
        if (stem.equals("model") && parent != null && parent.getFileName().toString().matches("seed-\\d+")
                && parent.getParent() != null) {
            return parent.getParent().getFileName().toString();
        }
        return stem;
    }

    /**
     * Refuses a model that knows none of the test data's features: it was trained on other data
     * (e.g. images of another size, whose pixels Tribuo names with another number of digits), and
     * its predictions would ignore every feature.
     */
    private static void checkKnowsTheData(Path file, Model<?> model, Dataset<Label> test, String data) {
        java.util.Set<String> names = test.getFeatureMap().keySet();
        if (!names.isEmpty() && names.stream().noneMatch(n -> model.getFeatureIDMap().get(n) != null)) {
            String modelExample = model.getFeatureIDMap().size() == 0 ? "none" : "'" + model.getFeatureIDMap().get(0).getName() + "'";
            throw new CommandException("model file " + file.toAbsolutePath() + " knows none of the " + names.size()
                    + " features of the test data in " + data + " (model features like " + modelExample + ", data features like '"
                    + test.getFeatureIDMap().get(0).getName() + "'): it was trained on other data");
        }
    }

    /** Evaluates each saved model on the test data and records it as a run, named after its file. */
    private static List<RunFiles> evaluateModels(ReportCommandOptions o) {
        if (o.data == null) {
            throw new CommandException("--models needs --data (bundled, full or a directory of IDX files) to evaluate them on");
        }
        IdxDirectory dir = IdxDirectory.resolve(o.data);
        DataChecks.IdxPair testFiles = dir.check("t10k");
        Dataset<Label> test = dir.load("t10k");
        // Every model is loaded and checked before any is evaluated or anything is written.
        Map<Path, Model<Label>> models = new LinkedHashMap<>();
        for (String entry : o.models) {
            Path file = Paths.get(entry.trim());
            Model<?> loaded = AuditCommand.load(file);
            if (!loaded.validate(Label.class)) {
                throw new CommandException("model file " + file.toAbsolutePath() + " holds a " + loaded.getClass().getSimpleName()
                        + " that does not predict class labels: report compares classifiers");
            }
            if (loaded instanceof HasExampleShape) {
                // The one image-shape check: a 28x28 model would score 20x20 images without any error.
                DataChecks.checkImageShape("model file " + file.toAbsolutePath(), ((HasExampleShape) loaded).getExampleShape(),
                        "test data", testFiles);
            } else {
                DataChecks.checkPixelsWithin("model file " + file.toAbsolutePath(), loaded.getFeatureIDMap().keySet(), "test data",
                        testFiles);
            }
            checkKnowsTheData(file, loaded, test, o.data);
            models.put(file, loaded.castModel(Label.class));
        }
        List<RunFiles> runs = new ArrayList<>();
        java.util.Set<String> usedNames = new java.util.HashSet<>();
        for (Map.Entry<Path, Model<Label>> m : models.entrySet()) {
            Path file = m.getKey();
            Model<Label> model = m.getValue();
            String name = runName(file);
            for (int i = 2; usedNames.contains(name); i++) {
                name = runName(file) + "-" + i;
            }
            usedNames.add(name);
            ProvenanceFacts facts = ProvenanceFacts.of(model.getProvenance());
            long seed = facts.seed().map(Long::parseLong).orElse(0L);
            double seconds = model instanceof HasTrainingHistory
                    ? ((HasTrainingHistory) model).getTrainingHistory().totalWallSeconds() : Double.NaN;
            RunFiles files = RunFiles.of(o.outputDir, name, seed);
            files.clear();
            try {
                RunRecorder.record(files, name, seed, model, test, model.getProvenance().getDatasetProvenance().getNumExamples(),
                        seconds);
            } catch (IllegalArgumentException e) {
                throw new CommandException(file + ": " + e.getMessage(), e);
            }
            runs.add(files);
        }
        return runs;
    }
}

package io.github.randomgradient.report;

import io.github.randomgradient.history.Divergence;
import io.github.randomgradient.history.EpochRecord;
import io.github.randomgradient.history.TrainingHistory;
import io.github.randomgradient.report.ReportOptions.Comparison;
import io.github.randomgradient.rg.CyclicalLossScale;
import io.github.randomgradient.rg.RandomGradientOptimiser;
import io.github.randomgradient.rg.UniformLossScale;
import io.github.randomgradient.run.RunFiles;
import io.github.randomgradient.run.RunRecord;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.tribuo.math.optimisers.Adam;
import org.tribuo.math.optimisers.SGD;

import java.io.IOException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

import static io.github.randomgradient.report.RunFixtures.BASELINE;
import static io.github.randomgradient.report.RunFixtures.LR_MATCHED;
import static io.github.randomgradient.report.RunFixtures.RG;
import static io.github.randomgradient.report.RunFixtures.TARGET;

/** Throwaway: writes comparison reports of fixed inputs to -Drg.char=DIR (before/after the document model). */
public class CharacteriseReportsHarness {

    static final String TITLE_SPECIAL = "A <b>title</b> & | *stars* _under_ \"q\" 'a'\nsecond line";

    private static void fix(RunFiles files) {
        RunRecord r = files.readRun();
        files.writeJson(RunFiles.RUN, new RunRecord(r.trainer(), r.seed(), r.status(), 1.0 + r.seed() * 0.25, r.trainExamples(),
                r.testExamples(), r.modelClass(), r.lossScale(), r.lossScaleMean(), r.learningRate(), r.effectiveLearningRate(),
                "2026-01-01T00:00:00Z", r.sha256()));
    }

    private static void clean(Path dir) throws IOException {
        if (Files.exists(dir)) {
            try (Stream<Path> s = Files.walk(dir)) {
                for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
        Files.createDirectories(dir);
    }

    /** RunFixtures.writeRun with mini-batch 32 and 2 epochs, so the trainers differ structurally (CAUTION). */
    static RunFiles writeRun32(Path output, String trainer, long seed, org.tribuo.math.StochasticGradientOptimiser optimiser,
                               TrainingHistory history) {
        org.tribuo.classification.sgd.linear.LinearSGDTrainer sgd = new org.tribuo.classification.sgd.linear.LinearSGDTrainer(
                new org.tribuo.classification.sgd.objectives.LogMulticlass(), optimiser, 2, -1, 32, seed);
        org.tribuo.Model<org.tribuo.classification.Label> model = sgd.train(RunFixtures.TRAIN);
        org.tribuo.classification.evaluation.LabelEvaluation evaluation = new org.tribuo.classification.evaluation.LabelEvaluator()
                .evaluate(model, RunFixtures.TEST);
        Map<String, io.github.randomgradient.run.EvaluationRecord.ClassMetrics> perClass = new LinkedHashMap<>();
        for (org.tribuo.classification.Label label : evaluation.getConfusionMatrix().getDomain().getDomain()) {
            perClass.put(label.getLabel(), new io.github.randomgradient.run.EvaluationRecord.ClassMetrics(evaluation.precision(label),
                    evaluation.recall(label), evaluation.f1(label), evaluation.getConfusionMatrix().support(label)));
        }
        RunFiles files = RunFiles.of(output, trainer, seed);
        try {
            Files.createDirectories(files.dir());
            model.serializeToFile(files.file(RunFiles.MODEL));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        files.writeText(RunFiles.PROVENANCE, new com.oracle.labs.mlrg.olcut.config.json.JsonProvenanceSerialization(true)
                .marshalAndSerialize(model.getProvenance()));
        files.writeJson(RunFiles.EVALUATION, new io.github.randomgradient.run.EvaluationRecord(evaluation.accuracy(),
                evaluation.macroAveragedF1(), evaluation.balancedErrorRate(), perClass));
        if (history != null) {
            files.writeJson(RunFiles.HISTORY, history);
        }
        io.github.randomgradient.run.ProvenanceFacts facts = io.github.randomgradient.run.ProvenanceFacts.of(model.getProvenance());
        files.writeJson(RunFiles.RUN, new RunRecord(trainer, seed, RunRecord.COMPLETE, 1.0, RunFixtures.TRAIN.size(),
                RunFixtures.TEST.size(), model.getClass().getName(), facts.lossScale().describe(), facts.lossScale().expectedValue(),
                facts.learningRate().orElse(Double.NaN), facts.effectiveLearningRate().orElse(Double.NaN),
                "2026-01-01T00:00:00Z", RunFixtures.hashes(files)));
        return files;
    }

    static String md(ReportData data, List<String> svgs, Optional<String> noCharts) {
        return io.github.randomgradient.report.doc.MarkdownRenderer.render(ReportPage.document(data, svgs, noCharts));
    }

    static String html(ReportData data, List<String> svgs, Optional<String> noCharts) {
        return io.github.randomgradient.report.doc.HtmlRenderer.render(ReportPage.document(data, svgs, noCharts));
    }

    @Test
    public void characterise() throws Exception {
        String out = System.getProperty("rg.char");
        Assumptions.assumeTrue(out != null);
        Path root = Path.of(out);
        Path runsRoot = Path.of("/tmp/docmodel-char-runs");
        Map<String, List<RunFiles>> cases = new LinkedHashMap<>();
        Map<String, ReportOptions> options = new LinkedHashMap<>();

        Path d = runsRoot.resolve("standard");
        clean(d);
        Map<String, List<RunFiles>> experiment = RunFixtures.writeExperiment(d);
        List<RunFiles> all = RunFixtures.select(experiment, 3);
        cases.put("standard", all);
        options.put("standard", new ReportOptions(List.of(), TARGET, "RG vs baseline"));
        cases.put("special-title", all);
        options.put("special-title", new ReportOptions(List.of(new Comparison(RG, LR_MATCHED), new Comparison(RG, BASELINE)),
                TARGET, TITLE_SPECIAL));
        cases.put("one-seed", RunFixtures.select(experiment, 1));
        options.put("one-seed", new ReportOptions(List.of(), TARGET, "one seed"));

        d = runsRoot.resolve("failed");
        clean(d);
        List<RunFiles> failed = new ArrayList<>();
        for (long seed : new long[]{1, 2, 3}) {
            failed.add(RunFixtures.writeRun(d, BASELINE, seed));
        }
        failed.add(RunFixtures.writeRun(d, RG, 1));
        EpochRecord first = RunFixtures.history(RG, 2).epochs().get(0);
        EpochRecord huge = new EpochRecord(2, first.steps(), 3.6e30, 0.5, 0.1, 0.1, 0.01, 1e4, first.stepLosses());
        failed.add(RunFixtures.writeRun(d, RG, 2, RunFixtures.optimiser(RG, 2), RunRecord.DIVERGED,
                new TrainingHistory("accuracy", "test", List.of(first, huge), new Divergence(3, 41L, Double.POSITIVE_INFINITY, 1e4, 0.62))));
        TrainingHistory chance = new TrainingHistory("accuracy", "test", RunFixtures.history(RG, 3).epochs().stream()
                .map(e -> new EpochRecord(e.epoch(), e.steps(), 0.693, 0.5, 0.5, 0.5, 0.01, 0.05, e.stepLosses())).toList(), null);
        failed.add(RunFixtures.withAccuracy(RunFixtures.writeRun(d, RG, 3, RunFixtures.optimiser(RG, 3), RunRecord.COMPLETE, chance), 0.5));
        cases.put("failed", failed);
        options.put("failed", new ReportOptions(List.of(new Comparison(RG, BASELINE)), TARGET, "failed runs"));

        d = runsRoot.resolve("adam");
        clean(d);
        List<RunFiles> adam = new ArrayList<>();
        for (long seed : new long[]{1, 2, 3}) {
            adam.add(RunFixtures.writeRun(d, RG, seed, new RandomGradientOptimiser(new Adam(0.001, 0.9, 0.999, 1e-8),
                    UniformLossScale.paperDefault(), seed), RunRecord.COMPLETE, null));
            adam.add(RunFixtures.writeRun(d, BASELINE, seed, new Adam(0.001, 0.9, 0.999, 1e-8), RunRecord.COMPLETE, null));
        }
        cases.put("adam", adam);
        options.put("adam", new ReportOptions(List.of(new Comparison(RG, BASELINE)), TARGET, "adam"));

        d = runsRoot.resolve("caution");
        clean(d);
        CyclicalLossScale decaying = new CyclicalLossScale(0.0, 1.0, 5, CyclicalLossScale.Mode.TRIANGULAR2, 1.0);
        List<RunFiles> caution = new ArrayList<>();
        for (long seed : new long[]{1, 2, 3}) {
            caution.add(RunFixtures.writeRun(d, RG, seed, new RandomGradientOptimiser(SGD.getSimpleSGD(0.05, 0.9, SGD.Momentum.STANDARD),
                    decaying, seed), RunRecord.COMPLETE, RunFixtures.history(RG, seed)));
            caution.add(writeRun32(d, BASELINE, seed, SGD.getSimpleSGD(0.025, 0.5, SGD.Momentum.STANDARD),
                    seed == 2 ? null : RunFixtures.history(BASELINE, seed)));
        }
        cases.put("caution", caution);
        options.put("caution", new ReportOptions(List.of(new Comparison(RG, BASELINE)), TARGET, "caution"));

        for (List<RunFiles> runs : cases.values()) {
            runs.forEach(CharacteriseReportsHarness::fix);
        }
        for (String name : cases.keySet()) {
            ComparisonReport report = ComparisonReport.build(cases.get(name), options.get(name));
            Path c = root.resolve("comparison").resolve(name);
            clean(c);
            ReportWriter.write(report, c.resolve("fonts"));
            System.setProperty(ReportCharts.SIMULATE_NO_FONTS, "true");
            try {
                ReportWriter.write(report, c.resolve("nofonts"));
            } finally {
                System.clearProperty(ReportCharts.SIMULATE_NO_FONTS);
            }
            ReportData data = report.data();
            Files.writeString(c.resolve("data.json"), report.toJson());
            Files.writeString(c.resolve("page-charts.md"), md(data, List.of(), Optional.empty()));
            Files.writeString(c.resolve("page-nocharts.md"), md(data, List.of(), Optional.of("Error: no fonts")));
            Files.writeString(c.resolve("page-charts.html"), html(data,
                    List.of("<svg id='loss'></svg>", "<svg id='accuracy'></svg>", "<svg id='steps'></svg>"), Optional.empty()));
            Files.writeString(c.resolve("page-nocharts.html"), html(data, List.of(), Optional.of("Error: <no> fonts & \"x\"")));
        }
    }
}

package io.github.randomgradient.run;

import com.oracle.labs.mlrg.olcut.config.json.JsonProvenanceSerialization;
import io.github.randomgradient.run.EvaluationRecord;
import io.github.randomgradient.history.HasTrainingHistory;
import io.github.randomgradient.run.ProvenanceFacts;
import io.github.randomgradient.run.RunFiles;
import io.github.randomgradient.run.RunRecord;
import org.tribuo.Dataset;
import org.tribuo.Model;
import org.tribuo.classification.Label;
import org.tribuo.classification.evaluation.LabelEvaluation;
import org.tribuo.classification.evaluation.LabelEvaluator;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.OffsetDateTime;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Evaluates a trained classification model on test data with Tribuo's {@link LabelEvaluator} and
 * writes its run directory ({@link RunFiles}): model, provenance JSON, evaluation, history, and
 * last the {@link RunRecord} that marks the run complete.
 */
public final class RunRecorder {

    private RunRecorder() {}

    /**
     * Evaluates a model on test data.
     * @param model The model.
     * @param test The test data.
     * @return The evaluation: accuracy, macro-F1, balanced error rate and per-class metrics (every class
     *         the model knows; a class absent from the test data has support 0).
     * @throws IllegalArgumentException If the test data holds a label the model never saw in training.
     */
    public static EvaluationRecord evaluate(Model<Label> model, Dataset<Label> test) {
        java.util.Set<String> known = new java.util.TreeSet<>();
        model.getOutputIDInfo().getDomain().forEach(l -> known.add(l.getLabel()));
        java.util.Set<String> unseen = new java.util.TreeSet<>();
        test.getOutputInfo().getDomain().forEach(l -> {
            if (!known.contains(l.getLabel())) {
                unseen.add(l.getLabel());
            }
        });
        if (!unseen.isEmpty()) {
            throw new IllegalArgumentException("the test data has labels " + unseen + " that the model never saw in "
                    + "training (its labels: " + known + "); it cannot predict them, so the evaluation would misreport "
                    + "them: evaluate on test data whose labels the model knows");
        }
        LabelEvaluation e = new LabelEvaluator().evaluate(model, test);
        Map<String, EvaluationRecord.ClassMetrics> perClass = new LinkedHashMap<>();
        for (Label l : model.getOutputIDInfo().getDomain()) {
            perClass.put(l.getLabel(), new EvaluationRecord.ClassMetrics(e.precision(l), e.recall(l), e.f1(l),
                    e.getConfusionMatrix().support(l)));
        }
        return new EvaluationRecord(e.accuracy(), e.macroAveragedF1(), e.balancedErrorRate(), perClass);
    }

    /**
     * Writes a complete run directory.
     * @param files The run's files.
     * @param trainer The trainer's component name.
     * @param seed The run's seed.
     * @param model The trained model.
     * @param test The test data.
     * @param trainExamples The number of training examples.
     * @param trainSeconds Wall-clock seconds of training.
     * @return The run record written.
     * @throws UncheckedIOException If a file cannot be written.
     */
    public static RunRecord record(RunFiles files, String trainer, long seed, Model<Label> model, Dataset<Label> test,
                                   int trainExamples, double trainSeconds) {
        EvaluationRecord evaluation = evaluate(model, test);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try {
            model.serializeToStream(bytes);
        } catch (IOException e) {
            throw new UncheckedIOException("could not serialise the model of " + files.dir(), e);
        }
        java.util.Map<String, String> hashes = new java.util.TreeMap<>();
        hashes.put(RunFiles.MODEL, files.write(RunFiles.MODEL, bytes.toByteArray()));
        hashes.put(RunFiles.PROVENANCE, files.writeText(RunFiles.PROVENANCE,
                new JsonProvenanceSerialization(true).marshalAndSerialize(model.getProvenance())));
        hashes.put(RunFiles.EVALUATION, files.writeJson(RunFiles.EVALUATION, evaluation));
        boolean diverged = false;
        if (model instanceof HasTrainingHistory) {
            var history = ((HasTrainingHistory) model).getTrainingHistory();
            hashes.put(RunFiles.HISTORY, files.writeJson(RunFiles.HISTORY, history));
            diverged = history.isDiverged();
        }
        ProvenanceFacts facts = ProvenanceFacts.of(model.getProvenance());
        RunRecord run = new RunRecord(trainer, seed, diverged ? RunRecord.DIVERGED : RunRecord.COMPLETE, trainSeconds,
                trainExamples, test.size(), model.getClass().getName(), facts.lossScale().describe(),
                facts.lossScale().runMeanFactor(), facts.learningRate().orElse(Double.NaN),
                facts.effectiveLearningRate().orElse(Double.NaN), OffsetDateTime.now().toString(), hashes);
        files.writeJson(RunFiles.RUN, run);
        return run;
    }
}

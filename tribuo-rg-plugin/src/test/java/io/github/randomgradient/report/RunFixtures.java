package io.github.randomgradient.report;

import io.github.randomgradient.config.Digests;
import io.github.randomgradient.history.EpochRecord;
import io.github.randomgradient.history.TrainingHistory;
import com.oracle.labs.mlrg.olcut.config.json.JsonProvenanceSerialization;
import com.oracle.labs.mlrg.olcut.provenance.Provenance;
import io.github.randomgradient.rg.RandomGradientOptimiser;
import io.github.randomgradient.rg.UniformLossScale;
import io.github.randomgradient.run.EvaluationRecord;
import io.github.randomgradient.run.ProvenanceFacts;
import io.github.randomgradient.run.RunFiles;
import io.github.randomgradient.run.RunRecord;
import org.tribuo.Dataset;
import org.tribuo.Model;
import org.tribuo.MutableDataset;
import org.tribuo.classification.Label;
import org.tribuo.classification.evaluation.LabelEvaluation;
import org.tribuo.classification.evaluation.LabelEvaluator;
import org.tribuo.classification.example.GaussianLabelDataSource;
import org.tribuo.classification.sgd.linear.LinearSGDTrainer;
import org.tribuo.classification.sgd.objectives.LogMulticlass;
import org.tribuo.math.StochasticGradientOptimiser;
import org.tribuo.math.optimisers.SGD;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Real run directories for the report tests: Tribuo's {@link LinearSGDTrainer} trained on two 2-D
 * Gaussians (means (0,0) and (2,2), identity covariance) as a baseline, as RG (U[0, 1), E[u] = 0.5)
 * and as an lr-matched baseline (learning rate × 0.5), evaluated with Tribuo's {@link LabelEvaluator}
 * and written with {@link RunFiles}. The per-epoch histories are fabricated (LinearSGDTrainer keeps
 * none) but plausible, so convergence numbers are known exactly.
 */
final class RunFixtures {

    static final String BASELINE = "linear-baseline";
    static final String RG = "linear-rg";
    static final String LR_MATCHED = "linear-baseline-lr-matched";
    static final List<String> TRAINERS = List.of(BASELINE, RG, LR_MATCHED);
    static final List<Long> SEEDS = List.of(1L, 2L, 3L);

    static final double LEARNING_RATE = 0.05;
    static final double MOMENTUM = 0.9;
    static final int EPOCHS = 3;
    static final int MINIBATCH = 16;
    static final int TRAIN_SIZE = 320;
    /** Mini-batches per epoch: 320 / 16. */
    static final int STEPS = TRAIN_SIZE / MINIBATCH;
    /** The accuracy used as the convergence target in the tests. */
    static final double TARGET = 0.85;

    private static final double[] COV = {1.0, 0.0, 0.0, 1.0};
    static final Dataset<Label> TRAIN = new MutableDataset<>(
            new GaussianLabelDataSource(TRAIN_SIZE, 1L, new double[]{0.0, 0.0}, COV, new double[]{2.0, 2.0}, COV));
    static final Dataset<Label> TEST = new MutableDataset<>(
            new GaussianLabelDataSource(400, 2L, new double[]{0.0, 0.0}, COV, new double[]{2.0, 2.0}, COV));

    private RunFixtures() {}

    /** The optimiser of one of the three standard trainers. */
    static StochasticGradientOptimiser optimiser(String trainer, long seed) {
        return switch (trainer) {
            case BASELINE -> SGD.getSimpleSGD(LEARNING_RATE, MOMENTUM, SGD.Momentum.STANDARD);
            case LR_MATCHED -> SGD.getSimpleSGD(LEARNING_RATE * 0.5, MOMENTUM, SGD.Momentum.STANDARD);
            case RG -> new RandomGradientOptimiser(SGD.getSimpleSGD(LEARNING_RATE, MOMENTUM, SGD.Momentum.STANDARD),
                    UniformLossScale.paperDefault(), seed);
            default -> throw new IllegalArgumentException("unknown fixture trainer " + trainer);
        };
    }

    /**
     * Fabricated test accuracy per epoch. With target 0.85: the baseline and the lr-matched baseline
     * reach it at epoch 2 for every seed, RG at epoch 3 for seeds 1 and 2 and never for seed 3.
     */
    static double[] validationAccuracy(String trainer, long seed) {
        return switch (trainer) {
            case BASELINE -> new double[]{0.80, 0.88, 0.90};
            case LR_MATCHED -> new double[]{0.78, 0.86, 0.90};
            case RG -> seed == 3 ? new double[]{0.70, 0.80, 0.84} : new double[]{0.72, 0.84, 0.89};
            default -> throw new IllegalArgumentException("unknown fixture trainer " + trainer);
        };
    }

    /** Fabricated mean training loss of epoch {@code e} (from 1): decreasing, offset by 0.01 per seed. */
    static double meanLoss(String trainer, long seed, int epoch) {
        double[] base = trainer.equals(RG) ? new double[]{0.65, 0.50, 0.44} : new double[]{0.60, 0.45, 0.40};
        return base[epoch - 1] + 0.01 * seed;
    }

    /**
     * A fabricated 3-epoch history: mini-batch losses alternate around the epoch mean by ±0.02
     * (baseline) or ±0.05 (RG, which oscillates more).
     */
    static TrainingHistory history(String trainer, long seed) {
        double amplitude = trainer.equals(RG) ? 0.05 : 0.02;
        double scale = trainer.equals(RG) ? 0.5 : 1.0;
        double lr = trainer.equals(LR_MATCHED) ? LEARNING_RATE * 0.5 : LEARNING_RATE;
        double[] accuracy = validationAccuracy(trainer, seed);
        List<EpochRecord> epochs = new ArrayList<>();
        for (int e = 1; e <= EPOCHS; e++) {
            double mean = meanLoss(trainer, seed, e);
            float[] steps = new float[STEPS];
            for (int i = 0; i < STEPS; i++) {
                steps[i] = (float) (mean + (i % 2 == 0 ? amplitude : -amplitude));
            }
            epochs.add(new EpochRecord(e, STEPS, mean, scale, accuracy[e - 1] - 0.01, accuracy[e - 1], 0.01, lr, steps));
        }
        return new TrainingHistory("accuracy", "accuracy", epochs, null);
    }

    /**
     * Trains, evaluates and writes one run directory.
     * @param history The history to write, or null for none.
     */
    static RunFiles writeRun(Path output, String trainer, long seed, StochasticGradientOptimiser optimiser,
                             String status, TrainingHistory history) {
        return writeRun(output, trainer, seed, optimiser, status, history, Map.of());
    }

    /**
     * Trains, evaluates and writes one run directory.
     * @param history The history to write, or null for none.
     * @param runProvenance Instance provenance given to {@code train}, e.g. {@code diverged}, {@code divergence}.
     */
    static RunFiles writeRun(Path output, String trainer, long seed, StochasticGradientOptimiser optimiser,
                             String status, TrainingHistory history, Map<String, Provenance> runProvenance) {
        return writeRun(output, trainer, seed, optimiser, status, history, runProvenance, TRAIN, TEST);
    }

    /**
     * Trains on {@code train}, evaluates on {@code test} and writes one run directory.
     * @param history The history to write, or null for none.
     * @param runProvenance Instance provenance given to {@code train}, e.g. {@code diverged}, {@code divergence}.
     */
    static RunFiles writeRun(Path output, String trainer, long seed, StochasticGradientOptimiser optimiser,
                             String status, TrainingHistory history, Map<String, Provenance> runProvenance,
                             Dataset<Label> train, Dataset<Label> test) {
        LinearSGDTrainer sgd = new LinearSGDTrainer(new LogMulticlass(), optimiser, EPOCHS, -1, MINIBATCH, seed);
        long start = System.nanoTime();
        Model<Label> model = sgd.train(train, runProvenance);
        double seconds = (System.nanoTime() - start) / 1e9;
        LabelEvaluation evaluation = new LabelEvaluator().evaluate(model, test);
        Map<String, EvaluationRecord.ClassMetrics> perClass = new LinkedHashMap<>();
        for (Label label : evaluation.getConfusionMatrix().getDomain().getDomain()) {
            perClass.put(label.getLabel(), new EvaluationRecord.ClassMetrics(evaluation.precision(label),
                    evaluation.recall(label), evaluation.f1(label), evaluation.getConfusionMatrix().support(label)));
        }
        RunFiles files = RunFiles.of(output, trainer, seed);
        try {
            Files.createDirectories(files.dir());
            model.serializeToFile(files.file(RunFiles.MODEL));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        files.writeText(RunFiles.PROVENANCE, new JsonProvenanceSerialization(true).marshalAndSerialize(model.getProvenance()));
        files.writeJson(RunFiles.EVALUATION, new EvaluationRecord(evaluation.accuracy(), evaluation.macroAveragedF1(),
                evaluation.balancedErrorRate(), perClass));
        if (history != null) {
            writeHistory(files, history);
        }
        ProvenanceFacts facts = ProvenanceFacts.of(model.getProvenance());
        files.writeJson(RunFiles.RUN, new RunRecord(trainer, seed, status, seconds, train.size(), test.size(),
                model.getClass().getName(), facts.lossScale().describe(), facts.lossScale().expectedValue(),
                facts.learningRate().orElse(Double.NaN), facts.effectiveLearningRate().orElse(Double.NaN),
                Instant.now().toString(), hashes(files)));
        return files;
    }

    /** The SHA-256 of each of the run's files that exists, as RunRecorder records them. */
    static Map<String, String> hashes(RunFiles files) {
        Map<String, String> out = new java.util.TreeMap<>();
        for (String name : List.of(RunFiles.MODEL, RunFiles.PROVENANCE, RunFiles.EVALUATION, RunFiles.HISTORY)) {
            try {
                if (Files.exists(files.file(name))) {
                    out.put(name, Digests.sha256(Files.readAllBytes(files.file(name))));
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return out;
    }

    /** Records the current hashes in run.json after a fixture replaced one of the run's files on purpose. */
    private static void rehash(RunFiles files) {
        if (!Files.exists(files.file(RunFiles.RUN))) {
            return;
        }
        RunRecord r = files.readRun();
        files.writeJson(RunFiles.RUN, new RunRecord(r.trainer(), r.seed(), r.status(), r.trainSeconds(), r.trainExamples(),
                r.testExamples(), r.modelClass(), r.lossScale(), r.lossScaleMean(), r.learningRate(), r.effectiveLearningRate(),
                r.finishedAt(), hashes(files)));
    }

    /**
     * Replaces the test accuracy recorded in a real run's {@value RunFiles#EVALUATION}, so a test can
     * control the values a verdict is computed from; everything else in the run stays as trained.
     */
    static RunFiles withAccuracy(RunFiles files, double accuracy) {
        EvaluationRecord e = files.readEvaluation();
        files.writeJson(RunFiles.EVALUATION, new EvaluationRecord(accuracy, e.macroF1(), e.balancedErrorRate(), e.perClass()));
        rehash(files);
        return files;
    }

    /** Writes {@value RunFiles#HISTORY}, as the experiment does. */
    static void writeHistory(RunFiles files, TrainingHistory history) {
        files.writeJson(RunFiles.HISTORY, history);
        rehash(files);
    }

    /** Writes a complete run of a standard trainer with its fabricated history. */
    static RunFiles writeRun(Path output, String trainer, long seed) {
        return writeRun(output, trainer, seed, optimiser(trainer, seed), RunRecord.COMPLETE, history(trainer, seed));
    }

    /** Writes every standard trainer for every seed, trainers first (so they are first seen in TRAINERS order). */
    static Map<String, List<RunFiles>> writeExperiment(Path output) {
        Map<String, List<RunFiles>> runs = new LinkedHashMap<>();
        for (String trainer : TRAINERS) {
            List<RunFiles> list = new ArrayList<>();
            for (long seed : SEEDS) {
                list.add(writeRun(output, trainer, seed));
            }
            runs.put(trainer, list);
        }
        return runs;
    }

    /** The runs with the first {@code seeds} seeds of each trainer, in TRAINERS order. */
    static List<RunFiles> select(Map<String, List<RunFiles>> experiment, int seeds) {
        List<RunFiles> out = new ArrayList<>();
        for (List<RunFiles> runs : experiment.values()) {
            out.addAll(runs.subList(0, seeds));
        }
        return out;
    }
}

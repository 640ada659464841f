package io.github.randomgradient.djl;

import com.oracle.labs.mlrg.olcut.provenance.ConfiguredObjectProvenance;
import com.oracle.labs.mlrg.olcut.provenance.Provenance;
import io.github.randomgradient.djl.block.MLPBlockFactory;
import io.github.randomgradient.djl.convert.DenseFeatureConverter;
import io.github.randomgradient.djl.convert.RegressorConverter;
import io.github.randomgradient.history.EpochRecord;
import io.github.randomgradient.history.TrainingHistory;
import io.github.randomgradient.rg.UniformLossScale;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.tribuo.Dataset;
import org.tribuo.Prediction;
import org.tribuo.classification.Label;
import org.tribuo.classification.evaluation.LabelEvaluator;
import org.tribuo.regression.Regressor;
import org.tribuo.regression.evaluation.RegressionEvaluation;
import org.tribuo.regression.evaluation.RegressionEvaluator;
import org.tribuo.regression.example.NonlinearGaussianDataSource;
import org.tribuo.regression.example.RegressionDataGenerator;
import org.tribuo.MutableDataset;
import org.tribuo.test.Helpers;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * DJLTrainer on Tribuo's synthetic data: classification, regression, determinism, history,
 * concurrency and provenance.
 */
public class DJLTrainerSyntheticTest {

    private static Dataset<Label> train;
    private static Dataset<Label> test;
    private static DJLModel<Label> rgModel;

    @BeforeAll
    public static void trainOnce() {
        train = TestData.circles(400, 1L);
        test = TestData.circles(400, 2L);
        rgModel = TestData.mlp().optLossScale(UniformLossScale.paperDefault()).build().train(train, test, "test", Map.of());
    }

    @Test
    public void mlpClassifiesCirclesWithRg() {
        double accuracy = new LabelEvaluator().evaluate(rgModel, test).accuracy();
        // A linear model cannot beat ~0.5 on concentric circles; the MLP must.
        assertTrue(accuracy >= 0.90, "accuracy " + accuracy);
        TrainingHistory h = rgModel.getTrainingHistory();
        assertEquals(20, h.epochs().size());
        assertEquals("accuracy", h.metric());
        EpochRecord last = h.epochs().get(19);
        assertEquals(12, last.steps()); // floor(400 / 32): lastBatch=MERGE puts the trailing 16 examples into the 12th mini-batch
        assertEquals(12, last.stepLosses().length);
        assertEquals(accuracy, last.heldOutMetric(), 1e-9, "validation metric is the test accuracy after the last epoch");
        // The mean loss scale is the mean of U[0, 1) draws over 240 steps: within 4 standard errors of 0.5.
        assertEquals(0.5, h.meanLossScale(), 4 * Math.sqrt(1.0 / 12 / 240));
        assertTrue(h.epochs().get(0).meanLoss() > last.meanLoss(), "training loss decreases");
        assertFalse(h.isDiverged());
        assertFalse(rgModel.isDiverged());
    }

    /** RMSE of predicting each dimension's mean, per dimension: the bar a regression model must clear. */
    private static double meanPredictorRmse(Dataset<Regressor> data, String dim) {
        List<Double> values = new ArrayList<>();
        data.forEach(e -> values.add(e.getOutput().getDimension(dim).orElseThrow().getValue()));
        double mean = values.stream().mapToDouble(Double::doubleValue).average().orElseThrow();
        return Math.sqrt(values.stream().mapToDouble(v -> (v - mean) * (v - mean)).average().orElseThrow());
    }

    private static DJLTrainer<Regressor> regressionTrainer(int epochs, int batchSize) {
        return DJLTrainer.builder(new MLPBlockFactory(MLPBlockFactory.ActivationType.TANH, 32),
                        new DenseFeatureConverter(), new RegressorConverter())
                .optLearningRate(0.01f).optMomentum(0.9f).optEpochs(epochs).optBatchSize(batchSize).optSeed(3L)
                .optDevice("cpu").optLossScale(UniformLossScale.paperDefault()).build();
    }

    @Test
    public void regressionBeatsTheMeanPredictor() {
        Dataset<Regressor> rtrain = new MutableDataset<>(new NonlinearGaussianDataSource(400, 1L));
        Dataset<Regressor> rtest = new MutableDataset<>(new NonlinearGaussianDataSource(400, 2L));
        DJLModel<Regressor> model = regressionTrainer(30, 16).train(rtrain);
        RegressionEvaluation eval = new RegressionEvaluator().evaluate(model, rtest);
        Regressor dim = rtest.getOutputInfo().getDomain().iterator().next();
        double bar = meanPredictorRmse(rtest, dim.getNames()[0]);
        assertTrue(eval.rmse(dim) < 0.5 * bar, "RMSE " + eval.rmse(dim) + " vs the mean predictor's " + bar);
        assertEquals("rmse", model.getTrainingHistory().metric());
    }

    @Test
    public void multiDimensionalRegressionKeepsDimensionsApart() {
        // Output ids deliberately remapped away from the natural (name) order.
        var data = RegressionDataGenerator.threeDimDenseTrainTest(1.0, true);
        Dataset<Regressor> rtrain = data.getA();
        DJLModel<Regressor> model = regressionTrainer(300, 4).train(rtrain);
        RegressionEvaluation eval = new RegressionEvaluator().evaluate(model, rtrain);
        assertEquals(3, rtrain.getOutputInfo().size());
        for (Regressor dim : rtrain.getOutputInfo().getDomain()) {
            double bar = meanPredictorRmse(rtrain, dim.getNames()[0]);
            assertTrue(eval.rmse(dim) < 0.5 * bar, dim + ": RMSE " + eval.rmse(dim) + " vs the mean predictor's " + bar);
        }
        assertEquals(3, model.predict(rtrain.getExample(0)).getOutput().size());
        Helpers.testModelProtoSerialization(model, Regressor.class, data.getB(), 0.0);
    }

    @Test
    public void sameSeedSameParametersDifferentSeedDifferent() {
        DJLModel<Label> a = TestData.mlp().optEpochs(2).build().train(train);
        DJLModel<Label> b = TestData.mlp().optEpochs(2).build().train(train);
        DJLModel<Label> c = TestData.mlp().optEpochs(2).optSeed(8L).build().train(train);
        assertArrayEquals(a.getParameterBytes(), b.getParameterBytes());
        assertFalse(Arrays.equals(a.getParameterBytes(), c.getParameterBytes()));
        // Same seed, RG vs baseline: the loss scale really changes the training path.
        DJLModel<Label> rg = TestData.mlp().optEpochs(2).optLossScale(UniformLossScale.paperDefault()).build().train(train);
        assertFalse(Arrays.equals(a.getParameterBytes(), rg.getParameterBytes()));
    }

    @Test
    public void splitMiniBatchesGiveTheSameUpdate() {
        // The data-parallel path: each mini-batch split in 3, each split's loss weighted by its share.
        // With no batch-dependent layers this must equal the unsplit update up to float rounding.
        DJLTrainer<Label> whole = TestData.mlp().optEpochs(1).build();
        DJLTrainer<Label> split = TestData.mlp().optEpochs(1).build();
        split.setSplitsPerDeviceForTesting(3);
        DJLModel<Label> a = whole.train(train);
        DJLModel<Label> b = split.train(train);
        List<Prediction<Label>> pa = a.predict(test);
        List<Prediction<Label>> pb = b.predict(test);
        for (int i = 0; i < pa.size(); i++) {
            for (Map.Entry<String, Label> e : pa.get(i).getOutputScores().entrySet()) {
                double other = pb.get(i).getOutputScores().get(e.getKey()).getScore();
                assertEquals(e.getValue().getScore(), other, 1e-4, "prediction " + i);
            }
        }
        // and training really moved the parameters away from their initial values
        DJLModel<Label> untrained = TestData.mlp().optEpochs(1).optLearningRate(1e-30f).build().train(train);
        assertFalse(Arrays.equals(untrained.getParameterBytes(), b.getParameterBytes()));
    }

    @Test
    public void predictionsFromEightThreadsEqualSerialPredictions() throws Exception {
        // Batched and one-at-a-time predictions are compared with their serial counterparts: a
        // matrix product over a batch of 256 may round differently from one over a single row.
        List<Prediction<Label>> serialBatched = rgModel.predict(test);
        List<Prediction<Label>> serialSingle = new ArrayList<>();
        for (int i = 0; i < test.size(); i++) {
            serialSingle.add(rgModel.predict(test.getExample(i)));
        }
        for (int i = 0; i < test.size(); i++) {
            assertEquals(serialBatched.get(i).getOutput().getLabel(), serialSingle.get(i).getOutput().getLabel());
            assertTrue(serialBatched.get(i).distributionEquals(serialSingle.get(i), 1e-6), "prediction " + i);
        }
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<List<Prediction<Label>>>> batched = new ArrayList<>();
            List<Future<List<Prediction<Label>>>> single = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                batched.add(pool.submit(() -> rgModel.predict(test)));
                single.add(pool.submit(() -> {
                    List<Prediction<Label>> out = new ArrayList<>();
                    for (int i = 0; i < test.size(); i++) {
                        out.add(rgModel.predict(test.getExample(i)));
                    }
                    return out;
                }));
            }
            for (int t = 0; t < 8; t++) {
                assertBitwiseEqual(serialBatched, batched.get(t).get());
                assertBitwiseEqual(serialSingle, single.get(t).get());
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private static void assertBitwiseEqual(List<Prediction<Label>> expected, List<Prediction<Label>> actual) {
        assertEquals(expected.size(), actual.size());
        for (int i = 0; i < expected.size(); i++) {
            assertTrue(expected.get(i).distributionEquals(actual.get(i), 0.0), "prediction " + i);
        }
    }

    @Test
    public void concurrentTrainCallsQueueInsteadOfCrashing() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(3);
        try {
            List<Future<DJLModel<Label>>> futures = new ArrayList<>();
            for (int t = 0; t < 3; t++) {
                futures.add(pool.submit(() -> TestData.mlp().optEpochs(1).build().train(train)));
            }
            byte[] first = futures.get(0).get().getParameterBytes();
            for (Future<DJLModel<Label>> f : futures) {
                assertArrayEquals(first, f.get().getParameterBytes(), "identical trainers give identical models, in any thread");
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    public void provenanceRecordsTheRun() {
        Map<String, Provenance> params = rgModel.getProvenance().getTrainerProvenance().getConfiguredParameters();
        ConfiguredObjectProvenance scale = (ConfiguredObjectProvenance) params.get("lossScale");
        assertEquals(UniformLossScale.class.getName(), scale.getClassName());
        assertEquals("0.0", scale.getConfiguredParameters().get("low").toString());
        assertEquals("1.0", scale.getConfiguredParameters().get("high").toString());
        assertEquals("0.1", params.get("learningRate").toString());
        // The optimiser is a component: its momentum and rule are read from it (the flat keys "momentum" and
        // "optimiser" = SGD before the optimiser was a component).
        ConfiguredObjectProvenance optimiser = (ConfiguredObjectProvenance) params.get("torchOptimiser");
        assertEquals("0.9", optimiser.getConfiguredParameters().get("momentum").toString());
        assertEquals(io.github.randomgradient.djl.optim.TorchSgd.class.getName(), optimiser.getClassName());
        assertEquals("false", optimiser.getConfiguredParameters().get("nesterov").toString());
        assertEquals("7", params.get("seed").toString());
        assertEquals("cpu", params.get("device").toString());
        var instance = rgModel.getProvenance().getTrainerProvenance().getInstanceValues();
        assertEquals("torch.optim.SGD", instance.get(DJLTrainerProvenance.UPDATE_RULE).getValue());
        assertEquals("0.36.0", instance.get(DJLTrainerProvenance.DJL_VERSION).getValue());
        assertEquals("2.7.1", instance.get(DJLTrainerProvenance.ENGINE_VERSION).getValue());
        assertEquals("cpu()", instance.get(DJLTrainerProvenance.DEVICES).getValue());
        assertEquals(1, instance.get(DJLTrainerProvenance.THREADS).getValue());
        Helpers.testProvenanceMarshalling(rgModel.getProvenance());
        Helpers.testConfigurableRoundtrip(TestData.mlp().optLossScale(UniformLossScale.paperDefault()).build());
    }
}

package io.github.randomgradient.djl;

import io.github.randomgradient.history.DivergedRunException;
import io.github.randomgradient.history.Divergence;
import io.github.randomgradient.rg.ConstantLossScale;
import io.github.randomgradient.rg.UniformLossScale;
import org.junit.jupiter.api.Test;
import org.tribuo.Dataset;
import org.tribuo.Prediction;
import io.github.randomgradient.djl.block.MLPBlockFactory;
import io.github.randomgradient.djl.convert.DenseFeatureConverter;
import io.github.randomgradient.djl.convert.LabelConverter;
import io.github.randomgradient.djl.convert.RegressorConverter;
import org.tribuo.Example;
import org.tribuo.Feature;
import org.tribuo.MutableDataset;
import org.tribuo.classification.Label;
import org.tribuo.impl.ArrayExample;
import org.tribuo.provenance.SimpleDataSourceProvenance;
import org.tribuo.regression.RegressionFactory;
import org.tribuo.regression.Regressor;
import org.tribuo.regression.example.NonlinearGaussianDataSource;
import org.tribuo.test.Helpers;

import java.util.List;
import java.util.Map;


import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A diverging run (learning rate 1e4) is reported, never hidden: FAIL throws a message naming the
 * epoch, step, loss, learning rate and loss scale; STOP returns a model flagged as diverged, with
 * finite parameters. Every way a non-finite value can reach a model is a member of this family: a
 * loss, an overflowing gradient, an overflowing update, the final network's inference-mode logits
 * (a huge but finite loss scale; batch-norm running statistics), held-out logits and the held-out
 * metric; each is tested under both policies.
 */
public class DivergenceTest {

    /** Least squares with learning rate 1e4 multiplies the error by about -1e4 per step: it overflows within a few steps. */
    private static final Dataset<Regressor> DATA = new MutableDataset<>(new NonlinearGaussianDataSource(200, 1L));

    private static DJLTrainerBuilder<Regressor> linearRegression() {
        return DJLTrainer.builder(new MLPBlockFactory(MLPBlockFactory.ActivationType.RELU), new DenseFeatureConverter(),
                new RegressorConverter()).optLearningRate(1e4f).optMomentum(0.9f).optEpochs(20).optBatchSize(16)
                .optSeed(5L).optDevice("cpu");
    }

    @Test
    public void failPolicyThrowsAClearMessage() {
        DJLTrainer<Regressor> trainer = linearRegression().optLossScale(UniformLossScale.paperDefault())
                .optDivergencePolicy(DivergencePolicy.FAIL).build();
        DivergedRunException e = assertThrows(DivergedRunException.class, () -> trainer.train(DATA));
        Divergence d = e.getDivergence();
        assertTrue(Double.isNaN(d.loss()) || Double.isInfinite(d.loss()), "loss " + d.loss());
        assertEquals(10000.0, d.learningRate(), 1e-3);
        assertTrue(d.lossScale() >= 0 && d.lossScale() < 1);
        String m = e.getMessage();
        for (String part : new String[]{"epoch " + d.epoch(), "step " + d.step(), "learning rate 10000.0", "loss scale " + d.lossScale(),
                "non-finite loss " + d.loss()}) {
            assertTrue(m.contains(part), "message should contain '" + part + "': " + m);
        }
    }

    @Test
    public void stopPolicyReturnsAFlaggedModelWithFiniteParameters() {
        DJLTrainer<Regressor> trainer = linearRegression().optDivergencePolicy(DivergencePolicy.STOP).build();
        DJLModel<Regressor> model = trainer.train(DATA);
        assertTrue(model.isDiverged());
        Divergence d = model.getTrainingHistory().divergenceIfAny().orElseThrow();
        assertTrue(d.step() >= 0);
        assertFalse(Double.isFinite(d.loss()));
        assertTrue(model.getTrainingHistory().epochs().size() < 20, "training stopped early");
        assertEquals(d.epoch(), model.getTrainingHistory().epochs().size(), "the diverging epoch's completed steps are recorded");
        assertEquals("true", model.getProvenance().getInstanceProvenance().getMap().get("diverged").toString());
        for (Prediction<Regressor> p : model.predict(DATA)) {
            for (double v : p.getOutput().getValues()) {
                assertFalse(Double.isNaN(v), "predictions of a STOP model come from finite parameters: " + p);
            }
        }
        // the divergence survives serialisation
        DJLModel<?> loaded = (DJLModel<?>) Helpers.testModelProtoSerialization(model, Regressor.class, DATA, 0.0);
        assertEquals(d, loaded.getTrainingHistory().divergence());
    }

    /** A loss scale at the top of float32 makes the back-propagated gradient overflow while the loss itself is finite. */
    private static DJLTrainerBuilder<Regressor> overflowingGradient() {
        return linearRegression().optLearningRate(0.01f).optLossScale(new ConstantLossScale(Float.MAX_VALUE));
    }

    /** A learning rate of 1e38 makes the first update overflow the parameters while loss and gradient are finite. */
    private static DJLTrainerBuilder<Regressor> overflowingUpdate() {
        return linearRegression().optLearningRate(1e38f);
    }

    @Test
    public void nonFiniteGradientOrParameterIsCaughtInTheSameStepUnderFail() {
        Divergence g = assertThrows(DivergedRunException.class,
                () -> overflowingGradient().optDivergencePolicy(DivergencePolicy.FAIL).build().train(DATA)).getDivergence();
        assertEquals(0L, g.step(), "caught in the step that produced it");
        assertTrue(g.what().startsWith("gradient of "), g.what());
        assertTrue(Double.isFinite(g.loss()), "the loss itself was finite: " + g.loss());
        assertEquals(Float.MAX_VALUE, g.lossScale(), 0.0);
        DivergedRunException e = assertThrows(DivergedRunException.class,
                () -> overflowingUpdate().optDivergencePolicy(DivergencePolicy.FAIL).build().train(DATA));
        Divergence p = e.getDivergence();
        assertEquals(0L, p.step());
        assertTrue(p.what().startsWith("parameter "), p.what());
        assertTrue(e.getMessage().contains("non-finite " + p.what() + " at epoch 1, step 0"), e.getMessage());
    }

    @Test
    public void nonFiniteGradientOrParameterUnderStopKeepsTheLastFiniteParameters() {
        // Both diverge at step 0, so the last finite parameters are the initial ones: those of a run that never moved.
        DJLModel<Regressor> untouched = linearRegression().optEpochs(1).optMomentum(0f).optLossScale(new ConstantLossScale(0.0))
                .build().train(DATA);
        for (DJLTrainerBuilder<Regressor> b : List.of(overflowingGradient(), overflowingUpdate())) {
            DJLModel<Regressor> model = b.optDivergencePolicy(DivergencePolicy.STOP).build().train(DATA);
            assertTrue(model.isDiverged());
            assertEquals(0L, model.getTrainingHistory().divergence().step());
            assertEquals(0, model.getTrainingHistory().epochs().size(), "no step completed");
            assertArrayEquals(untouched.getParameterBytes(), model.getParameterBytes());
            for (Prediction<Regressor> p : model.predict(DATA)) {
                assertTrue(Double.isFinite(p.getOutput().getValues()[0]), p.toString());
            }
        }
    }

    /** Two circles, 200 training and 100 held-out examples. */
    private static final Dataset<Label> CIRCLES = TestData.circles(200, 1L);
    private static final Dataset<Label> CIRCLES_HELD_OUT = TestData.circles(100, 2L);

    /**
     * One step over all 200 examples with the finite loss scale 3e38 (the case): the update
     * leaves every parameter finite but so large that every logit of the final network is NaN, and
     * no training forward pass ever sees those parameters.
     */
    private static DJLTrainerBuilder<Label> hugeLossScale() {
        return TestData.mlp().optEpochs(1).optBatchSize(200).optLossScale(new ConstantLossScale(3e38));
    }

    /** The initial parameters of {@link #hugeLossScale()}'s network (same seed; a loss scale of 0 and no momentum never move them). */
    private static byte[] initialParameters() {
        return TestData.mlp().optEpochs(1).optBatchSize(200).optMomentum(0f).optLossScale(new ConstantLossScale(0.0)).build()
                .train(CIRCLES).getParameterBytes();
    }

    private static void assertFinitePredictions(DJLModel<Label> model, Dataset<Label> data) {
        for (Prediction<Label> p : model.predict(data)) {
            assertTrue(Double.isFinite(p.getOutput().getScore()), p.toString());
        }
    }

    @Test
    public void aHugeFiniteLossScaleThatLeavesNaNPredictionsIsADivergenceUnderBothPolicies() {
        DivergedRunException e = assertThrows(DivergedRunException.class,
                () -> hugeLossScale().optDivergencePolicy(DivergencePolicy.FAIL).build().train(CIRCLES));
        Divergence d = e.getDivergence();
        assertEquals("logits on the training data (inference mode)", d.what());
        assertEquals(1, d.epoch());
        assertEquals(0L, d.step());
        assertEquals(3e38, d.lossScale(), 0.0);
        assertTrue(Double.isFinite(d.loss()), "the training loss itself was finite: " + d.loss());
        assertTrue(e.getMessage().contains("non-finite logits on the training data (inference mode) at epoch 1, step 0"), e.getMessage());

        DJLModel<Label> stopped = hugeLossScale().optDivergencePolicy(DivergencePolicy.STOP).build().train(CIRCLES);
        assertTrue(stopped.isDiverged());
        assertEquals(d.what(), stopped.getTrainingHistory().divergence().what());
        assertEquals("true", stopped.getProvenance().getInstanceProvenance().getMap().get("diverged").toString());
        // The final parameters predict NaN; the last healthy ones are the initial ones.
        assertArrayEquals(initialParameters(), stopped.getParameterBytes());
        assertFinitePredictions(stopped, CIRCLES_HELD_OUT);
    }

    @Test
    public void nonFiniteHeldOutLogitsAreADivergenceUnderBothPolicies() {
        DivergedRunException e = assertThrows(DivergedRunException.class,
                () -> hugeLossScale().optDivergencePolicy(DivergencePolicy.FAIL).build()
                        .train(CIRCLES, CIRCLES_HELD_OUT, "test", Map.of()));
        assertEquals("test logits (inference mode)", e.getDivergence().what());
        assertEquals(1, e.getDivergence().epoch());

        DJLModel<Label> stopped = hugeLossScale().optDivergencePolicy(DivergencePolicy.STOP).build()
                .train(CIRCLES, CIRCLES_HELD_OUT, "test", Map.of());
        assertTrue(stopped.isDiverged());
        assertEquals("test logits (inference mode)", stopped.getTrainingHistory().divergence().what());
        assertEquals(1, stopped.getTrainingHistory().epochs().size(), "the epoch's steps all ran and are recorded");
        assertArrayEquals(initialParameters(), stopped.getParameterBytes());
        assertFinitePredictions(stopped, CIRCLES_HELD_OUT);
    }

    /**
     * Held-out examples far outside the training range (features times 1e21): the linear model's
     * held-out predictions (about 1e21) are finite, their squared errors overflow float32, so the
     * held-out rmse is infinite.
     */
    private static Dataset<Regressor> farOutside() {
        RegressionFactory factory = new RegressionFactory();
        MutableDataset<Regressor> out = new MutableDataset<>(new SimpleDataSourceProvenance("far outside", factory), factory);
        for (Example<Regressor> e : new MutableDataset<>(new NonlinearGaussianDataSource(20, 2L))) {
            ArrayExample<Regressor> copy = new ArrayExample<>(e.getOutput());
            for (Feature f : e) {
                copy.add(f.getName(), f.getValue() * 1e21);
            }
            out.add(copy);
        }
        return out;
    }

    @Test
    public void aNonFiniteHeldOutMetricIsADivergenceUnderBothPolicies() {
        Dataset<Regressor> heldOut = farOutside();
        DivergedRunException e = assertThrows(DivergedRunException.class,
                () -> linearRegression().optLearningRate(0.01f).optEpochs(2).optDivergencePolicy(DivergencePolicy.FAIL).build()
                        .train(DATA, heldOut, "validation", Map.of()));
        assertEquals("validation rmse", e.getDivergence().what());
        assertEquals(1, e.getDivergence().epoch());

        DJLModel<Regressor> stopped = linearRegression().optLearningRate(0.01f).optEpochs(2)
                .optDivergencePolicy(DivergencePolicy.STOP).build().train(DATA, heldOut, "validation", Map.of());
        assertTrue(stopped.isDiverged());
        assertEquals("validation rmse", stopped.getTrainingHistory().divergence().what());
        assertEquals(1, stopped.getTrainingHistory().epochs().size(), "training stopped after the first epoch");
        assertTrue(Double.isInfinite(stopped.getTrainingHistory().epochs().get(0).heldOutMetric()));
    }

    private static DJLTrainerBuilder<Label> frozenBatchNorm() {
        return DJLTrainer.builder(new FrozenBatchNormBlockFactory(), new DenseFeatureConverter(), new LabelConverter())
                .optLearningRate(0.1f).optEpochs(2).optBatchSize(50).optSeed(7L).optDevice("cpu");
    }

    @Test
    public void finiteParametersWhoseBatchNormStatisticsBreakInferenceAreADivergenceUnderBothPolicies() {
        DivergedRunException e = assertThrows(DivergedRunException.class,
                () -> frozenBatchNorm().optDivergencePolicy(DivergencePolicy.FAIL).build().train(CIRCLES));
        Divergence d = e.getDivergence();
        assertEquals("logits on the training data (inference mode)", d.what());
        assertEquals(2, d.epoch());
        assertEquals(7L, d.step(), "after the last of 2 x 4 steps, all of which were finite");
        assertTrue(Double.isFinite(d.loss()));
        // Under STOP there is nothing healthy to return: even the initial running statistics break
        // inference, so the run is refused as under FAIL rather than returning a NaN model.
        DivergedRunException s = assertThrows(DivergedRunException.class,
                () -> frozenBatchNorm().optDivergencePolicy(DivergencePolicy.STOP).build().train(CIRCLES));
        assertEquals(d.what(), s.getDivergence().what());
    }

    /** Factor 1 at step 0, then 3e38: with one mini-batch per epoch, epoch 1 is healthy and epoch 2's update breaks the network. */
    private static final class HugeFromStepOne implements io.github.randomgradient.rg.LossScale {
        @Override
        public Sampler newSampler(java.util.SplittableRandom rng) {
            return step -> step == 0 ? 1.0 : 3e38;
        }

        @Override
        public double expectedValue() {
            return Double.NaN;
        }

        @Override
        public double min() {
            return 1.0;
        }

        @Override
        public double max() {
            return 3e38;
        }

        @Override
        public String describe() {
            return "1 then 3e38";
        }

        @Override
        public com.oracle.labs.mlrg.olcut.provenance.ConfiguredObjectProvenance getProvenance() {
            return new com.oracle.labs.mlrg.olcut.provenance.impl.ConfiguredObjectProvenanceImpl(this, "LossScale");
        }
    }

    @Test
    public void stopReturnsTheDivergingEpochsStartWhenTheCurrentParametersAreNotHealthy() {
        byte[] afterEpochOne = TestData.mlp().optEpochs(1).optBatchSize(200).optLossScale(new ConstantLossScale(1.0)).build()
                .train(CIRCLES).getParameterBytes();
        DJLModel<Label> stopped = TestData.mlp().optEpochs(2).optBatchSize(200).optLossScale(new HugeFromStepOne())
                .optDivergencePolicy(DivergencePolicy.STOP).build().train(CIRCLES);
        assertTrue(stopped.isDiverged());
        Divergence d = stopped.getTrainingHistory().divergence();
        assertEquals(2, d.epoch());
        assertEquals(1L, d.step());
        assertEquals("logits on the training data (inference mode)", d.what());
        assertArrayEquals(afterEpochOne, stopped.getParameterBytes(), "the parameters at the start of epoch 2, not the initial ones");
        assertFalse(java.util.Arrays.equals(initialParameters(), stopped.getParameterBytes()));
        assertFinitePredictions(stopped, CIRCLES_HELD_OUT);
    }
}

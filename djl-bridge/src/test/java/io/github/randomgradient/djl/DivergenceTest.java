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
import io.github.randomgradient.djl.convert.RegressorConverter;
import org.tribuo.MutableDataset;
import org.tribuo.regression.Regressor;
import org.tribuo.regression.example.NonlinearGaussianDataSource;
import org.tribuo.test.Helpers;

import java.util.List;


import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A diverging run (learning rate 1e4) is reported, never hidden: FAIL throws a message naming the
 * epoch, step, loss, learning rate and loss scale; STOP returns a model flagged as diverged, with
 * finite parameters.
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
}

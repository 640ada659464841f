package io.github.randomgradient.djl;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import io.github.randomgradient.djl.block.MLPBlockFactory;
import io.github.randomgradient.djl.convert.DenseFeatureConverter;
import io.github.randomgradient.djl.convert.RegressorConverter;
import io.github.randomgradient.djl.optim.LearningRateSchedule;
import io.github.randomgradient.djl.optim.OptimiserType;
import io.github.randomgradient.history.EpochRecord;
import io.github.randomgradient.rg.ConstantLossScale;
import io.github.randomgradient.rg.CyclicalLossScale;
import io.github.randomgradient.rg.LossScale;
import org.junit.jupiter.api.Test;
import org.tribuo.Dataset;
import org.tribuo.MutableDataset;
import org.tribuo.impl.ArrayExample;
import org.tribuo.provenance.SimpleDataSourceProvenance;
import org.tribuo.regression.RegressionFactory;
import org.tribuo.regression.Regressor;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Every update rule and schedule, update by update, against the PyTorch formulas
 * ({@code torch.optim.SGD}, {@code torch.optim.Adam}, {@code torch.optim.AdamW}; the schedules of
 * {@link LearningRateSchedule}) evaluated by hand in double precision on the smallest problem:
 * one example ({@code x = 1.5}, {@code y = 2}), one feature, a linear model {@code w x + b},
 * mini-batch 1, so each epoch is one update and its recorded loss is the loss before that update.
 * <p>
 * Tolerance: relative 1e-5 (the trainer runs in float32; the reference in double).
 */
public class UpdateRuleTest {

    private static final double X = 1.5;
    private static final double Y = 2.0;
    private static final double TOLERANCE = 1e-5;

    private static final Dataset<Regressor> ONE = oneExample();

    private static Dataset<Regressor> oneExample() {
        RegressionFactory factory = new RegressionFactory();
        MutableDataset<Regressor> data = new MutableDataset<>(new SimpleDataSourceProvenance("one example", factory), factory);
        data.add(new ArrayExample<>(new Regressor("y", Y), new String[]{"x"}, new double[]{X}));
        return data;
    }

    private static DJLTrainerBuilder<Regressor> linear() {
        return DJLTrainer.builder(new MLPBlockFactory(MLPBlockFactory.ActivationType.RELU), new DenseFeatureConverter(),
                new RegressorConverter()).optBatchSize(1).optSeed(11L).optDevice("cpu");
    }

    /** The model's {@code [w, b]}. */
    static double[] weightAndBias(DJLModel<Regressor> model) {
        DJLEngine.engine(1);
        try (NDManager manager = NDManager.newBaseManager(Device.cpu(), DJLEngine.ENGINE_NAME)) {
            Block block = model.getBlockFactory().newBlock(model.getExampleShape(), 1);
            block.loadParameters(manager, new DataInputStream(new ByteArrayInputStream(model.getParameterBytes())));
            List<Parameter> ps = block.getParameters().values();
            assertEquals(2, ps.size(), "a linear model has a weight and a bias");
            return new double[]{ps.get(0).getArray().toFloatArray()[0], ps.get(1).getArray().toFloatArray()[0]};
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    /** The initial parameters: one step with loss scale 0, no momentum and no weight decay moves nothing. */
    private static double[] initial() {
        DJLModel<Regressor> still = linear().optEpochs(1).optMomentum(0f).optLossScale(new ConstantLossScale(0.0)).build().train(ONE);
        return weightAndBias(still);
    }

    /** The reference: PyTorch's formulas in double precision. */
    private static final class Reference {
        double w;
        double b;
        // SGD momentum buffers, null before the first update (torch.optim.SGD: buf = g on the first update)
        Double bufW;
        Double bufB;
        // Adam moments and step
        double mW;
        double mB;
        double vW;
        double vB;
        int t;

        Reference(double[] init) {
            w = init[0];
            b = init[1];
        }

        double loss() {
            double r = w * X + b - Y;
            return 0.5 * r * r;
        }

        void step(OptimiserType type, double u, double lr, double mu, double b1, double b2, double wd) {
            double r = w * X + b - Y;
            double gw = u * r * X;
            double gb = u * r;
            if (type == OptimiserType.ADAMW) {
                w *= 1 - lr * wd;
                b *= 1 - lr * wd;
            } else {
                gw += wd * w;
                gb += wd * b;
            }
            switch (type) {
                case SGD:
                case NESTEROV: {
                    if (mu != 0) {
                        bufW = bufW == null ? gw : mu * bufW + gw;
                        bufB = bufB == null ? gb : mu * bufB + gb;
                        gw = type == OptimiserType.NESTEROV ? gw + mu * bufW : bufW;
                        gb = type == OptimiserType.NESTEROV ? gb + mu * bufB : bufB;
                    }
                    w -= lr * gw;
                    b -= lr * gb;
                    break;
                }
                default: {
                    t++;
                    mW = b1 * mW + (1 - b1) * gw;
                    mB = b1 * mB + (1 - b1) * gb;
                    vW = b2 * vW + (1 - b2) * gw * gw;
                    vB = b2 * vB + (1 - b2) * gb * gb;
                    double bc1 = 1 - Math.pow(b1, t);
                    double bc2 = 1 - Math.pow(b2, t);
                    w -= lr / bc1 * mW / (Math.sqrt(vW) / Math.sqrt(bc2) + 1e-8);
                    b -= lr / bc1 * mB / (Math.sqrt(vB) / Math.sqrt(bc2) + 1e-8);
                }
            }
        }
    }

    private static void assertClose(double expected, double actual, String what) {
        assertEquals(expected, actual, TOLERANCE * Math.max(1e-3, Math.abs(expected)), what);
    }

    /**
     * Trains {@code epochs} updates and checks, update by update, the learning rate and the loss
     * before the update, then the final parameters.
     * @param lrs The expected learning rate of each update (the schedule's formula, by hand).
     */
    private static void check(DJLTrainerBuilder<Regressor> builder, OptimiserType type, LossScale scale, double mu,
                              double b1, double b2, double wd, double[] lrs) {
        double[] init = initial();
        DJLModel<Regressor> model = builder.optOptimiser(type).optLossScale(scale).optEpochs(lrs.length).build().train(ONE);
        List<EpochRecord> epochs = model.getTrainingHistory().epochs();
        assertEquals(lrs.length, epochs.size());
        Reference ref = new Reference(init);
        LossScale.Sampler u = scale.newSampler(new java.util.SplittableRandom(0)); // constant and cyclical scales ignore the generator
        for (int t = 0; t < lrs.length; t++) {
            EpochRecord e = epochs.get(t);
            assertEquals(1, e.steps());
            assertEquals((float) lrs[t], (float) e.learningRate(), "learning rate of update " + t);
            assertClose(ref.loss(), e.meanLoss(), type + " loss before update " + t);
            assertEquals(u.scale(t), e.meanLossScale(), 0.0, "loss scale of update " + t);
            ref.step(type, u.scale(t), lrs[t], mu, b1, b2, wd);
        }
        double[] wb = weightAndBias(model);
        assertClose(ref.w, wb[0], type + " final w");
        assertClose(ref.b, wb[1], type + " final b");
    }

    private static double[] fixed(double lr, int n) {
        double[] out = new double[n];
        java.util.Arrays.fill(out, lr);
        return out;
    }

    @Test
    public void sgdWithoutMomentum() {
        check(linear().optLearningRate(0.1f).optMomentum(0f), OptimiserType.SGD, ConstantLossScale.baseline(), 0, 0, 0, 0,
                fixed(0.1f, 4));
    }

    @Test
    public void sgdWithMomentumAndWeightDecay() {
        check(linear().optLearningRate(0.05f).optMomentum(0.9f).optWeightDecay(0.1f), OptimiserType.SGD,
                ConstantLossScale.baseline(), 0.9f, 0, 0, 0.1f, fixed(0.05f, 6));
    }

    @Test
    public void nesterovWithWeightDecay() {
        check(linear().optLearningRate(0.05f).optMomentum(0.9f).optWeightDecay(0.01f), OptimiserType.NESTEROV,
                ConstantLossScale.baseline(), 0.9f, 0, 0, 0.01f, fixed(0.05f, 6));
    }

    @Test
    public void adamWithL2() {
        check(linear().optLearningRate(0.1f).optBetas(0.5f, 0.999f).optWeightDecay(0.01f), OptimiserType.ADAM,
                ConstantLossScale.baseline(), 0, 0.5f, 0.999f, 0.01f, fixed(0.1f, 6));
    }

    @Test
    public void adamWWithDecoupledWeightDecay() {
        check(linear().optLearningRate(0.1f).optBetas(0.9f, 0.99f).optWeightDecay(0.1f), OptimiserType.ADAMW,
                ConstantLossScale.baseline(), 0, 0.9f, 0.99f, 0.1f, fixed(0.1f, 6));
    }

    @Test
    public void stepScheduleOfTheIssueWithPyTorchMomentum() {
        // mu 0.9, lr 0.1, STEP every 2 epochs by 0.1, 5 epochs: lr 0.1, 0.1, 0.01, 0.01, 0.001 (0-based epoch e: 0.1 * 0.1^floor(e/2)).
        // DJL's Sgd (buf = mu buf + lr g) ends about 4.2 away in w + b; PyTorch's rule is checked here.
        check(linear().optLearningRate(0.1f).optMomentum(0.9f).optLrSchedule(LearningRateSchedule.STEP).optStep(2, 0.1f),
                OptimiserType.SGD, ConstantLossScale.baseline(), 0.9f, 0, 0, 0,
                new double[]{0.1f, 0.1f, 0.1f * 0.1f, 0.1f * 0.1f, 0.1f * Math.pow(0.1f, 2)});
    }

    @Test
    public void stepScheduleShorterThanItsPeriodIsConstant() {
        // epochs 3 with the default stepEpochs 10 used to throw from DJL's tracker.
        check(linear().optLearningRate(0.1f).optMomentum(0.5f).optLrSchedule(LearningRateSchedule.STEP),
                OptimiserType.SGD, ConstantLossScale.baseline(), 0.5f, 0, 0, 0, fixed(0.1f, 3));
    }

    @Test
    public void polyStartsAtTheBaseRate() {
        // T = 5 updates, power 0.9: lr_t = 0.1 (1 - t/5)^0.9, t = 0..4; the first update uses 0.1, the last 0.1 * 0.2^0.9.
        double[] lrs = new double[5];
        for (int t = 0; t < 5; t++) {
            lrs[t] = 0.1f * Math.pow(1 - t / 5.0, 0.9f);
        }
        check(linear().optLearningRate(0.1f).optMomentum(0.9f).optLrSchedule(LearningRateSchedule.POLY),
                OptimiserType.SGD, ConstantLossScale.baseline(), 0.9f, 0, 0, 0, lrs);
    }

    @Test
    public void cosine() {
        // T = 4: lr_t = 0.1 (1 + cos(pi t / 4)) / 2 = 0.1, 0.0853553, 0.05, 0.0146447.
        double[] lrs = {0.1f, 0.1f * (1 + Math.cos(Math.PI / 4)) / 2, 0.1f * 0.5, 0.1f * (1 + Math.cos(3 * Math.PI / 4)) / 2};
        assertEquals(0.0853553, lrs[1], 1e-7);
        check(linear().optLearningRate(0.1f).optMomentum(0.9f).optLrSchedule(LearningRateSchedule.COSINE),
                OptimiserType.NESTEROV, ConstantLossScale.baseline(), 0.9f, 0, 0, 0, lrs);
    }

    @Test
    public void zeroLossScaleIsALegalStepAndMomentumStillMoves() {
        // Cyclical [0, 1] with stepSize 1 gives u = 0, 1, 0, 1, 0: the first step has all-zero gradients
        // (DJL's Trainer.step() rejects that), and the u = 0 steps after it move the parameters by momentum alone.
        CyclicalLossScale scale = new CyclicalLossScale(0.0, 1.0, 1, CyclicalLossScale.Mode.TRIANGULAR, 1.0);
        assertEquals(0.0, scale.scaleAt(0));
        assertEquals(1.0, scale.scaleAt(1));
        assertEquals(0.0, scale.scaleAt(2));
        check(linear().optLearningRate(0.1f).optMomentum(0.9f), OptimiserType.SGD, scale, 0.9f, 0, 0, 0, fixed(0.1f, 5));
        check(linear().optLearningRate(0.1f), OptimiserType.ADAM, scale, 0, 0.9f, 0.999f, 0, fixed(0.1f, 5));
    }

    @Test
    public void constantZeroLossScaleTrainsWithoutError() {
        double[] init = initial();
        DJLModel<Regressor> model = linear().optEpochs(3).optLossScale(new ConstantLossScale(0.0)).build().train(ONE);
        double[] wb = weightAndBias(model);
        assertEquals(init[0], wb[0], 0.0, "no gradient, no weight decay: nothing moves");
        assertEquals(init[1], wb[1], 0.0);
        assertEquals(0.0, model.getTrainingHistory().meanLossScale(), 0.0);
    }
}

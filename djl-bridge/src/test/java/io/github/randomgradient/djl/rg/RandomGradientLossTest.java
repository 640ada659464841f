package io.github.randomgradient.djl.rg;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.EasyTrain;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.TrainingResult;
import ai.djl.training.dataset.ArrayDataset;
import ai.djl.training.dataset.Batch;
import ai.djl.training.listener.TrainingListener;
import ai.djl.training.loss.L2Loss;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import com.oracle.labs.mlrg.olcut.provenance.ProvenanceUtil;
import com.oracle.labs.mlrg.olcut.provenance.primitives.LongProvenance;
import io.github.randomgradient.djl.DJLEngine;
import io.github.randomgradient.history.EpochRecord;
import io.github.randomgradient.history.TrainingHistory;
import io.github.randomgradient.rg.ConstantLossScale;
import io.github.randomgradient.rg.LossScale;
import io.github.randomgradient.rg.UniformLossScale;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * RandomGradientLoss and RandomGradientListener inside DJL 0.36's own training loop
 * ({@code DefaultTrainingConfig} + {@code EasyTrain}) on a tiny linear regression:
 * 24 examples of 3 features, batch 6 (4 optimiser steps per epoch), validation 12 examples.
 */
class RandomGradientLossTest {

    private static final int N = 24;
    private static final int BATCH = 6;

    @BeforeAll
    static void engine() {
        DJLEngine.engine(1);
    }

    /** One training run: the model's final parameters, the listener and DJL's training result. */
    private record Run(List<float[]> parameters, RandomGradientListener listener, TrainingResult result, float validationLoss) {
    }

    private static Run fit(Loss trainingLoss, RandomGradientListener listener, int epochs, Device... devices) throws Exception {
        Engine.getInstance().setRandomSeed(7);
        try (NDManager manager = NDManager.newBaseManager();
             Model model = Model.newInstance("rg-test")) {
            SplittableRandom r = new SplittableRandom(3);
            float[] x = new float[N * 3];
            float[] y = new float[N];
            for (int i = 0; i < N; i++) {
                for (int j = 0; j < 3; j++) {
                    x[i * 3 + j] = (float) r.nextGaussian();
                }
                y[i] = 2 * x[i * 3] - x[i * 3 + 1] + 0.5f * x[i * 3 + 2] + (float) (0.1 * r.nextGaussian());
            }
            NDArray features = manager.create(x, new Shape(N, 3));
            NDArray labels = manager.create(y, new Shape(N, 1));
            ArrayDataset train = new ArrayDataset.Builder().setData(features.get("0:" + N))
                    .optLabels(labels.get("0:" + N)).setSampling(BATCH, false).build();
            ArrayDataset validation = new ArrayDataset.Builder().setData(features.get("0:12"))
                    .optLabels(labels.get("0:12")).setSampling(BATCH, false).build();
            model.setBlock(Linear.builder().setUnits(1).build());
            DefaultTrainingConfig config = new DefaultTrainingConfig(trainingLoss)
                    .optOptimizer(Optimizer.sgd().setLearningRateTracker(Tracker.fixed(0.1f)).build())
                    .addTrainingListeners(TrainingListener.Defaults.basic());
            if (devices.length > 0) {
                config.optDevices(devices);
            }
            if (listener != null) {
                config.addTrainingListeners(listener);
            }
            List<float[]> params = new ArrayList<>();
            float validationLoss;
            TrainingResult result;
            try (Trainer trainer = model.newTrainer(config)) {
                trainer.initialize(new Shape(BATCH, 3));
                EasyTrain.fit(trainer, epochs, train, validation);
                result = trainer.getTrainingResult();
                try (NDList predictions = trainer.evaluate(new NDList(features.get("0:12")));
                     NDArray value = Loss.l2Loss().evaluate(new NDList(labels.get("0:12")), predictions)) {
                    validationLoss = value.getFloat();
                }
            }
            for (Parameter p : model.getBlock().getParameters().values()) {
                params.add(p.getArray().toFloatArray());
            }
            return new Run(params, listener, result, validationLoss);
        }
    }

    private static RandomGradientLoss rg(Loss loss, LossScale scale, long seed) {
        return RandomGradientLoss.builder().setLoss(loss).setLossScale(scale).optSeed(seed).build();
    }

    private static RandomGradientListener listener(RandomGradientLoss loss) {
        return RandomGradientListener.builder().setLoss(loss).optHeldOutData("first-12").build();
    }

    @Test
    void reportedLossesAreUnscaledAndValidationTakesNoDraw() throws Exception {
        RandomGradientLoss loss = rg(Loss.l2Loss(), new ConstantLossScale(0.25), 1);
        Run run = fit(loss, listener(loss), 2);
        TrainingHistory history = run.listener().getTrainingHistory();
        EpochRecord last = history.epochs().get(1);
        // DJL's evaluator listener averages the per-batch loss over the epoch's 4 equal batches: the
        // same figure as the listener's mean unscaled step loss, 4x the scaled one.
        float djlTrainLoss = run.result().getTrainEvaluation(loss.getName());
        assertEquals(last.meanLoss(), djlTrainLoss, 1e-6 * Math.abs(djlTrainLoss));
        // DJL's validation loss after the last epoch is the plain L2 loss of the final model on the validation set.
        assertEquals(run.validationLoss(), run.result().getValidateEvaluation(loss.getName()), 1e-5 * run.validationLoss());
        // 2 epochs x 4 steps: exactly 8 draws although DJL also ran 2 x 2 validation batches.
        assertEquals(8, run.listener().getDraws().length);
        assertEquals(8, loss.getStep());
    }

    /**
     * A batch that EasyTrain splits in two even on one device: DJL 0.36 refuses two CPU devices
     * ("Duplicated devices are not allowed"), so this is how a CPU test gets the multi-device path
     * of {@code EasyTrain.trainBatch} (one evaluate and backward per split, then one step).
     */
    private static final class TwoSplitBatch extends Batch {
        private final Batch batch;

        TwoSplitBatch(Batch batch) {
            super(batch.getManager(), batch.getData(), batch.getLabels(), batch.getSize(), null, null,
                    batch.getProgress(), batch.getProgressTotal());
            this.batch = batch;
        }

        @Override
        public Batch[] split(Device[] devices, boolean evenSplit) {
            int half = batch.getSize() / 2;
            Batch[] parts = new Batch[2];
            for (int p = 0; p < 2; p++) {
                String rows = p == 0 ? "0:" + half : half + ":";
                parts[p] = new Batch(getManager(), new NDList(getData().head().get(rows)), new NDList(getLabels().head().get(rows)),
                        p == 0 ? half : batch.getSize() - half, null, null, getProgress(), getProgressTotal());
            }
            return parts;
        }
    }

    @Test
    void oneDrawPerStepAcrossDeviceSplitsAndPerCall() throws Exception {
        // Counts every evaluate call on the wrapped loss: DJL calls it from several places.
        AtomicInteger calls = new AtomicInteger();
        Loss counting = new L2Loss("L2Loss") {
            @Override
            public NDArray evaluate(NDList labels, NDList predictions) {
                calls.incrementAndGet();
                return super.evaluate(labels, predictions);
            }
        };
        // Counts the sampler's draws.
        AtomicInteger samples = new AtomicInteger();
        UniformLossScale uniform = new UniformLossScale(0, 1);
        LossScale counted = new LossScale() {
            @Override
            public Sampler newSampler(SplittableRandom rng) {
                Sampler inner = uniform.newSampler(rng);
                return step -> {
                    samples.incrementAndGet();
                    return inner.scale(step);
                };
            }

            @Override
            public double expectedValue() {
                return uniform.expectedValue();
            }

            @Override
            public double min() {
                return uniform.min();
            }

            @Override
            public double max() {
                return uniform.max();
            }

            @Override
            public String describe() {
                return uniform.describe();
            }

            @Override
            public com.oracle.labs.mlrg.olcut.provenance.ConfiguredObjectProvenance getProvenance() {
                return uniform.getProvenance();
            }
        };
        RandomGradientLoss loss = rg(counting, counted, 11);
        RandomGradientListener listener = listener(loss);
        Engine.getInstance().setRandomSeed(7);
        try (NDManager manager = NDManager.newBaseManager();
             Model model = Model.newInstance("rg-splits")) {
            NDArray x = manager.randomNormal(new Shape(N, 3));
            NDArray y = x.sum(new int[]{1}, true);
            ArrayDataset train = new ArrayDataset.Builder().setData(x).optLabels(y).setSampling(BATCH, false).build();
            ArrayDataset validation = new ArrayDataset.Builder().setData(x.get("0:12")).optLabels(y.get("0:12"))
                    .setSampling(BATCH, false).build();
            model.setBlock(Linear.builder().setUnits(1).build());
            DefaultTrainingConfig config = new DefaultTrainingConfig(loss)
                    .addTrainingListeners(TrainingListener.Defaults.basic()).addTrainingListeners(listener);
            try (Trainer trainer = model.newTrainer(config)) {
                trainer.initialize(new Shape(BATCH, 3));
                for (int epoch = 0; epoch < 2; epoch++) {
                    for (Batch batch : trainer.iterateDataset(train)) {
                        EasyTrain.trainBatch(trainer, new TwoSplitBatch(batch));
                        trainer.step();
                        batch.close();
                    }
                    EasyTrain.evaluateDataset(trainer, validation);
                    trainer.notifyListeners(l -> l.onEpoch(trainer));
                }
            }
        }
        // 2 epochs x 4 steps, each step with 2 splits, and 2 x 2 validation batches: 8 draws, plus
        // the listener's look at step 0's factor when training begins (the zero-gradient check).
        assertEquals(8 + 1, samples.get());
        double[] draws = listener.getDraws();
        assertEquals(8, draws.length);
        for (int step = 0; step < draws.length; step++) {
            assertEquals(uniform.newSampler(new SplittableRandom(11)).scale(step), draws[step], 0.0);
        }
        // Per training step: backward on each of the 2 splits, DJL's evaluator listener once per
        // device (the 2 splits share one CPU device, so DJL's BatchData keeps one), our listener
        // once per device; per validation batch: DJL's evaluator listener once.
        assertEquals(2 * (4 * (2 + 1 + 1) + 2), calls.get());
    }

    @Test
    void splitsOfOneStepShareOneFactor() {
        RandomGradientLoss loss = rg(Loss.l2Loss(), new UniformLossScale(0, 1), 5);
        RandomGradientListener listener = listener(loss);
        try (NDManager manager = NDManager.newBaseManager();
             Model model = Model.newInstance("rg-splits")) {
            model.setBlock(Linear.builder().setUnits(1).build());
            DefaultTrainingConfig config = new DefaultTrainingConfig(loss).addTrainingListeners(listener);
            try (Trainer trainer = model.newTrainer(config)) {
                trainer.initialize(new Shape(4, 2));
                NDArray x = manager.create(new float[]{1, 2, 3, 4, 5, 6, 7, 8}, new Shape(4, 2));
                NDArray y = manager.create(new float[]{1, 0, 1, 0}, new Shape(4, 1));
                for (int step = 0; step < 3; step++) {
                    double u = loss.factorAt(step);
                    try (GradientCollector collector = trainer.newGradientCollector()) {
                        for (int half = 0; half < 2; half++) {
                            String rows = half == 0 ? "0:2" : "2:4";
                            NDList labels = new NDList(y.get(rows));
                            NDList predictions = trainer.forward(new NDList(x.get(rows)));
                            float plain = Loss.l2Loss().evaluate(labels, predictions).getFloat();
                            NDArray scaled = loss.evaluate(labels, predictions);
                            assertEquals(plain * (float) u, scaled.getFloat(), 0f, "step " + step + " split " + half);
                            collector.backward(scaled);
                        }
                    }
                    Batch batch = new Batch(manager, new NDList(x), new NDList(y), 4, null, null, step, 3);
                    TrainingListener.BatchData data = new TrainingListener.BatchData(batch,
                            java.util.Map.of(Device.cpu(), new NDList(y)), java.util.Map.of(Device.cpu(), trainer.forward(new NDList(x))));
                    trainer.notifyListeners(l -> l.onTrainingBatch(trainer, data));
                    trainer.step();
                }
            }
        }
        assertArrayEquals(new double[]{loss.factorAt(0), loss.factorAt(1), loss.factorAt(2)}, listener.getDraws(), 0.0);
        assertNotEquals(loss.factorAt(0), loss.factorAt(1));
    }

    @Test
    void factorOneIsABitwiseNoOp() throws Exception {
        Run plain = fit(Loss.l2Loss(), null, 2);
        RandomGradientLoss loss = rg(Loss.l2Loss(), new ConstantLossScale(1.0), 1);
        Run wrapped = fit(loss, listener(loss), 2);
        assertEquals(plain.parameters().size(), wrapped.parameters().size());
        for (int i = 0; i < plain.parameters().size(); i++) {
            assertArrayEquals(plain.parameters().get(i), wrapped.parameters().get(i), 0f);
        }
        // and a factor other than 1 does change the result
        RandomGradientLoss half = rg(Loss.l2Loss(), new ConstantLossScale(0.5), 1);
        Run halved = fit(half, listener(half), 2);
        assertNotEquals(plain.parameters().get(0)[0], halved.parameters().get(0)[0]);
    }

    @Test
    void drawsDependOnlyOnTheLossScaleSeed() throws Exception {
        UniformLossScale scale = new UniformLossScale(0, 1, 0.5, false);
        RandomGradientLoss a = rg(Loss.l2Loss(), scale, 99);
        Run first = fit(a, listener(a), 1);
        Engine.getInstance().setRandomSeed(1234);
        RandomGradientLoss b = rg(Loss.l2Loss(), scale, 99);
        Run second = fit(b, listener(b), 1);
        LossScale.Sampler sampler = scale.newSampler(new SplittableRandom(99));
        double[] expected = new double[4];
        for (int i = 0; i < 4; i++) {
            expected[i] = sampler.scale(i);
        }
        assertArrayEquals(expected, first.listener().getDraws(), 0.0);
        assertArrayEquals(expected, second.listener().getDraws(), 0.0);
    }

    @Test
    void zeroFactorOnTheFirstStep() throws Exception {
        // The DJL fact: a plain loss multiplied by 0 fails DJL's first-step gradient check.
        Loss zeroed = new L2Loss("zeroed") {
            @Override
            public NDArray evaluate(NDList labels, NDList predictions) {
                return super.evaluate(labels, predictions).mul(0f);
            }
        };
        IllegalStateException djl = assertThrows(IllegalStateException.class, () -> fit(zeroed, null, 1));
        assertTrue(djl.getMessage().startsWith("Gradient values are all zeros"), djl.getMessage());
        // With the wrapper and its listener the run trains with factor 0 and plain SGD leaves the parameters unchanged.
        RandomGradientLoss loss = rg(Loss.l2Loss(), new ConstantLossScale(0.0), 1);
        Run zero = fit(loss, listener(loss), 1);
        Run untrained = fit(rg(Loss.l2Loss(), new ConstantLossScale(0.0), 1), null, 0);
        assertArrayEquals(new double[4], zero.listener().getDraws(), 0.0);
        for (int i = 0; i < zero.parameters().size(); i++) {
            assertArrayEquals(untrained.parameters().get(i), zero.parameters().get(i), 0f);
        }
    }

    @Test
    void refusesWhatWouldGoWrong() {
        RandomGradientLoss loss = rg(Loss.l2Loss(), new UniformLossScale(0, 1), 1);
        // no listener: evaluate would never advance the step
        IllegalStateException noListener = assertThrows(IllegalStateException.class, () -> fit(loss, null, 1));
        assertTrue(noListener.getMessage().contains("RandomGradientListener"), noListener.getMessage());
        // DJL #2459: an executor service with several devices does not wait for the splits. DJL
        // refuses two CPU devices itself, so a trainer reports two GPUs here.
        DefaultTrainingConfig threaded = new DefaultTrainingConfig(loss)
                .optExecutorService(Executors.newSingleThreadExecutor());
        try (Model model = Model.newInstance("rg-threads")) {
            model.setBlock(Linear.builder().setUnits(1).build());
            Trainer twoGpus = new Trainer(model, threaded) {
                @Override
                public Device[] getDevices() {
                    return new Device[]{Device.gpu(0), Device.gpu(1)};
                }
            };
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> listener(loss).onTrainingBegin(twoGpus));
            assertTrue(e.getMessage().contains("#2459"), e.getMessage());
            threaded.getExecutorService().shutdown();
        }
        // a listener for another loss
        RandomGradientLoss other = rg(Loss.l2Loss(), new UniformLossScale(0, 1), 1);
        DefaultTrainingConfig mismatched = new DefaultTrainingConfig(loss).addTrainingListeners(listener(other));
        try (Model model = Model.newInstance("rg-mismatch")) {
            model.setBlock(Linear.builder().setUnits(1).build());
            assertThrows(IllegalArgumentException.class, () -> model.newTrainer(mismatched));
        }
        assertThrows(IllegalArgumentException.class, () -> rg(loss, new ConstantLossScale(1.0), 1));
        assertThrows(NullPointerException.class, () -> RandomGradientLoss.builder().setLoss(Loss.l2Loss()).build());
    }

    @Test
    void provenanceAndHistoryAreRecorded() throws Exception {
        UniformLossScale scale = new UniformLossScale(0, 1, 0.5, false);
        RandomGradientLoss loss = rg(Loss.l2Loss(), scale, 42);
        RandomGradientLossProvenance provenance = loss.getProvenance();
        assertEquals(scale.getProvenance(), provenance.get(RandomGradientLossProvenance.LOSS_SCALE));
        assertEquals(new LongProvenance(RandomGradientLossProvenance.SEED, 42), provenance.get(RandomGradientLossProvenance.SEED));
        assertEquals(L2Loss.class.getName(), provenance.get(RandomGradientLossProvenance.WRAPPED_LOSS_CLASS).toString());
        assertEquals(provenance, ProvenanceUtil.unmarshalProvenance(ProvenanceUtil.marshalProvenance(provenance)));

        RandomGradientListener listener = listener(loss);
        assertEquals(0.75, listener.getExpectedLossScale(), 0.0); // p (low + high) / 2 + (1 - p)
        // A cyclical schedule's mean depends on the run's length: no E[u] is claimed for it.
        RandomGradientLoss cyclic = rg(Loss.l2Loss(), new io.github.randomgradient.rg.CyclicalLossScale(0, 1, 2000), 42);
        assertTrue(Double.isNaN(listener(cyclic).getExpectedLossScale()));
        assertEquals("NaN", cyclic.getProvenance().get(RandomGradientLossProvenance.EXPECTED_LOSS_SCALE).toString());
        fit(loss, listener, 3);
        TrainingHistory history = listener.getTrainingHistory();
        assertEquals("first-12", history.heldOutData());
        assertEquals(3, history.epochs().size());
        double[] draws = listener.getDraws();
        assertEquals(12, draws.length);
        for (int e = 0; e < 3; e++) {
            EpochRecord record = history.epochs().get(e);
            assertEquals(e + 1, record.epoch());
            assertEquals(4, record.steps());
            double mean = (draws[4 * e] + draws[4 * e + 1] + draws[4 * e + 2] + draws[4 * e + 3]) / 4;
            assertEquals(mean, record.meanLossScale(), 1e-15);
            assertTrue(record.meanLoss() > 0 && Double.isFinite(record.meanLoss()));
        }
    }
}

package io.github.randomgradient.djl;

import com.oracle.labs.mlrg.olcut.provenance.ConfiguredObjectProvenance;
import com.oracle.labs.mlrg.olcut.provenance.impl.ConfiguredObjectProvenanceImpl;
import io.github.randomgradient.djl.block.CNNBlockFactory;
import io.github.randomgradient.djl.convert.ImageConverter;
import io.github.randomgradient.djl.convert.LabelConverter;
import io.github.randomgradient.history.DivergedRunException;
import io.github.randomgradient.history.Divergence;
import io.github.randomgradient.history.EpochRecord;
import io.github.randomgradient.history.EvaluationPoint;
import io.github.randomgradient.history.TrainingHistory;
import io.github.randomgradient.rg.LossScale;
import io.github.randomgradient.rg.UniformLossScale;
import org.junit.jupiter.api.Test;
import org.tribuo.Dataset;
import org.tribuo.Model;
import org.tribuo.Prediction;
import org.tribuo.classification.Label;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The held-out curve at a finer grain than an epoch ({@code evaluationsPerEpoch}): points at the
 * expected steps, values that recompute from the trained model, a training run that is the same
 * bytes whatever the number of evaluations, round trips through both model formats, and a
 * non-finite held-out value at a point inside an epoch reported as a divergence at its step.
 */
public class EvaluationPointsTest {

    /** 200 training examples: batch size 20 gives S = 10 mini-batches per epoch. */
    private static final Dataset<Label> TRAIN = TestData.circles(200, 1L);
    private static final Dataset<Label> HELD_OUT = TestData.circles(100, 2L);

    private static DJLTrainerBuilder<Label> trainer(int evaluationsPerEpoch) {
        return TestData.mlp().optEpochs(2).optBatchSize(20).optLossScale(UniformLossScale.paperDefault())
                .optEvaluationsPerEpoch(evaluationsPerEpoch);
    }

    private static List<Long> steps(TrainingHistory h) {
        return h.evaluations().stream().map(EvaluationPoint::step).collect(Collectors.toList());
    }

    @Test
    public void pointsFallAfterEveryCeilSOverKMiniBatchesAndAtEachEpochsEnd() {
        try (DJLModel<Label> model = trainer(4).build().train(TRAIN, HELD_OUT, "validation", Map.of())) {
            TrainingHistory h = model.getTrainingHistory();
            // S = 10, k = 4: every ceil(10/4) = 3 mini-batches and after the 10th, in both epochs.
            assertEquals(List.of(3L, 6L, 9L, 10L, 13L, 16L, 19L, 20L), steps(h));
            assertEquals(List.of(1, 1, 1, 1, 2, 2, 2, 2), h.evaluations().stream().map(EvaluationPoint::epoch).collect(Collectors.toList()));
            double[] fractions = h.evaluations().stream().mapToDouble(EvaluationPoint::epochFraction).toArray();
            assertArrayEquals(new double[]{0.3, 0.6, 0.9, 1.0, 1.3, 1.6, 1.9, 2.0}, fractions, 1e-12);
            assertEquals("validation", h.heldOutData());
            // The last point of an epoch is the epoch record's held-out metric, and its clock is the epochs' training seconds.
            List<EpochRecord> epochs = h.epochs();
            assertEquals(epochs.get(0).heldOutMetric(), h.evaluations().get(3).heldOutMetric());
            assertEquals(epochs.get(1).heldOutMetric(), h.evaluations().get(7).heldOutMetric());
            assertEquals(epochs.get(0).wallSeconds(), h.evaluations().get(3).wallSeconds(), 1e-12);
            assertEquals(h.totalWallSeconds(), h.evaluations().get(7).wallSeconds(), 1e-12);
            for (int i = 1; i < h.evaluations().size(); i++) {
                assertTrue(h.evaluations().get(i).wallSeconds() >= h.evaluations().get(i - 1).wallSeconds(), "the clock never runs back");
            }
            assertTrue(h.evaluations().get(0).wallSeconds() > 0);
        }
    }

    @Test
    public void moreEvaluationsThanMiniBatchesEvaluateAfterEveryMiniBatch() {
        try (DJLModel<Label> model = trainer(25).build().train(TRAIN, HELD_OUT, "validation", Map.of())) {
            assertEquals(java.util.stream.LongStream.rangeClosed(1, 20).boxed().collect(Collectors.toList()), steps(model.getTrainingHistory()));
        }
    }

    @Test
    public void theDefaultEvaluatesOnceAtEachEpochsEndAndTrainingWithoutHeldOutDataHasNoPoints() {
        DJLTrainer<Label> byDefault = TestData.mlp().optEpochs(2).optBatchSize(20).build();
        assertEquals(1, byDefault.getEvaluationsPerEpoch());
        try (DJLModel<Label> model = byDefault.train(TRAIN, HELD_OUT, "validation", Map.of())) {
            assertEquals(List.of(10L, 20L), steps(model.getTrainingHistory()));
        }
        try (DJLModel<Label> model = trainer(4).build().train(TRAIN)) {
            assertTrue(model.getTrainingHistory().evaluations().isEmpty());
        }
    }

    /**
     * The last point follows the last update, so its loss and accuracy recompute from the trained
     * model's predictions: mean of -log p(true label) over the held-out examples, and the share predicted right.
     */
    @Test
    public void theLastPointsLossAndAccuracyRecomputeFromTheModelsPredictions() {
        try (DJLModel<Label> model = trainer(4).build().train(TRAIN, HELD_OUT, "validation", Map.of())) {
            double logLoss = 0;
            int right = 0;
            List<Prediction<Label>> predictions = model.predict(HELD_OUT);
            for (Prediction<Label> p : predictions) {
                String truth = p.getExample().getOutput().getLabel();
                logLoss -= Math.log(p.getOutputScores().get(truth).getScore());
                right += p.getOutput().getLabel().equals(truth) ? 1 : 0;
            }
            EvaluationPoint last = model.getTrainingHistory().evaluations().get(7);
            assertEquals(logLoss / predictions.size(), last.heldOutLoss(), 1e-5);
            assertEquals((double) right / predictions.size(), last.heldOutMetric(), 1e-12);
            // Earlier points measured other parameters: the curve moved.
            assertFalse(model.getTrainingHistory().evaluations().get(0).heldOutLoss() == last.heldOutLoss());
        }
    }

    @Test
    public void evaluatingNeverChangesTheTrainingRun() {
        byte[] without = trainer(4).build().train(TRAIN).getParameterBytes();
        for (int k : new int[]{1, 4, 25}) {
            try (DJLModel<Label> model = trainer(k).build().train(TRAIN, HELD_OUT, "validation", Map.of())) {
                assertArrayEquals(without, model.getParameterBytes(), "evaluationsPerEpoch=" + k);
            }
        }
    }

    /**
     * Batch normalisation (running statistics) and dropout (random draws in training mode): an
     * evaluation in inference mode after every mini-batch leaves the run the same bytes as one
     * evaluation per epoch and as none.
     */
    /** {@code n} random 8x8 images (pixels named 00 to 63, as Tribuo's IDX source names them), two classes. */
    private static Dataset<Label> images(int n, long seed) {
        org.tribuo.classification.LabelFactory factory = new org.tribuo.classification.LabelFactory();
        org.tribuo.MutableDataset<Label> out = new org.tribuo.MutableDataset<>(
                new org.tribuo.provenance.SimpleDataSourceProvenance("random 8x8 images " + seed, factory), factory);
        java.util.Random rng = new java.util.Random(seed);
        String[] names = new String[64];
        for (int i = 0; i < 64; i++) {
            names[i] = String.format("%02d", i);
        }
        for (int e = 0; e < n; e++) {
            double[] pixels = new double[64];
            for (int i = 0; i < 64; i++) {
                pixels[i] = 1 + rng.nextInt(255);
            }
            out.add(new org.tribuo.impl.ArrayExample<>(new Label(Integer.toString(e % 2)), names, pixels));
        }
        return out;
    }

    @Test
    public void evaluatingNeverChangesBatchNormStatisticsOrDropoutDraws() {
        Dataset<Label> train = images(24, 1L);
        Dataset<Label> heldOut = images(8, 2L);
        java.util.function.IntFunction<DJLTrainer<Label>> cnn = k -> DJLTrainer.<Label>builder(
                        new CNNBlockFactory(new int[]{4}, 3, true, 8, 0.5f), new ImageConverter(8, 8, 1), new LabelConverter())
                .optLearningRate(0.05f).optMomentum(0.9f).optEpochs(2).optBatchSize(6).optSeed(3L).optDevice("cpu")
                .optEvaluationsPerEpoch(k).build();
        byte[] without = cnn.apply(1).train(train).getParameterBytes();
        try (DJLModel<Label> once = cnn.apply(1).train(train, heldOut, "validation", Map.of());
             DJLModel<Label> everyStep = cnn.apply(4).train(train, heldOut, "validation", Map.of())) {
            assertEquals(8, everyStep.getTrainingHistory().evaluations().size());
            assertArrayEquals(without, once.getParameterBytes());
            assertArrayEquals(without, everyStep.getParameterBytes());
            assertEquals(once.getTrainingHistory().epochs().get(1).heldOutMetric(), everyStep.getTrainingHistory().epochs().get(1).heldOutMetric());
        }
    }

    /** The held-out curve depends on the field, so the provenance (and a run's identity) records it. */
    @Test
    public void theProvenanceRecordsTheNumberOfEvaluationsAndBadValuesAreRefused() {
        assertEquals(1, configured(TestData.mlp().build()));
        assertEquals(4, configured(trainer(4).build()));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> trainer(0).build());
        assertTrue(e.getMessage().contains("evaluationsPerEpoch must be >= 1") && e.getMessage().contains("found 0"), e.getMessage());
    }

    private static int configured(DJLTrainer<Label> trainer) {
        return ((com.oracle.labs.mlrg.olcut.provenance.primitives.IntProvenance) trainer.getProvenance().getConfiguredParameters()
                .get("evaluationsPerEpoch")).getValue();
    }

    @Test
    public void theCurveSurvivesBothModelFormats() throws Exception {
        try (DJLModel<Label> model = trainer(4).build().train(TRAIN, HELD_OUT, "validation", Map.of())) {
            TrainingHistory h = model.getTrainingHistory();
            assertEquals(8, h.evaluations().size());
            try (DJLModel<?> proto = (DJLModel<?>) Model.deserialize(model.serialize())) {
                assertEquals(h, proto.getTrainingHistory());
            }
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
                out.writeObject(model);
            }
            try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()));
                 DJLModel<?> java = (DJLModel<?>) in.readObject()) {
                assertEquals(h, java.getTrainingHistory());
            }
        }
    }

    @Test
    public void modelsWrittenBeforeTheCurveLoadWithNone() throws Exception {
        java.nio.file.Path dir = GoldenModelTest.goldenRoot().resolve("format1-3782f69");
        try (DJLModel<?> proto = (DJLModel<?>) Model.deserializeFromFile(dir.resolve("mlp.tribuo"));
             ObjectInputStream in = new ObjectInputStream(java.nio.file.Files.newInputStream(dir.resolve("mlp.ser")));
             DJLModel<?> java = (DJLModel<?>) in.readObject()) {
            for (DJLModel<?> m : List.of(proto, java)) {
                assertFalse(m.getTrainingHistory().epochs().isEmpty());
                assertTrue(m.getTrainingHistory().evaluations().isEmpty());
            }
        }
    }

    /** Factor 1 up to step {@code from - 1}, then 3e38: finite parameters whose inference-mode logits are not. */
    private static final class HugeFrom implements LossScale {
        private final long from;

        HugeFrom(long from) {
            this.from = from;
        }

        @Override
        public Sampler newSampler(SplittableRandom rng) {
            return step -> step < from ? 1.0 : 3e38;
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
            return "1 then 3e38 from step " + from;
        }

        @Override
        public ConfiguredObjectProvenance getProvenance() {
            return new ConfiguredObjectProvenanceImpl(this, "LossScale");
        }
    }

    /**
     * Batch size 50 gives S = 4 mini-batches per epoch. The huge factor at step 5 (0-based: the second
     * mini-batch of epoch 2) breaks inference; the evaluation after that mini-batch, inside the epoch,
     * catches it before any training forward pass does.
     */
    @Test
    public void aNonFiniteHeldOutValueInsideAnEpochIsADivergenceAtItsStep() {
        java.util.function.Function<DivergencePolicy, DJLTrainer<Label>> diverging = policy -> TestData.mlp().optEpochs(3)
                .optBatchSize(50).optLossScale(new HugeFrom(5)).optEvaluationsPerEpoch(4).optDivergencePolicy(policy).build();
        DivergedRunException e = assertThrows(DivergedRunException.class,
                () -> diverging.apply(DivergencePolicy.FAIL).train(TRAIN, HELD_OUT, "validation", Map.of()));
        Divergence d = e.getDivergence();
        assertEquals("validation logits (inference mode)", d.what());
        assertEquals(2, d.epoch());
        assertEquals(5L, d.step());
        assertEquals(3e38, d.lossScale());
        assertTrue(e.getMessage().contains("validation logits (inference mode) at epoch 2, step 5"), e.getMessage());

        byte[] afterEpochOne = TestData.mlp().optEpochs(1).optBatchSize(50).optLossScale(new HugeFrom(5)).build()
                .train(TRAIN).getParameterBytes();
        try (DJLModel<Label> stopped = diverging.apply(DivergencePolicy.STOP).train(TRAIN, HELD_OUT, "validation", Map.of())) {
            TrainingHistory h = stopped.getTrainingHistory();
            assertEquals(d, h.divergence());
            assertEquals(List.of(1L, 2L, 3L, 4L, 5L, 6L), steps(h), "the curve up to the non-finite point, which is recorded");
            assertTrue(Double.isFinite(h.evaluations().get(4).heldOutMetric()));
            assertTrue(Double.isNaN(h.evaluations().get(5).heldOutLoss()) || Double.isInfinite(h.evaluations().get(5).heldOutLoss()));
            assertEquals(2, h.epochs().size());
            assertEquals(2, h.epochs().get(1).steps(), "epoch 2's two completed mini-batches");
            assertArrayEquals(afterEpochOne, stopped.getParameterBytes(), "the parameters at the start of epoch 2");
        }
    }
}

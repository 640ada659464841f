package io.github.randomgradient.djl;

import io.github.randomgradient.djl.block.CNNBlockFactory;
import io.github.randomgradient.djl.block.MLPBlockFactory;
import io.github.randomgradient.djl.convert.ImageConverter;
import io.github.randomgradient.djl.convert.LabelConverter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tribuo.Dataset;
import org.tribuo.MutableDataset;
import org.tribuo.classification.Label;
import org.tribuo.classification.LabelFactory;
import org.tribuo.classification.evaluation.LabelEvaluation;
import org.tribuo.classification.evaluation.LabelEvaluator;
import org.tribuo.datasource.IDXDataSource;
import org.tribuo.impl.ArrayExample;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The one image-shape check of the Java API: {@code DJLTrainer.train} refuses images of another
 * size than its {@link ImageConverter} (smaller ones too, which used to train silently), naming the
 * expected and found pixels and the data's file; {@code checkBeforeTraining} refuses them and a
 * CNN kernel larger than the image; the held-out data of {@code train(train, heldOut, ...)} is
 * checked by the same rule before training; a trained {@link DJLModel} refuses to score an example
 * or a dataset of larger images instead of ignoring their unknown pixels, and a dataset of smaller
 * images (through {@code predict(Dataset)}, {@code predict(Iterable)} and Tribuo's
 * {@code LabelEvaluator}), whose pixel names alone would all be valid.
 */
public class ImageShapeTest {

    @TempDir
    static Path tmp;

    /** An uncompressed IDX file. */
    private static Path idx(Path file, int[] shape, byte[] data) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        out.writeShort(0);
        out.writeByte(0x08);
        out.writeByte(shape.length);
        for (int d : shape) {
            out.writeInt(d);
        }
        out.write(data);
        out.flush();
        return Files.write(file, bytes.toByteArray());
    }

    /** {@code n} random images of {@code side x side} (no pixel is 0), two classes, read by Tribuo's IDXDataSource. */
    static Dataset<Label> images(String name, int n, int side) throws IOException {
        byte[] pixels = new byte[n * side * side];
        Random rng = new Random(side);
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = (byte) (1 + rng.nextInt(255));
        }
        byte[] labels = new byte[n];
        for (int i = 0; i < n; i++) {
            labels[i] = (byte) (i % 2);
        }
        Path images = idx(tmp.resolve(name + "-images.idx"), new int[]{n, side, side}, pixels);
        Path out = idx(tmp.resolve(name + "-labels.idx"), new int[]{n}, labels);
        return new MutableDataset<>(new IDXDataSource<>(images, out, new LabelFactory()));
    }

    private static DJLTrainer<Label> trainer(int side) {
        return DJLTrainer.<Label>builder(new MLPBlockFactory(MLPBlockFactory.ActivationType.RELU, 8), new ImageConverter(side, side, 1),
                new LabelConverter()).optBatchSize(4).optEpochs(1).optLearningRate(0.01f).optSeed(1L).optDevice("cpu").build();
    }

    @Test
    public void smallerImagesAreRefusedBeforeTrainingNamingBothShapesAndTheFile() throws IOException {
        Dataset<Label> small = images("small", 8, 20);
        assertEquals(400, small.getFeatureIDMap().size());
        DJLTrainer<Label> t = trainer(28);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> t.train(small));
        String m = e.getMessage();
        assertTrue(m.contains("[channels=1, height=28, width=28] (784 pixels)") && m.contains("400 pixel features")
                && m.contains("images of 20x20") && m.contains("small-images.idx"), m);
        assertEquals(0, t.getInvocationCount(), "nothing trained");
        e = assertThrows(IllegalArgumentException.class,
                () -> t.checkBeforeTraining(small.getFeatureIDMap(), small.getOutputIDInfo()));
        assertTrue(e.getMessage().contains("featureConverter") && e.getMessage().contains("784 pixels"), e.getMessage());
        // Larger images are refused as before.
        Dataset<Label> large = images("large", 8, 32);
        e = assertThrows(IllegalArgumentException.class, () -> t.train(large));
        assertTrue(e.getMessage().contains("1024 pixel features") && e.getMessage().contains("large-images.idx"), e.getMessage());
    }

    @Test
    public void aCnnKernelLargerThanTheImageIsRefusedBeforeTraining() throws IOException {
        Dataset<Label> data = images("tiny", 8, 6);
        DJLTrainer<Label> t = DJLTrainer.<Label>builder(new CNNBlockFactory(new int[]{2}, 7, false, 0, 0f), new ImageConverter(6, 6, 1),
                new LabelConverter()).optBatchSize(4).optEpochs(1).optSeed(1L).optDevice("cpu").build();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> t.checkBeforeTraining(data.getFeatureIDMap(), data.getOutputIDInfo()));
        assertTrue(e.getMessage().contains("blockFactory") && e.getMessage().contains("kernelSize=7")
                && e.getMessage().contains("6x6") && e.getMessage().contains("at most 6"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> t.train(data));
        assertTrue(e.getMessage().contains("kernelSize=7"), e.getMessage());
        // A kernel as large as the image fits.
        DJLTrainer<Label> fits = DJLTrainer.<Label>builder(new CNNBlockFactory(new int[]{2}, 5, false, 0, 0f), new ImageConverter(6, 6, 1),
                new LabelConverter()).optBatchSize(4).optEpochs(1).optSeed(1L).optDevice("cpu").build();
        assertArrayEquals(new long[]{1, 6, 6}, fits.checkBeforeTraining(data.getFeatureIDMap(), data.getOutputIDInfo()));
    }

    @Test
    public void resNetAndMobileNetRefuseImagesSmallerThanTheirDownsampling() {
        // Without the check both trained on 1x1 images, and MobileNetV2 diverged on 8x8 ones.
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new io.github.randomgradient.djl.block.ResNetBlockFactory(20).checkFits(new long[]{1, 2, 2}));
        assertTrue(e.getMessage().contains("numLayers=20") && e.getMessage().contains("2x2") && e.getMessage().contains("at least 4x4"),
                e.getMessage());
        new io.github.randomgradient.djl.block.ResNetBlockFactory(20).checkFits(new long[]{1, 4, 4});
        e = assertThrows(IllegalArgumentException.class,
                () -> new io.github.randomgradient.djl.block.ResNetBlockFactory(18).checkFits(new long[]{3, 29, 29}));
        assertTrue(e.getMessage().contains("at least 32x32"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> new io.github.randomgradient.djl.block.MobileNetV2BlockFactory().checkFits(new long[]{3, 8, 8}));
        assertTrue(e.getMessage().contains("8x8") && e.getMessage().contains("at least 32x32"), e.getMessage());
        new io.github.randomgradient.djl.block.MobileNetV2BlockFactory().checkFits(new long[]{3, 32, 32});
    }

    @Test
    public void aModelRefusesToScoreLargerImagesInsteadOfIgnoringTheirPixels() throws IOException {
        Dataset<Label> train = images("train4", 8, 4);
        try (DJLModel<Label> model = trainer(4).train(train)) {
            assertEquals(8, model.predict(train).size());
            // An 8x8 image names pixels 0..63; a 4x4 model knows 0..15. Pixels 16..63 used to be dropped silently.
            String[] names = new String[64];
            double[] values = new double[64];
            for (int i = 0; i < 64; i++) {
                names[i] = String.format("%02d", i);
                values[i] = 1 + i;
            }
            ArrayExample<Label> big = new ArrayExample<>(new Label("0"), names, values);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> model.predict(big));
            assertTrue(e.getMessage().contains("feature '16'") && e.getMessage().contains("height=4, width=4"), e.getMessage());
            Dataset<Label> large = images("large8", 4, 8);
            e = assertThrows(IllegalArgumentException.class, () -> model.predict(large));
            assertTrue(e.getMessage().contains("large8-images.idx") && e.getMessage().contains("height=4, width=4"), e.getMessage());
            assertEquals(1, model.predict(List.of(train.getExample(0))).size());
        }
    }

    @Test
    public void heldOutImagesOfAnotherSizeAreRefusedBeforeTrainingNamingTheHeldOutFile() throws IOException {
        Dataset<Label> train = images("train28", 8, 28);
        Dataset<Label> small = images("heldout20", 8, 20);
        DJLTrainer<Label> t = trainer(28);
        // Without the check this trained and recorded a held-out accuracy for 20x20 images scored as 28x28 ones.
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> t.train(train, small, "test", Collections.emptyMap()));
        String m = e.getMessage();
        assertTrue(m.contains("cannot take the test data") && m.contains("heldout20-images.idx")
                && m.contains("[channels=1, height=28, width=28] (784 pixels)") && m.contains("400 pixel features")
                && m.contains("images of 20x20"), m);
        assertEquals(0, t.getInvocationCount(), "nothing trained");
        Dataset<Label> large = images("heldout32", 8, 32);
        e = assertThrows(IllegalArgumentException.class, () -> t.train(train, large, "validation", Collections.emptyMap()));
        assertTrue(e.getMessage().contains("validation data") && e.getMessage().contains("heldout32-images.idx")
                && e.getMessage().contains("1024 pixel features"), e.getMessage());
        assertEquals(0, t.getInvocationCount(), "nothing trained");
    }

    @Test
    public void aModelRefusesToScoreADatasetOfSmallerImagesThroughPredictAndTribuosEvaluator() throws IOException {
        Dataset<Label> train = images("train28b", 8, 28);
        Dataset<Label> test = images("test28", 4, 28);
        Dataset<Label> small = images("test20", 4, 20);
        try (DJLModel<Label> model = trainer(28).train(train, test, "test", Collections.emptyMap())) {
            assertEquals(1, model.getTrainingHistory().epochs().size());
            assertEquals(4, model.predict(test).size());
            LabelEvaluation ok = new LabelEvaluator().evaluate(model, test);
            assertEquals(4, ok.getPredictions().size());
            // A 20x20 image names pixels 000..399, all valid 28x28 pixels: each example alone passes the plan.
            assertNotNull(model.predict(small.getExample(0)).getOutput());
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> model.predict(small));
            String m = e.getMessage();
            assertTrue(m.contains("cannot score the data") && m.contains("test20-images.idx") && m.contains("784 pixels")
                    && m.contains("400 pixel features") && m.contains("images of 20x20"), m);
            e = assertThrows(IllegalArgumentException.class, () -> new LabelEvaluator().evaluate(model, small));
            assertTrue(e.getMessage().contains("test20-images.idx") && e.getMessage().contains("400 pixel features"), e.getMessage());
            Iterable<org.tribuo.Example<Label>> asIterable = small;
            e = assertThrows(IllegalArgumentException.class, () -> model.predict(asIterable));
            assertTrue(e.getMessage().contains("400 pixel features"), e.getMessage());
        }
    }

    /**
     * Tribuo's IDXDataSource leaves out pixels that are 0 in every image: the IDX header still says the images
     * are 28x28, so such data trains, is held out and is scored (the bundled test subset has one such pixel; it was
     * refused everywhere for naming 783 of 784 pixels), while a file of 20x20 images is refused by its header.
     */
    @Test
    public void idxDataWhosePixelsAreZeroInEveryImageIsTakenByItsHeader() throws IOException {
        byte[] pixels = new byte[8 * 28 * 28];
        Random rng = new Random(5);
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = (byte) (i % (28 * 28) == 0 ? 0 : 1 + rng.nextInt(255));   // pixel 0 is 0 in every image
        }
        byte[] labels = new byte[8];
        for (int i = 0; i < 8; i++) {
            labels[i] = (byte) (i % 2);
        }
        Path images = idx(tmp.resolve("sparse-images.idx"), new int[]{8, 28, 28}, pixels);
        Path out = idx(tmp.resolve("sparse-labels.idx"), new int[]{8}, labels);
        Dataset<Label> sparse = new MutableDataset<>(new IDXDataSource<>(images, out, new LabelFactory()));
        assertEquals(783, sparse.getFeatureIDMap().size());
        try (DJLModel<Label> model = trainer(28).train(sparse, sparse, "test", Collections.emptyMap())) {
            assertEquals(8, model.predict(sparse).size());
            assertEquals(8, new LabelEvaluator().evaluate(model, sparse).getPredictions().size());
        }
        // Without a readable file the feature count is all there is, and it is refused as before.
        Files.delete(images);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> trainer(28).train(sparse));
        assertTrue(e.getMessage().contains("783 pixel features"), e.getMessage());
    }
}

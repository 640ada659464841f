package io.github.randomgradient.djl;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.github.randomgradient.djl.block.CNNBlockFactory;
import io.github.randomgradient.djl.convert.FeatureConverter;
import io.github.randomgradient.djl.convert.ImageConverter;
import io.github.randomgradient.djl.convert.LabelConverter;
import io.github.randomgradient.djl.train.TensorData;
import io.github.randomgradient.images.DenseImageDataset;
import io.github.randomgradient.images.IdxImageDataSource;
import org.junit.jupiter.api.Test;
import org.tribuo.Dataset;
import org.tribuo.classification.Label;
import org.tribuo.classification.LabelFactory;
import org.tribuo.dataset.DatasetView;

import java.io.IOException;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

/**
 * The fast data path ({@link DenseImageDataset} read by {@link IdxImageDataSource}, converted by
 * {@link FeatureConverter.Plan#fillImages}) against Tribuo's {@code IDXDataSource} and
 * {@code MutableDataset} converted example by example ({@link TestData}): the same tensors, bit
 * for bit, and the same parameters after training.
 */
class DenseImagePathTest {

    private static DenseImageDataset<Label> dense(String split) throws IOException {
        return new IdxImageDataSource<>(TestData.BUNDLED.resolve(split + "-images-idx3-ubyte.gz"),
                TestData.BUNDLED.resolve(split + "-labels-idx1-ubyte.gz"), new LabelFactory()).dataset();
    }

    /** The converted inputs and targets of a dataset, with a plan made on {@code domain}'s feature map, as DJLTrainer does. */
    private static float[][] tensors(Dataset<Label> data, Dataset<Label> domain, FeatureConverter converter) {
        LabelConverter labels = new LabelConverter();
        TensorData t = TensorData.of(data, converter.plan(domain.getFeatureIDMap()), labels, domain.getOutputIDInfo(), "test");
        try (NDManager manager = NDManager.newBaseManager(Device.cpu())) {
            NDArray[] xy = t.toDevice(manager, Device.cpu(), converter.exampleShape(domain.getFeatureIDMap()),
                    io.github.randomgradient.djl.MemoryFormat.CONTIGUOUS, labels);
            return new float[][]{xy[0].toFloatArray(), xy[1].toType(ai.djl.ndarray.types.DataType.FLOAT32, false).toFloatArray()};
        }
    }

    private static void assertBitwiseEqual(float[] expected, float[] actual, String what) {
        assertEquals(expected.length, actual.length, what + ": length");
        for (int i = 0; i < expected.length; i++) {
            if (Float.floatToRawIntBits(expected[i]) != Float.floatToRawIntBits(actual[i])) {
                assertEquals(expected[i], actual[i], what + ": element " + i + " differs");
                throw new AssertionError(what + ": element " + i + " has other bits: " + expected[i] + " vs " + actual[i]);
            }
        }
    }

    @Test
    void sameTensorsAsTheTribuoPath() throws IOException {
        DenseImageDataset<Label> train = dense("train");
        DenseImageDataset<Label> test = dense("t10k");
        ImageConverter normalised = new ImageConverter(28, 28, 1, new float[]{72.94f}, new float[]{90.02f});
        ImageConverter raw = new ImageConverter(28, 28, 1);
        ImageConverter channelsLast = new ImageConverter(28, 28, 1, new float[]{72.94f}, new float[]{90.02f}, true);
        for (ImageConverter c : new ImageConverter[]{normalised, raw, channelsLast}) {
            float[][] tribuo = tensors(TestData.fashionTrain(), TestData.fashionTrain(), c);
            float[][] fast = tensors(train, train, c);
            assertEquals(10_000 * 784, fast[0].length);
            assertBitwiseEqual(tribuo[0], fast[0], c + " training inputs");
            assertBitwiseEqual(tribuo[1], fast[1], c + " training targets");
            // held-out data, planned on the training domain
            float[][] tribuoTest = tensors(TestData.fashionTest(), TestData.fashionTrain(), c);
            float[][] fastTest = tensors(test, train, c);
            assertBitwiseEqual(tribuoTest[0], fastTest[0], c + " test inputs");
            assertBitwiseEqual(tribuoTest[1], fastTest[1], c + " test targets");
        }
        // A view (as a sweep's split) converts the examples it selects, in its order.
        int[] some = {9_999, 3, 3, 500, 0};
        float[][] tribuoView = tensors(new DatasetView<>(TestData.fashionTrain(), some, "v"), TestData.fashionTrain(), normalised);
        float[][] fastView = tensors(train.view(some, "v", false), train, normalised);
        assertBitwiseEqual(tribuoView[0], fastView[0], "view inputs");
        assertBitwiseEqual(tribuoView[1], fastView[1], "view targets");
        // One image's first pixels by hand: (x - 72.94f) * (1 / 90.02f), x the unsigned byte.
        int first = IntStream.range(0, 784).filter(p -> train.pixelArray()[p] != 0).findFirst().orElseThrow();
        float x = train.pixelArray()[first] & 0xFF;
        assertEquals((x - 72.94f) * (1f / 90.02f), fastView[0][4 * 784 + first]);
        assertEquals((0f - 72.94f) * (1f / 90.02f), fastView[0][4 * 784]);
    }

    @Test
    void sameParametersAfterTraining() throws IOException {
        DenseImageDataset<Label> test = dense("t10k");
        // 2,000 images, one epoch of a small CNN, with held-out evaluation on the same images
        DJLTrainer<Label> a = trainer();
        DJLTrainer<Label> b = trainer();
        DJLModel<Label> tribuo = a.train(TestData.fashionTest(), TestData.fashionTest(), "held-out", java.util.Map.of());
        DJLModel<Label> fast = b.train(test, test, "held-out", java.util.Map.of());
        assertInstanceOf(DenseImageDataset.class, test);
        assertArrayEquals(tribuo.getParameterBytes(), fast.getParameterBytes());
    }

    private static DJLTrainer<Label> trainer() {
        return DJLTrainer.builder(new CNNBlockFactory(false, 4), new ImageConverter(28, 28, 1, new float[]{72.94f}, new float[]{90.02f}),
                        new LabelConverter())
                .optLearningRate(0.05f).optMomentum(0.9f).optEpochs(1).optBatchSize(64).optSeed(11L).optDevice("cpu").build();
    }
}

package io.github.randomgradient.djl;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.training.ParameterStore;
import io.github.randomgradient.djl.block.BlockFactory;
import io.github.randomgradient.djl.block.CNNBlockFactory;
import io.github.randomgradient.djl.block.MobileNetV2BlockFactory;
import io.github.randomgradient.djl.block.ResNetBlockFactory;
import io.github.randomgradient.djl.convert.ImageConverter;
import io.github.randomgradient.djl.convert.LabelConverter;
import io.github.randomgradient.djl.train.Parameters;
import org.junit.jupiter.api.Test;
import org.tribuo.Dataset;
import org.tribuo.MutableDataset;
import org.tribuo.Prediction;
import org.tribuo.classification.Label;
import org.tribuo.classification.LabelFactory;
import org.tribuo.impl.ArrayExample;
import org.tribuo.provenance.SimpleDataSourceProvenance;
import org.tribuo.provenance.TrainerProvenance;
import org.tribuo.test.Helpers;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link MemoryFormat#CHANNELS_LAST}: the stored order, the strided view PyTorch sees, that the
 * convolutions then really run channels-last in every block factory, that each factory computes
 * the same function in both formats, and that a channels-last model predicts identically after
 * both serialisation round trips.
 */
public class ChannelsLastTest {

    /** {@code tensor.is_contiguous()}, which DJL 0.36 does not expose (its JNI has it). */
    static boolean isContiguous(NDArray array) throws ReflectiveOperationException {
        Class<?> lib = Class.forName("ai.djl.pytorch.jni.PyTorchLibrary");
        Field instance = lib.getDeclaredField("LIB");
        instance.setAccessible(true);
        Method m = lib.getDeclaredMethod("torchIsContiguous", long.class);
        m.setAccessible(true);
        return (Boolean) m.invoke(instance.get(null), ((PtNDArray) array).getHandle());
    }

    @Test
    public void storedOrderIsNhwcAndTheInputIsTheLogicalNchwArray() throws ReflectiveOperationException {
        long[] example = {3, 2, 2};
        float[] nchw = new float[2 * 12];
        for (int i = 0; i < nchw.length; i++) {
            nchw[i] = i;
        }
        float[] stored = MemoryFormat.CHANNELS_LAST.toStored(nchw, example);
        // Example 0, pixel (0,0): channels 0, 1, 2 are at 0, 4, 8 in NCHW; then pixel (0,1): 1, 5, 9.
        assertArrayEquals(new float[]{0, 4, 8, 1, 5, 9, 2, 6, 10, 3, 7, 11}, java.util.Arrays.copyOf(stored, 12));
        assertEquals(12f, stored[12]);
        assertArrayEquals(new long[]{2, 2, 2, 3}, MemoryFormat.CHANNELS_LAST.storedShape(2, example));
        // One channel: nothing moves, no copy.
        float[] gray = new float[8];
        assertSame(gray, MemoryFormat.CHANNELS_LAST.toStored(gray, new long[]{1, 2, 4}));
        // Non-image inputs and CONTIGUOUS: unchanged.
        assertSame(nchw, MemoryFormat.CONTIGUOUS.toStored(nchw, example));
        assertSame(nchw, MemoryFormat.CHANNELS_LAST.toStored(nchw, new long[]{12}));
        assertArrayEquals(new long[]{2, 12}, MemoryFormat.CHANNELS_LAST.storedShape(2, new long[]{12}));

        DJLEngine.engine(1);
        try (NDManager manager = NDManager.newBaseManager(Device.cpu(), DJLEngine.ENGINE_NAME)) {
            NDArray view = MemoryFormat.CHANNELS_LAST.toInput(manager.create(stored, new Shape(2, 2, 2, 3)), example);
            assertEquals(new Shape(2, 3, 2, 2), view.getShape());
            assertFalse(isContiguous(view));
            assertArrayEquals(nchw, view.toFloatArray());
            NDArray plain = MemoryFormat.CONTIGUOUS.toInput(manager.create(nchw, new Shape(2, 3, 2, 2)), example);
            assertTrue(isContiguous(plain));
        }
    }

    /**
     * Every image block factory, initialised once, run on the same images in both formats: the
     * first block's output is channels-last strided (not contiguous) only under CHANNELS_LAST, i.e.
     * PyTorch propagated the format into the convolution, and the logits agree to float rounding.
     */
    @Test
    public void everyBlockFactoryRunsChannelsLastAndComputesTheSameFunction() throws ReflectiveOperationException {
        checkFactory(new CNNBlockFactory(true, 4, 8), new long[]{1, 28, 28});
        checkFactory(new CNNBlockFactory(new int[]{4}, 5, false, 0, 0f), new long[]{3, 8, 8});
        checkFactory(new ResNetBlockFactory(20), new long[]{1, 28, 28});
        checkFactory(new ResNetBlockFactory(20), new long[]{3, 16, 16});
        checkFactory(new MobileNetV2BlockFactory(), new long[]{3, 32, 32});
    }

    private static void checkFactory(BlockFactory factory, long[] example) throws ReflectiveOperationException {
        DJLEngine.engine(1);
        int n = 3;
        int size = (int) (example[0] * example[1] * example[2]);
        float[] nchw = new float[n * size];
        SplittableRandom rng = new SplittableRandom(7);
        for (int i = 0; i < nchw.length; i++) {
            nchw[i] = (float) rng.nextDouble(-1, 1);
        }
        try (NDManager manager = NDManager.newBaseManager(Device.cpu(), DJLEngine.ENGINE_NAME)) {
            Block block = factory.newBlock(example, 10);
            long[] batch = MemoryFormat.CONTIGUOUS.storedShape(n, example);
            block.initialize(manager, DataType.FLOAT32, new Shape(batch));
            float[][] logits = new float[2][];
            for (MemoryFormat format : MemoryFormat.values()) {
                NDArray x = format.toInput(manager.create(format.toStored(nchw, example), new Shape(format.storedShape(n, example))), example);
                ParameterStore store = new ParameterStore(manager, false);
                Block first = block.getChildren().get(0).getValue();
                NDArray early = first.forward(store, new NDList(x), false).singletonOrThrow();
                assertEquals(format == MemoryFormat.CONTIGUOUS, isContiguous(early), factory + " " + format + ": first block's output");
                logits[format.ordinal()] = block.forward(store, new NDList(x), false).singletonOrThrow().toFloatArray();
            }
            assertEquals(n * 10, logits[0].length);
            for (int i = 0; i < logits[0].length; i++) {
                assertEquals(logits[0][i], logits[1][i], 1e-4 * Math.max(1, Math.abs(logits[0][i])), factory + " logit " + i);
            }
        }
    }

    /** Synthetic C x 6 x 6 images, every pixel non-zero: label "top" if the top half is brighter. */
    static Dataset<Label> images(int n, int channels, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        LabelFactory factory = new LabelFactory();
        MutableDataset<Label> data = new MutableDataset<>(new SimpleDataSourceProvenance("channels images", factory), factory);
        int size = channels * 36;
        String[] names = new String[size];
        for (int i = 0; i < size; i++) {
            names[i] = String.format("%03d", i);
        }
        for (int e = 0; e < n; e++) {
            boolean top = rng.nextBoolean();
            double[] values = new double[size];
            for (int i = 0; i < size; i++) {
                boolean bright = (i % 36 < 18) == top;
                values[i] = 0.25 + rng.nextDouble() + (bright ? 1.0 : 0.0) * (1 + i / 36);
            }
            data.add(new ArrayExample<>(new Label(top ? "top" : "bottom"), names, values));
        }
        return data;
    }

    private static DJLTrainer<Label> trainer(int channels, MemoryFormat format) {
        return DJLTrainer.<Label>builder(new CNNBlockFactory(new int[]{4}, 3, true, 8, 0f), new ImageConverter(6, 6, channels),
                new LabelConverter()).optEpochs(2).optBatchSize(16).optLearningRate(0.05f).optSeed(5L).optMemoryFormat(format).build();
    }

    private static float[][] scores(DJLModel<Label> model, Dataset<Label> data) {
        List<Prediction<Label>> predictions = model.predict(data);
        float[][] out = new float[predictions.size()][];
        for (int i = 0; i < out.length; i++) {
            Map<String, Label> dist = predictions.get(i).getOutputScores();
            out[i] = new float[]{(float) dist.get("top").getScore(), (float) dist.get("bottom").getScore()};
        }
        return out;
    }

    @Test
    @SuppressWarnings("unchecked")
    public void channelsLastModelPredictsIdenticallyAfterBothRoundTrips() throws Exception {
        for (int channels : new int[]{1, 3}) {
            Dataset<Label> train = images(64, channels, 1);
            Dataset<Label> test = images(20, channels, 2);
            for (MemoryFormat format : MemoryFormat.values()) {
                DJLModel<Label> model = (DJLModel<Label>) trainer(channels, format).train(train);
                assertEquals(format, model.getMemoryFormat());
                assertEquals(format.name(), ((TrainerProvenance) model.getProvenance().getTrainerProvenance())
                        .getConfiguredParameters().get("memoryFormat").toString());
                float[][] before = scores(model, test);

                DJLModel<Label> proto = (DJLModel<Label>) Helpers.testModelProtoSerialization(model, Label.class, test);
                assertEquals(format, proto.getMemoryFormat());
                ByteArrayOutputStream bytes = new ByteArrayOutputStream();
                try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
                    out.writeObject(model);
                }
                DJLModel<Label> java;
                try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
                    java = (DJLModel<Label>) in.readObject();
                }
                assertEquals(format, java.getMemoryFormat());
                float[][] afterProto = scores(proto, test);
                float[][] afterJava = scores(java, test);
                for (int i = 0; i < before.length; i++) {
                    assertArrayEquals(before[i], afterProto[i], 0f, "C=" + channels + " " + format + " example " + i + " (protobuf)");
                    assertArrayEquals(before[i], afterJava[i], 0f, "C=" + channels + " " + format + " example " + i + " (Java)");
                }
                model.close();
                proto.close();
                java.close();
            }
        }
    }
}

package io.github.randomgradient.djl.block;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import io.github.randomgradient.djl.DJLEngine;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every block factory builds a network mapping {@code [batch, ...exampleShape]} to {@code [batch, numOutputs]}.
 */
public class BlockFactoryTest {

    private static Shape forward(BlockFactory factory, long[] exampleShape, int numOutputs) {
        DJLEngine.engine(1);
        try (NDManager manager = NDManager.newBaseManager(Device.cpu(), DJLEngine.ENGINE_NAME)) {
            Block block = factory.newBlock(exampleShape, numOutputs);
            long[] batch = new long[exampleShape.length + 1];
            batch[0] = 2;
            System.arraycopy(exampleShape, 0, batch, 1, exampleShape.length);
            block.initialize(manager, DataType.FLOAT32, new Shape(batch));
            NDArray x = manager.randomUniform(0f, 1f, new Shape(batch));
            NDList out = block.forward(new ParameterStore(manager, false), new NDList(x), false);
            return out.singletonOrThrow().getShape();
        }
    }

    @Test
    public void outputsHaveShapeBatchByNumOutputs() {
        assertEquals(new Shape(2, 10), forward(new MLPBlockFactory(MLPBlockFactory.ActivationType.SIGMOID, 8), new long[]{1, 28, 28}, 10));
        assertEquals(new Shape(2, 3), forward(new MLPBlockFactory(MLPBlockFactory.ActivationType.TANH), new long[]{5}, 3));
        assertEquals(new Shape(2, 10), forward(new CNNBlockFactory(true, 4, 8), new long[]{1, 28, 28}, 10));
        assertEquals(new Shape(2, 7), forward(new CNNBlockFactory(new int[]{4}, 5, false, 0, 0.5f), new long[]{3, 8, 8}, 7));
        assertEquals(new Shape(2, 10), forward(new ResNetBlockFactory(20), new long[]{1, 28, 28}, 10));
        assertEquals(new Shape(2, 10), forward(new MobileNetV2BlockFactory(), new long[]{3, 32, 32}, 10));
    }

    @Test
    public void tooSmallImagesAreRejectedWithTheReason() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new CNNBlockFactory(true, 4, 8, 16).newBlock(new long[]{1, 6, 6}, 10));
        assertTrue(e.getMessage().contains("too small for 3 pooling stages"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new ResNetBlockFactory(18).newBlock(new long[]{1, 28, 28}, 10));
        assertTrue(e.getMessage().contains("numLayers=18") && e.getMessage().contains("[20, 32, 44, 56, 110]"), e.getMessage());
    }
}

package io.github.randomgradient.djl.block;

import ai.djl.basicmodelzoo.cv.classification.ResNetV1;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import com.oracle.labs.mlrg.olcut.config.Config;
import com.oracle.labs.mlrg.olcut.config.PropertyException;
import com.oracle.labs.mlrg.olcut.provenance.ConfiguredObjectProvenance;
import com.oracle.labs.mlrg.olcut.provenance.impl.ConfiguredObjectProvenanceImpl;

import java.util.Arrays;

/**
 * DJL model-zoo ResNet (v1) for images {@code [batch, C, H, W]}. Images of height at most 32 get
 * DJL's CIFAR-style 3x3 stem, larger ones the ImageNet 7x7 stem with max pooling.
 * <pre>
 * Reference: K. He, X. Zhang, S. Ren, J. Sun, "Deep Residual Learning for Image Recognition",
 * CVPR 2016. The RG paper trains ResNets on CIFAR with SGD, lr 0.1, momentum 0.5 (section 5.1).
 * </pre>
 */
public final class ResNetBlockFactory implements BlockFactory {
    private static final long serialVersionUID = 1L;

    @Config(description = "ResNet depth: 18, 34 or 50.")
    private int numLayers = 18;

    @Config(description = "Batch-normalisation momentum (DJL default 0.9).")
    private float batchNormMomentum = 0.9f;

    /**
     * For OLCUT.
     */
    private ResNetBlockFactory() {}

    /**
     * Creates a ResNet factory.
     * @param numLayers 18, 34 or 50.
     * @throws IllegalArgumentException If {@code numLayers} is another value.
     */
    public ResNetBlockFactory(int numLayers) {
        this.numLayers = numLayers;
        try {
            postConfig();
        } catch (PropertyException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    /**
     * Validates the configuration.
     * @throws PropertyException If {@code numLayers} is not 18, 34 or 50, or the momentum is outside (0, 1).
     */
    @Override
    public void postConfig() {
        if (numLayers != 18 && numLayers != 34 && numLayers != 50) {
            throw new PropertyException("", "numLayers", "numLayers must be 18, 34 or 50, found " + numLayers);
        }
        if (!(batchNormMomentum > 0 && batchNormMomentum < 1)) {
            throw new PropertyException("", "batchNormMomentum", "batchNormMomentum must be in (0, 1), found " + batchNormMomentum);
        }
    }

    @Override
    public Block newBlock(long[] exampleShape, int numOutputs) {
        if (exampleShape.length != 3) {
            throw new IllegalArgumentException("ResNetBlockFactory needs image inputs [C, H, W], found shape "
                    + Arrays.toString(exampleShape) + ": use an ImageConverter as featureConverter");
        }
        return ResNetV1.builder()
                .setImageShape(new Shape(exampleShape))
                .setNumLayers(numLayers)
                .setOutSize(numOutputs)
                .optBatchNormMomentum(batchNormMomentum)
                .build();
    }

    @Override
    public String toString() {
        return "ResNetBlockFactory(numLayers=" + numLayers + ",batchNormMomentum=" + batchNormMomentum + ")";
    }

    @Override
    public ConfiguredObjectProvenance getProvenance() {
        return new ConfiguredObjectProvenanceImpl(this, "BlockFactory");
    }
}

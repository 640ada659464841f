package io.github.randomgradient.djl.block;

import ai.djl.basicmodelzoo.cv.classification.MobileNetV2;
import ai.djl.nn.Block;
import com.oracle.labs.mlrg.olcut.config.Config;
import com.oracle.labs.mlrg.olcut.config.PropertyException;
import com.oracle.labs.mlrg.olcut.provenance.ConfiguredObjectProvenance;
import com.oracle.labs.mlrg.olcut.provenance.impl.ConfiguredObjectProvenanceImpl;

import java.util.Arrays;

/**
 * DJL model-zoo MobileNetV2 for images {@code [batch, C, H, W]} with DJL's default filters,
 * repeats and strides (total stride 32, so images should be at least 32x32).
 * <pre>
 * Reference: M. Sandler et al., "MobileNetV2: Inverted Residuals and Linear Bottlenecks", CVPR 2018.
 * The RG paper trains MobileNetV2 on CIFAR (section 5.1).
 * </pre>
 */
public final class MobileNetV2BlockFactory implements BlockFactory {
    private static final long serialVersionUID = 1L;

    @Config(description = "Batch-normalisation momentum (DJL default 0.9).")
    private float batchNormMomentum = 0.9f;

    /**
     * Creates a MobileNetV2 factory with DJL's defaults.
     */
    public MobileNetV2BlockFactory() {}

    /**
     * Validates the configuration.
     * @throws PropertyException If the momentum is outside (0, 1).
     */
    @Override
    public void postConfig() {
        if (!(batchNormMomentum > 0 && batchNormMomentum < 1)) {
            throw new PropertyException("", "batchNormMomentum", "batchNormMomentum must be in (0, 1), found " + batchNormMomentum);
        }
    }

    /** DJL's MobileNetV2 downsamples by 32: a stride-2 stem and four stride-2 bottleneck stages. */
    private static final long DOWNSAMPLING = 32;

    /**
     * {@inheritDoc}
     * <p>
     * An image smaller than the network's 32x downsampling would leave its later stages maps of
     * padding only (an 8x8 image diverges with non-finite gradients in the first step; smaller ones
     * train on nothing); PyTorch does not refuse them, so this does.
     * @throws IllegalArgumentException If the input is not an image, or is smaller than 32x32.
     */
    @Override
    public void checkFits(long[] exampleShape) {
        if (exampleShape.length != 3) {
            throw new IllegalArgumentException("MobileNetV2BlockFactory needs image inputs [C, H, W], found shape "
                    + Arrays.toString(exampleShape) + ": use an ImageConverter as featureConverter");
        }
        if (exampleShape[1] < DOWNSAMPLING || exampleShape[2] < DOWNSAMPLING) {
            throw new IllegalArgumentException("images of " + exampleShape[1] + "x" + exampleShape[2] + " are smaller than the "
                    + DOWNSAMPLING + "x downsampling of DJL's MobileNetV2: its later stages would see only padding; use images of at "
                    + "least " + DOWNSAMPLING + "x" + DOWNSAMPLING + " or another blockFactory");
        }
    }

    /**
     * {@inheritDoc}
     * @throws IllegalArgumentException If the input does not fit (see {@link #checkFits}).
     */
    @Override
    public Block newBlock(long[] exampleShape, int numOutputs) {
        checkFits(exampleShape);
        return MobileNetV2.builder().setOutSize(numOutputs).optBatchNormMomentum(batchNormMomentum).build();
    }

    @Override
    public String toString() {
        return "MobileNetV2BlockFactory(batchNormMomentum=" + batchNormMomentum + ")";
    }

    @Override
    public ConfiguredObjectProvenance getProvenance() {
        return new ConfiguredObjectProvenanceImpl(this, "BlockFactory");
    }
}

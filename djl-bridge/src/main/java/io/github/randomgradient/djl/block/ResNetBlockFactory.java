package io.github.randomgradient.djl.block;

import ai.djl.basicmodelzoo.cv.classification.ResNetV1;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import com.oracle.labs.mlrg.olcut.config.Config;
import com.oracle.labs.mlrg.olcut.config.PropertyException;
import com.oracle.labs.mlrg.olcut.provenance.ConfiguredObjectProvenance;
import io.github.randomgradient.config.ConfigChecks;
import com.oracle.labs.mlrg.olcut.provenance.impl.ConfiguredObjectProvenanceImpl;

import java.util.Arrays;
import java.util.List;

/**
 * DJL model-zoo ResNet (v1) for images {@code [batch, C, H, W]}.
 * <p>
 * DJL builds two families, chosen by image height: for images taller than 28 pixels the ImageNet
 * ResNets of depth 18, 34, 50, 101 or 152 (section 3.3 of the paper); for images of at most 28
 * pixels (e.g. Fashion-MNIST) the CIFAR ResNets of depth {@code 6n + 2}: 20, 32, 44, 56 or 110
 * (section 4.2).
 * <pre>
 * Reference: K. He, X. Zhang, S. Ren, J. Sun, "Deep Residual Learning for Image Recognition",
 * CVPR 2016. The RG paper trains ResNets on CIFAR with SGD, lr 0.1, momentum 0.5 (section 5.1).
 * </pre>
 */
public final class ResNetBlockFactory implements BlockFactory {
    private static final long serialVersionUID = 1L;

    /** Depths DJL builds for images taller than 28 pixels (He et al. 2016, section 3.3). */
    public static final List<Integer> IMAGENET_DEPTHS = List.of(18, 34, 50, 101, 152);

    /** Depths DJL builds for images of at most 28 pixels: 6n + 2 (He et al. 2016, section 4.2). */
    public static final List<Integer> CIFAR_DEPTHS = List.of(20, 32, 44, 56, 110);

    @Config(description = "ResNet depth: 18, 34, 50, 101 or 152 for images taller than 28 px; 20, 32, 44, 56 or 110 for smaller images.")
    private int numLayers = 18;

    @Config(description = "Batch-normalisation momentum (DJL default 0.9).")
    private float batchNormMomentum = 0.9f;

    /**
     * For OLCUT.
     */
    private ResNetBlockFactory() {}

    /**
     * Creates a ResNet factory.
     * @param numLayers 18, 34, 50, 101 or 152 (images taller than 28 px); 20, 32, 44, 56 or 110 (smaller images).
     * @throws IllegalArgumentException If {@code numLayers} is another value.
     */
    public ResNetBlockFactory(int numLayers) {
        this.numLayers = numLayers;
        ConfigChecks.validateForJavaApi(this);
    }

    /**
     * Validates the configuration.
     * @throws PropertyException If {@code numLayers} is not a supported depth, or the momentum is outside (0, 1).
     */
    @Override
    public void postConfig() {
        if (!IMAGENET_DEPTHS.contains(numLayers) && !CIFAR_DEPTHS.contains(numLayers)) {
            throw new PropertyException("", "numLayers", "numLayers must be one of " + IMAGENET_DEPTHS
                    + " (images taller than 28 px) or " + CIFAR_DEPTHS + " (smaller images), found " + numLayers);
        }
        if (!(batchNormMomentum > 0 && batchNormMomentum < 1)) {
            throw new PropertyException("", "batchNormMomentum", "batchNormMomentum must be in (0, 1), found " + batchNormMomentum);
        }
    }

    /**
     * {@inheritDoc}
     * <p>
     * DJL builds a CIFAR ResNet for images of at most 28 px (two stride-2 stages: it downsamples by
     * 4) and an ImageNet ResNet above (stride-2 stem, pooling and three stride-2 stages: by 32). An
     * image smaller than that factor would be downsampled to maps of padding only; PyTorch would
     * still train on it without an error, so it is refused here.
     * @throws IllegalArgumentException If the input is not an image, {@code numLayers} is not a
     *                                  depth DJL builds for this image height, or the image is
     *                                  smaller than the network's downsampling factor.
     */
    @Override
    public void checkFits(long[] exampleShape) {
        if (exampleShape.length != 3) {
            throw new IllegalArgumentException("ResNetBlockFactory needs image inputs [C, H, W], found shape "
                    + Arrays.toString(exampleShape) + ": use an ImageConverter as featureConverter");
        }
        boolean small = exampleShape[1] <= 28;
        if (small && !CIFAR_DEPTHS.contains(numLayers)) {
            throw new IllegalArgumentException("numLayers=" + numLayers + ": for images of height " + exampleShape[1]
                    + " (at most 28 px) DJL builds CIFAR ResNets of depth " + CIFAR_DEPTHS + "; use one of those");
        }
        if (!small && !IMAGENET_DEPTHS.contains(numLayers)) {
            throw new IllegalArgumentException("numLayers=" + numLayers + ": for images of height " + exampleShape[1]
                    + " (over 28 px) DJL builds ImageNet ResNets of depth " + IMAGENET_DEPTHS + "; use one of those");
        }
        long factor = small ? 4 : 32;
        if (exampleShape[1] < factor || exampleShape[2] < factor) {
            throw new IllegalArgumentException("numLayers=" + numLayers + ": images of " + exampleShape[1] + "x" + exampleShape[2]
                    + " are smaller than the " + factor + "x downsampling of DJL's " + (small ? "CIFAR" : "ImageNet")
                    + " ResNet: its later stages would see only padding; use images of at least " + factor + "x" + factor);
        }
    }

    /**
     * {@inheritDoc}
     * @throws IllegalArgumentException If the input does not fit (see {@link #checkFits}).
     */
    @Override
    public Block newBlock(long[] exampleShape, int numOutputs) {
        checkFits(exampleShape);
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

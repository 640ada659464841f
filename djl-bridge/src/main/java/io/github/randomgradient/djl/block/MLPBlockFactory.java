package io.github.randomgradient.djl.block;

import ai.djl.basicmodelzoo.basic.Mlp;
import ai.djl.ndarray.NDList;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import com.oracle.labs.mlrg.olcut.config.Config;
import com.oracle.labs.mlrg.olcut.config.PropertyException;
import com.oracle.labs.mlrg.olcut.provenance.ConfiguredObjectProvenance;
import io.github.randomgradient.config.ConfigChecks;
import com.oracle.labs.mlrg.olcut.provenance.impl.ConfiguredObjectProvenanceImpl;

import java.util.Arrays;
import java.util.function.Function;

/**
 * A multi-layer perceptron built with DJL's model-zoo {@link Mlp}: the input is flattened to
 * {@code [batch, prod(exampleShape)]}, then fully connected layers of {@code hiddenSizes} units
 * with {@code activation}, then a linear output layer of {@code numOutputs} units.
 */
public final class MLPBlockFactory implements BlockFactory {
    private static final long serialVersionUID = 1L;

    /**
     * Hidden-layer activation functions (DJL {@link Activation}).
     */
    public enum ActivationType {
        /** max(0, x). */
        RELU,
        /** tanh(x). */
        TANH,
        /** 1 / (1 + exp(-x)). */
        SIGMOID,
        /** Gaussian error linear unit. */
        GELU
    }

    @Config(description = "Units of each hidden layer, input to output. Each must be >= 1; may be empty (a linear model).")
    private int[] hiddenSizes = {128};

    @Config(description = "Hidden-layer activation: RELU, TANH, SIGMOID or GELU.")
    private ActivationType activation = ActivationType.RELU;

    /**
     * For OLCUT.
     */
    private MLPBlockFactory() {}

    /**
     * Creates an MLP factory.
     * @param activation The hidden-layer activation.
     * @param hiddenSizes Units of each hidden layer; each at least 1.
     * @throws IllegalArgumentException If a size is below 1.
     */
    public MLPBlockFactory(ActivationType activation, int... hiddenSizes) {
        this.activation = activation;
        this.hiddenSizes = hiddenSizes.clone();
        ConfigChecks.validateForJavaApi(this);
    }

    /**
     * Validates the configuration.
     * @throws PropertyException If a hidden size is below 1 or the activation is missing.
     */
    @Override
    public void postConfig() {
        for (int h : hiddenSizes) {
            if (h < 1) {
                throw new PropertyException("", "hiddenSizes", "hiddenSizes must all be >= 1, found " + Arrays.toString(hiddenSizes));
            }
        }
        if (activation == null) {
            throw new PropertyException("", "activation", "activation must be one of " + Arrays.toString(ActivationType.values()));
        }
    }

    private static Function<NDList, NDList> function(ActivationType type) {
        switch (type) {
            case TANH:
                return Activation::tanh;
            case SIGMOID:
                return Activation::sigmoid;
            case GELU:
                return Activation::gelu;
            case RELU:
            default:
                return Activation::relu;
        }
    }

    @Override
    public Block newBlock(long[] exampleShape, int numOutputs) {
        long input = 1;
        for (long d : exampleShape) {
            input *= d;
        }
        if (input < 1 || input > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("MLP input size must be in [1, 2^31), found " + input + " from shape " + Arrays.toString(exampleShape));
        }
        return new Mlp((int) input, numOutputs, hiddenSizes.clone(), function(activation));
    }

    @Override
    public String toString() {
        return "MLPBlockFactory(hiddenSizes=" + Arrays.toString(hiddenSizes) + ",activation=" + activation + ")";
    }

    @Override
    public ConfiguredObjectProvenance getProvenance() {
        return new ConfiguredObjectProvenanceImpl(this, "BlockFactory");
    }
}

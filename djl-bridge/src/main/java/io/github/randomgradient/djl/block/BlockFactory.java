package io.github.randomgradient.djl.block;

import ai.djl.nn.Block;
import com.oracle.labs.mlrg.olcut.config.Configurable;
import com.oracle.labs.mlrg.olcut.provenance.ConfiguredObjectProvenance;
import com.oracle.labs.mlrg.olcut.provenance.Provenancable;

import java.io.Serializable;

/**
 * Builds a fresh, uninitialised DJL network.
 * <p>
 * The factory's configuration (not the block) is what a trained model stores, so the same
 * factory must always build the same architecture for the same arguments.
 */
public interface BlockFactory extends Configurable, Provenancable<ConfiguredObjectProvenance>, Serializable {

    /**
     * Builds a new network.
     * @param exampleShape The shape of one input example without the batch dimension, e.g.
     *                     {@code [784]} or {@code [1, 28, 28]}.
     * @param numOutputs The width of the output, e.g. the number of classes.
     * @return A block mapping {@code [batch, ...exampleShape]} to {@code [batch, numOutputs]}.
     * @throws IllegalArgumentException If the factory cannot handle this input shape; the message says why.
     */
    Block newBlock(long[] exampleShape, int numOutputs);

    /**
     * Checks, without building anything or starting an engine, that the network's geometry fits
     * inputs of this shape (e.g. a convolution kernel no larger than the image). Trainers call it
     * before any training; {@link #newBlock} checks the same.
     * @param exampleShape The shape of one input example without the batch dimension.
     * @throws IllegalArgumentException If it does not fit; the message names the field and its value.
     */
    default void checkFits(long[] exampleShape) {
    }
}

/**
 * Network definitions: each {@link io.github.randomgradient.djl.block.BlockFactory} is an OLCUT
 * {@code Configurable} that builds a fresh DJL {@link ai.djl.nn.Block} mapping inputs
 * {@code [batch, ...exampleShape]} to outputs {@code [batch, numOutputs]} (logits for
 * classification). Models store the factory's configuration, not the block, so a saved model can
 * rebuild its network anywhere.
 */
package io.github.randomgradient.djl.block;

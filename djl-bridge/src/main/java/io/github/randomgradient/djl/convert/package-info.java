/**
 * Converters between Tribuo's sparse, named {@link org.tribuo.Example}s and DJL's dense tensors.
 * <p>
 * A {@link io.github.randomgradient.djl.convert.FeatureConverter} turns examples into a float
 * input tensor ({@code [batch, numFeatures]} or {@code [batch, C, H, W]}); an
 * {@link io.github.randomgradient.djl.convert.OutputConverter} turns outputs into targets, names
 * the DJL loss, and turns network outputs (logits) back into Tribuo
 * {@link org.tribuo.Prediction}s. Every converter is an OLCUT {@code Configurable} recorded in the
 * trainer's provenance.
 */
package io.github.randomgradient.djl.convert;

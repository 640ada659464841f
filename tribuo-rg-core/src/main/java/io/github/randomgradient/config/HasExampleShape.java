package io.github.randomgradient.config;

/**
 * A model whose input has a fixed shape, so that data of another shape can be refused before it
 * is scored rather than scored silently (a 28x28 model given 20x20 images would place their 400
 * pixels into its 784-pixel input without any error).
 * <p>
 * The plugin knows no deep-learning engine; the DJL bridge's {@code DJLModel} implements this.
 */
public interface HasExampleShape {

    /**
     * The shape of one input example, without the batch dimension.
     * @return E.g. {@code [1, 28, 28]} for grey 28x28 images, or {@code [784]} for a flat input.
     */
    long[] getExampleShape();
}

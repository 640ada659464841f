package io.github.randomgradient.djl.convert;

import com.oracle.labs.mlrg.olcut.config.Configurable;
import com.oracle.labs.mlrg.olcut.provenance.ConfiguredObjectProvenance;
import com.oracle.labs.mlrg.olcut.provenance.Provenancable;
import io.github.randomgradient.images.DenseImageDataset;
import org.tribuo.Example;
import org.tribuo.ImmutableFeatureMap;

import java.io.Serializable;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Converts Tribuo examples into the dense float input of a DJL network.
 * <p>
 * The conversion is planned once per feature domain ({@link #plan(ImmutableFeatureMap)}) and then
 * applied to any number of examples, so a dataset is converted once, not once per mini-batch.
 */
public interface FeatureConverter extends Configurable, Provenancable<ConfiguredObjectProvenance>, Serializable {

    /**
     * The shape of one example's input tensor, without the batch dimension, e.g. {@code [784]} or
     * {@code [1, 28, 28]}.
     * @param featureMap The feature domain of the training data.
     * @return The per-example shape.
     * @throws IllegalArgumentException If the feature domain cannot be converted (the message names the feature or field).
     */
    long[] exampleShape(ImmutableFeatureMap featureMap);

    /**
     * Plans the conversion of examples over a feature domain.
     * @param featureMap The feature domain (of the training data, later of the model).
     * @return A reusable plan.
     * @throws IllegalArgumentException If a feature cannot be placed; the message names the feature.
     */
    Plan plan(ImmutableFeatureMap featureMap);

    /**
     * Checks that data with feature domain {@code dataFeatures} (held-out data, or data to score) has
     * the input shape this converter reads, by the rule {@link #exampleShape} applies to the training
     * data. It is called before the data is converted: a converter whose features can be told apart
     * only as a whole (an {@link ImageConverter}'s pixel names) must see the whole domain, because a
     * single example of a smaller image looks like an image with some zero pixels left out.
     * <p>
     * The default accepts any domain: a converter that places features by name treats a feature the
     * data lacks as 0 and ignores one the model does not know, as Tribuo's models do.
     * @param dataFeatures The feature domain of the data (e.g. {@code Dataset.getFeatureIDMap()}).
     * @throws IllegalArgumentException If the data's examples cannot have the shape of this converter's
     *                                  input; the message gives the expected and the found shape.
     */
    default void checkData(ImmutableFeatureMap dataFeatures) {}

    /**
     * {@link #exampleShape(ImmutableFeatureMap)} for a dataset read from a file, which may tell more
     * about the examples than their feature map (e.g. an IDX file's header gives the image size, so
     * pixels left out because they are 0 in every image need not be named).
     * @param featureMap The data's feature domain.
     * @param sourceFile The file the data was read from, if its provenance records one.
     * @return The shape of one converted example.
     * @throws IllegalArgumentException If the data does not fit this converter.
     */
    default long[] exampleShape(ImmutableFeatureMap featureMap, Optional<Path> sourceFile) {
        return exampleShape(featureMap);
    }

    /**
     * {@link #checkData(ImmutableFeatureMap)} for a dataset read from a file (see
     * {@link #exampleShape(ImmutableFeatureMap, Optional)}).
     * @param dataFeatures The data's feature domain.
     * @param sourceFile The file the data was read from, if its provenance records one.
     * @throws IllegalArgumentException If the data does not fit this converter.
     */
    default void checkData(ImmutableFeatureMap dataFeatures, Optional<Path> sourceFile) {
        checkData(dataFeatures);
    }

    /**
     * A conversion planned for one feature domain.
     */
    interface Plan {
        /**
         * The number of floats per example (the product of {@link #exampleShape}).
         * @return The example size.
         */
        int exampleSize();

        /**
         * Writes examples densely into {@code out}, row-major, example {@code i} starting at
         * {@code i * exampleSize()}. Features unknown to the domain are ignored (as Tribuo models do),
         * unless the converter can tell they do not belong to its input (an {@link ImageConverter} refuses a
         * feature that is not one of its image's pixels).
         * @param examples The examples.
         * @param out The destination, of length at least {@code examples.size() * exampleSize()}.
         * @return The number of known (used) features of each example, for {@link org.tribuo.Prediction}.
         * @throws IllegalArgumentException If an example does not fit the input (see the converter); the message names the feature.
         */
        int[] fill(List<? extends Example<?>> examples, float[] out);

        /**
         * The fast path for images held as one pixel array: writes every example of {@code images}
         * into {@code out} as {@link #fill} would write the examples the dataset yields (bitwise the
         * same floats), reading the pixel array directly, or returns false to have the caller use
         * {@link #fill}. The default returns false.
         * @param images The images.
         * @param out The destination, of length at least {@code images.size() * exampleSize()}.
         * @return True if {@code out} was written.
         */
        default boolean fillImages(DenseImageDataset<?> images, float[] out) {
            return false;
        }
    }
}

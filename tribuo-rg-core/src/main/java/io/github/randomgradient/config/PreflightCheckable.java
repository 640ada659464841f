package io.github.randomgradient.config;

import org.tribuo.ImmutableFeatureMap;
import org.tribuo.ImmutableOutputInfo;
import org.tribuo.Output;

/**
 * A trainer that can check, before any training, that it can train on data with a given feature
 * and output domain: that its converters accept the features and outputs, and that the device it
 * is configured for exists. The command line calls it for every trainer of an experiment before the
 * first epoch of the first run, so a wrong image size or a missing GPU costs seconds, not a run.
 * <p>
 * The plugin knows no deep-learning engine; the DJL bridge's {@code DJLTrainer} implements this.
 *
 * @param <T> The output type.
 */
public interface PreflightCheckable<T extends Output<T>> {

    /**
     * Checks that this trainer can train on data with these domains, without training.
     * @param featureMap The feature domain of the training data.
     * @param outputInfo The output domain of the training data.
     * @return The shape of one example's input, without the batch dimension: e.g. {@code [1, 28, 28]}
     *         (channels, height, width) for an image converter, {@code [784]} for a dense one.
     * @throws IllegalArgumentException If the trainer cannot train on such data or its device is
     *                                  unavailable; the message names the trainer's field
     *                                  (e.g. {@code featureConverter}, {@code device}) and the value.
     */
    long[] checkBeforeTraining(ImmutableFeatureMap featureMap, ImmutableOutputInfo<T> outputInfo);
}

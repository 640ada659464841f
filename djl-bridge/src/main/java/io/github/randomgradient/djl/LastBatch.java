package io.github.randomgradient.djl;

/**
 * What {@link DJLTrainer} does with the trailing mini-batch of an epoch when the number of
 * training examples {@code n} is not a multiple of {@code batchSize}, in the terms of PyTorch's
 * {@code DataLoader(drop_last=...)}.
 */
public enum LastBatch {
    /**
     * Keep the short trailing mini-batch ({@code drop_last=False}, PyTorch's default):
     * \( \lceil n / batchSize \rceil \) steps per epoch. Networks with batch normalisation fail on
     * a trailing mini-batch of a single example; the trainer then stops with an error naming
     * {@code lastBatch}.
     */
    KEEP,
    /**
     * Drop the short trailing mini-batch ({@code drop_last=True}):
     * \( \lfloor n / batchSize \rfloor \) steps; each epoch leaves out {@code n mod batchSize}
     * examples (different ones each epoch, as the order is reshuffled). Needs {@code n >= batchSize}.
     */
    DROP,
    /**
     * Merge the short trailing mini-batch into the one before it (the default):
     * \( \max(1, \lfloor n / batchSize \rfloor) \) steps, every example used once per epoch, and
     * the last mini-batch holds between {@code batchSize} and {@code 2 * batchSize - 1} examples
     * (all {@code n} when {@code n < batchSize}). No mini-batch has a single example unless
     * {@code n = 1}, so batch normalisation never fails on it.
     */
    MERGE
}

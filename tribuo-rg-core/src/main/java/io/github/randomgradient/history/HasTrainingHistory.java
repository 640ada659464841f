package io.github.randomgradient.history;

/**
 * A model that carries the history of the run that trained it.
 */
public interface HasTrainingHistory {

    /**
     * The per-epoch history of the training run.
     * @return The history.
     */
    TrainingHistory getTrainingHistory();
}

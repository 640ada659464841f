package io.github.randomgradient.cli;

import com.oracle.labs.mlrg.olcut.config.Config;
import com.oracle.labs.mlrg.olcut.config.Configurable;
import com.oracle.labs.mlrg.olcut.config.PropertyException;
import io.github.randomgradient.config.ConfigChecks;
import org.tribuo.ConfigurableDataSource;
import org.tribuo.classification.Label;

import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * An RG-vs-baseline experiment, declared in an OLCUT config: which trainers (by component name) to
 * compare, on which data, for which seeds and epochs, and where to write the runs and the report.
 * <p>
 * Every trainer is trained once per seed; its {@code seed} (and that of any seeded component it
 * uses, such as a {@code RandomGradientOptimiser}) and, when {@code epochs > 0}, its {@code epochs}
 * are overridden per run, so runs of different trainers with the same seed differ only in their
 * configuration.
 */
public final class Experiment implements Configurable {

    @Config(mandatory = true, description = "Component names of the trainers to run, in report order.")
    private List<String> trainers = new ArrayList<>();

    @Config(description = "Seeds; each trainer runs once per seed. At least 2 are needed for a verdict.")
    private long[] seeds = {1L};

    @Config(description = "Epochs per run, overriding each trainer's own; 0 keeps the trainers' values.")
    private int epochs = 0;

    @Config(mandatory = true, description = "Training data.")
    private ConfigurableDataSource<Label> trainSource;

    @Config(mandatory = true, description = "Test data, evaluated after every epoch and at the end.")
    private ConfigurableDataSource<Label> testSource;

    @Config(description = "Directory for runs/ and report/.")
    private Path outputDirectory = Paths.get("runs", "experiment");

    @Config(description = "Comparisons 'candidate vs reference'; empty compares every RG trainer with every non-RG trainer.")
    private List<String> comparisons = new ArrayList<>();

    @Config(description = "Test accuracy at which a run counts as converged, for 'epochs to target'.")
    private double targetAccuracy = 0.80;

    @Config(description = "Title of the report.")
    private String title = "Random Gradient vs baseline";

    /**
     * For OLCUT.
     */
    private Experiment() {}

    /** Trainer names are used as run directory names: no path separators, no leading dot. */
    private static final Pattern RUN_NAME = Pattern.compile("[A-Za-z0-9_-][A-Za-z0-9._-]*");

    /**
     * Validates the configuration.
     * @throws PropertyException If no trainer is listed, a seed repeats, epochs is negative, the
     *                           target accuracy is outside [0, 1] or a comparison is malformed.
     */
    @Override
    public void postConfig() {
        if (trainers.isEmpty()) {
            throw new PropertyException("", "trainers", "trainers must list at least one trainer component name");
        }
        Set<String> seen = new HashSet<>();
        for (String t : trainers) {
            if (!seen.add(t)) {
                throw new PropertyException("", "trainers", "trainers must be distinct, found '" + t + "' twice");
            }
            if (!RUN_NAME.matcher(t).matches()) {
                throw new PropertyException("", "trainers", "trainer names become directory names, so they may hold only letters, "
                        + "digits, '.', '_' and '-' and must not start with '.', found '" + t + "'");
            }
        }
        ConfigChecks.requireDistinctSeeds(seeds);
        if (outputDirectory.toString().isBlank()) {
            throw new PropertyException("", "outputDirectory", "outputDirectory is empty: give a directory ('.' for the working "
                    + "directory), or leave the property out for " + Paths.get("runs", "experiment"));
        }
        if (epochs < 0) {
            throw new PropertyException("", "epochs", "epochs must be >= 0 (0 keeps the trainers' own), found " + epochs);
        }
        if (!(targetAccuracy >= 0 && targetAccuracy <= 1)) {
            throw new PropertyException("", "targetAccuracy", "targetAccuracy must be in [0, 1], found " + targetAccuracy);
        }
        for (String c : comparisons) {
            String[] parts = c.split("\\s+vs\\s+");
            if (parts.length != 2 || !trainers.contains(parts[0].trim()) || !trainers.contains(parts[1].trim())) {
                throw new PropertyException("", "comparisons", "comparisons must read 'candidate vs reference' with both listed in trainers "
                        + trainers + ", found '" + c + "'");
            }
            if (parts[0].trim().equals(parts[1].trim())) {
                throw new PropertyException("", "comparisons", "a comparison needs two different trainers, found '" + c + "'");
            }
        }
    }

    /** @return The trainer component names. */
    public List<String> getTrainers() {
        return List.copyOf(trainers);
    }

    /** @return The seeds. */
    public long[] getSeeds() {
        return seeds.clone();
    }

    /** @return The epochs override, 0 for none. */
    public int getEpochs() {
        return epochs;
    }

    /** @return The training data source. */
    public ConfigurableDataSource<Label> getTrainSource() {
        return trainSource;
    }

    /** @return The test data source. */
    public ConfigurableDataSource<Label> getTestSource() {
        return testSource;
    }

    /** @return The output directory. */
    public Path getOutputDirectory() {
        return outputDirectory;
    }

    /** @return The comparisons as (candidate, reference) pairs. */
    public List<String[]> getComparisons() {
        List<String[]> out = new ArrayList<>();
        for (String c : comparisons) {
            String[] parts = c.split("\\s+vs\\s+");
            out.add(new String[]{parts[0].trim(), parts[1].trim()});
        }
        return out;
    }

    /** @return The target accuracy for "epochs to target". */
    public double getTargetAccuracy() {
        return targetAccuracy;
    }

    /** @return The report title. */
    public String getTitle() {
        return title;
    }
}

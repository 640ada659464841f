package io.github.randomgradient.sweep;

import com.oracle.labs.mlrg.olcut.config.ConfigurationData;
import com.oracle.labs.mlrg.olcut.config.ConfigurationManager;
import com.oracle.labs.mlrg.olcut.config.property.Property;
import com.oracle.labs.mlrg.olcut.config.property.SimpleProperty;
import io.github.randomgradient.data.IdxDirectory;
import io.github.randomgradient.data.DataException;
import io.github.randomgradient.data.DataLoading;
import io.github.randomgradient.data.IdxFile;
import io.github.randomgradient.images.DenseImageDataset;
import io.github.randomgradient.run.SplitFile;
import org.tribuo.DataSource;
import org.tribuo.Dataset;
import org.tribuo.Example;
import org.tribuo.classification.Label;
import org.tribuo.dataset.DatasetView;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.TreeMap;

/**
 * The data of a sweep: the training data split into a training part and a seeded, stratified
 * validation part (used only to tune each arm's learning rate and momentum), and the test data.
 * <p>
 * The split takes {@code round(validationFraction × n_c)} examples of every class \( c \), chosen by
 * shuffling the class's indices with {@code java.util.Random(validationSeed)}, classes in label
 * order, so every JVM and every engine builds the same split.
 *
 * <p>
 * The split is stored once per sweep ({@link SplitFile}, {@code splits/<sha256>.json} in the sweep's
 * output): the two views do not record their indices in their provenance, their tags name the file.
 *
 * @param train The training part (Tribuo {@link DatasetView}, tagged {@code sweep-train split=splits/<sha256>.json}),
 *              or all the training data for a plan that tunes nothing (an experiment, {@link ExperimentPlan#loadData()}).
 * @param validation The validation part (tagged {@code sweep-validation split=...}); null for a plan that tunes nothing.
 * @param test The test data.
 * @param split The split file, written into the sweep's output before a run is published; null without a validation part.
 */
public record SweepData(Dataset<Label> train, Dataset<Label> validation, Dataset<Label> test, SplitFile split) {

    /**
     * The data of a plan that tunes nothing (an experiment): no validation part, no split file.
     * @param train The training data.
     * @param validation Null.
     * @param test The test data.
     */
    public SweepData(Dataset<Label> train, Dataset<Label> validation, Dataset<Label> test) {
        this(train, validation, test, null);
    }


    /**
     * Loads a plan's data sources, by the loading policy of every command ({@link DataLoading}), and
     * splits the training data.
     * @param plan The plan.
     * @return The data.
     * @throws SweepException If a source cannot be loaded, or the validation split would leave a class
     *                        without validation or without training images; the message names the
     *                        data, its file and the sizes.
     */
    @SuppressWarnings("unchecked")
    public static SweepData load(SweepPlan plan) {
        Sweep sweep = plan.sweep();
        Dataset<Label> all;
        Dataset<Label> test;
        String trainRole = "training data '" + sweep.getTrainSource() + "'";
        Optional<IdxFile> trainImages;
        try {
            DataSource<Label> trainSource = (DataSource<Label>) plan.configurationManager().lookup(sweep.getTrainSource());
            trainImages = DataLoading.idxImages(trainSource, trainRole);
            all = DataLoading.load(trainSource, trainRole, trainImages);
            String testRole = "test data '" + sweep.getTestSource() + "'";
            DataSource<Label> testSource = (DataSource<Label>) plan.configurationManager().lookup(sweep.getTestSource());
            test = DataLoading.load(testSource, testRole, DataLoading.idxImages(testSource, testRole));
        } catch (DataException e) {
            throw new SweepException(e.getMessage(), e);
        } catch (RuntimeException e) {
            throw new SweepException("could not load the data of sweep '" + plan.sweepName() + "': " + e.getMessage(), e);
        }
        int[][] split = stratifiedSplit(all, sweep.getValidationFraction(), sweep.getValidationSeed());
        checkSplit(all, split, sweep.getValidationFraction(), plan.sweepName(),
                trainRole + trainImages.map(f -> " " + f.describe()).orElse(""));
        SplitFile file = SplitFile.of(split[0], split[1], sweep.getValidationFraction(), sweep.getValidationSeed());
        return new SweepData(view(all, split[0], file.tag("sweep-train")), view(all, split[1], file.tag("sweep-validation")), test, file);
    }

    /**
     * A view of some examples that does not record its indices (the tag names the split file): Tribuo's
     * {@link DatasetView}, or for images held as one pixel array a {@link DenseImageDataset#view} over the
     * same pixels, with the provenance of that {@link DatasetView}.
     */
    private static Dataset<Label> view(Dataset<Label> all, int[] indices, String tag) {
        if (all instanceof DenseImageDataset<Label> images) {
            return images.view(indices, tag, false);
        }
        DatasetView<Label> view = new DatasetView<>(all, indices, tag);
        view.setStoreIndices(false);
        return view;
    }

    /**
     * Refuses a split that holds out no image of some class (the sweep tunes on validation accuracy,
     * and an empty split would fail every run after training) or leaves a class no training image.
     * @param all The training data.
     * @param split {training indices, held-out indices}.
     * @param fraction The validation fraction.
     * @param sweepName The sweep's name.
     * @param data The training data, named for messages.
     * @throws SweepException If a class has no validation image or no training image; the message
     *                        names the data, the classes and their sizes, and the smallest class size that works.
     */
    static void checkSplit(Dataset<Label> all, int[][] split, double fraction, String sweepName, String data) {
        Map<String, int[]> sizes = new TreeMap<>();   // label -> {training, validation}
        for (int i : split[0]) {
            sizes.computeIfAbsent(all.getExample(i).getOutput().getLabel(), k -> new int[2])[0]++;
        }
        for (int i : split[1]) {
            sizes.computeIfAbsent(all.getExample(i).getOutput().getLabel(), k -> new int[2])[1]++;
        }
        List<String> empty = new ArrayList<>();
        for (Map.Entry<String, int[]> e : sizes.entrySet()) {
            int[] n = e.getValue();
            if (n[0] == 0 || n[1] == 0) {
                empty.add("'" + e.getKey() + "': " + (n[0] + n[1]) + " images -> " + n[0] + " training, " + n[1] + " validation");
            }
        }
        if (!empty.isEmpty()) {
            int needed = 2;   // the smallest class size that holds out at least one image and keeps at least one (fraction <= 0.5)
            while (Math.round(fraction * needed) < 1) {
                needed++;
            }
            String listed = String.join("; ", empty.subList(0, Math.min(3, empty.size())))
                    + (empty.size() > 3 ? "; and " + (empty.size() - 3) + " more" : "");
            throw new SweepException("sweep '" + sweepName + "' holds out validationFraction=" + fraction + " of each class of the "
                    + data + ": " + split[1].length + " of its " + all.size() + " images for validation, and " + empty.size() + " of "
                    + sizes.size() + " classes get no validation or no training image (" + listed + "): each class needs at least "
                    + needed + " images at this fraction; use more training data or a larger validationFraction");
        }
    }

    /**
     * Points a sweep's IDX data sources at another directory of the four Fashion-MNIST IDX files
     * (absolute paths), through OLCUT property overrides, before the sweep is planned.
     * @param cm The configuration manager.
     * @param sweepName The sweep's component name.
     * @param dir The directory.
     * @throws SweepException If a source is not an {@code IDXDataSource}.
     */
    public static void useIdxDirectory(ConfigurationManager cm, String sweepName, IdxDirectory dir) {
        ConfigurationData sweep = cm.getConfigurationData(sweepName).orElseThrow(() -> new SweepException("no component named '" + sweepName + "'"));
        String[][] sources = {{"trainSource", "train"}, {"testSource", "t10k"}};
        for (String[] s : sources) {
            String name = sweep.get(s[0]).map(Property::toString).orElseThrow(() -> new SweepException("sweep '" + sweepName + "' has no " + s[0]));
            ConfigurationData source = cm.getConfigurationData(name).orElseThrow(() -> new SweepException(
                    "sweep '" + sweepName + "' names " + s[0] + " '" + name + "', but the config has no such component"));
            if (!DataLoading.isIdxSource(source.getClassName())) {
                throw new SweepException("--data replaces IDXDataSource sources, but " + s[0] + " '" + name + "' is a " + source.getClassName());
            }
            cm.overrideConfigurableProperty(name, "featuresPath", new SimpleProperty(dir.images(s[1]).toAbsolutePath().toString()));
            cm.overrideConfigurableProperty(name, "outputPath", new SimpleProperty(dir.labels(s[1]).toAbsolutePath().toString()));
        }
    }

    /**
     * Splits example indices by class.
     * @param data The data.
     * @param fraction The fraction of each class to hold out, in (0, 1).
     * @param seed The shuffle seed.
     * @return {training indices, held-out indices}, each ascending.
     */
    static int[][] stratifiedSplit(Dataset<Label> data, double fraction, long seed) {
        Map<String, List<Integer>> byClass = new TreeMap<>();
        int i = 0;
        for (Example<Label> e : data) {
            byClass.computeIfAbsent(e.getOutput().getLabel(), k -> new ArrayList<>()).add(i++);
        }
        Random rng = new Random(seed);
        List<Integer> train = new ArrayList<>();
        List<Integer> held = new ArrayList<>();
        for (List<Integer> indices : byClass.values()) {
            Collections.shuffle(indices, rng);
            int n = (int) Math.round(fraction * indices.size());
            held.addAll(indices.subList(0, n));
            train.addAll(indices.subList(n, indices.size()));
        }
        return new int[][]{train.stream().mapToInt(Integer::intValue).sorted().toArray(),
                held.stream().mapToInt(Integer::intValue).sorted().toArray()};
    }
}

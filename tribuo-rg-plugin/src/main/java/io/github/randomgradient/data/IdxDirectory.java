package io.github.randomgradient.data;

import io.github.randomgradient.images.IdxImageDataSource;
import org.tribuo.Dataset;
import org.tribuo.classification.Label;
import org.tribuo.classification.LabelFactory;
import org.tribuo.datasource.IDXDataSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Optional;

/**
 * A directory in the (Fashion-)MNIST layout: {@code train-images-idx3-ubyte.gz},
 * {@code train-labels-idx1-ubyte.gz}, {@code t10k-images-idx3-ubyte.gz} and
 * {@code t10k-labels-idx1-ubyte.gz}, read with Tribuo's {@link IDXDataSource}.
 */
public final class IdxDirectory {

    /** Where Debian's {@code dataset-fashion-mnist} package installs the full Fashion-MNIST. */
    public static final Path DEBIAN_FASHION_MNIST = Paths.get("/usr/share/datasets/fashion-mnist");

    /** The stratified subset bundled in the repository, relative to its root. */
    public static final Path BUNDLED = Paths.get("data", "fashion-mnist-subset");

    /** How to get the full dataset, for error messages. */
    public static final String INSTALL_HINT = "install Debian's package (apt-get install -y dataset-fashion-mnist), "
            + "or download the four files from https://github.com/zalandoresearch/fashion-mnist and pass their directory with --data DIR";

    private final Path dir;

    private IdxDirectory(Path dir) {
        this.dir = dir;
    }

    /**
     * A data directory, checked to hold the four files.
     * @param dir The directory.
     * @return The directory.
     * @throws DataException If the directory or one of the files is missing; the message names it.
     */
    public static IdxDirectory of(Path dir) {
        IdxDirectory d = new IdxDirectory(dir);
        for (String split : new String[]{"train", "t10k"}) {
            d.check(d.images(split));
            d.check(d.labels(split));
        }
        return d;
    }

    /**
     * Resolves a {@code --data} value: {@code full} (Debian's full Fashion-MNIST), {@code bundled}
     * (the subset in the repository) or a directory.
     * @param spec The value.
     * @return The checked directory.
     * @throws DataException If a file is missing.
     */
    public static IdxDirectory resolve(String spec) {
        switch (spec) {
            case "full":
                return of(DEBIAN_FASHION_MNIST);
            case "bundled":
                return of(BUNDLED);
            default:
                return of(Paths.get(spec));
        }
    }

    private void check(Path p) {
        if (Files.isDirectory(p)) {
            throw new DataException("data file " + p.toAbsolutePath() + " is a directory, expected an IDX file");
        }
        if (!Files.isRegularFile(p)) {
            throw new DataException("data file not found: " + p.toAbsolutePath() + ": " + hintFor(p));
        }
    }

    /**
     * What to do about a missing data file, for error messages: install Debian's package for the
     * full data set's location, run from the repository root for the bundled subset (a path
     * relative to the working directory), otherwise provide the four files.
     * @param missing The missing file.
     * @return The hint.
     */
    public static String hintFor(Path missing) {
        Path abs = missing.toAbsolutePath().normalize();
        if (abs.startsWith(DEBIAN_FASHION_MNIST)) {
            return INSTALL_HINT + ", or use --data bundled for the subset in the repository";
        }
        if (!missing.isAbsolute() && missing.normalize().startsWith(BUNDLED)) {
            return "the bundled subset is found relative to the working directory (" + Paths.get("").toAbsolutePath()
                    + "): run from the repository root, or pass --data with the absolute path of data/fashion-mnist-subset";
        }
        return "a data directory must hold " + FILES + " (or use --data bundled, or --data full once "
                + "Debian's dataset-fashion-mnist is installed)";
    }

    /** The four file names. */
    private static final String FILES = "train-images-idx3-ubyte.gz, train-labels-idx1-ubyte.gz, "
            + "t10k-images-idx3-ubyte.gz and t10k-labels-idx1-ubyte.gz";

    /**
     * The images file of a split.
     * @param split {@code train} or {@code t10k}.
     * @return The path.
     */
    public Path images(String split) {
        return dir.resolve(split + "-images-idx3-ubyte.gz");
    }

    /**
     * The labels file of a split.
     * @param split {@code train} or {@code t10k}.
     * @return The path.
     */
    public Path labels(String split) {
        return dir.resolve(split + "-labels-idx1-ubyte.gz");
    }

    /**
     * Checks the files of a split (see {@link DataChecks#checkIdxPair}).
     * @param split {@code train} or {@code t10k}.
     * @return The checked files.
     * @throws DataException If a file is wrong; the message names it.
     */
    public DataChecks.IdxPair check(String split) {
        return DataChecks.checkIdxPair(images(split), labels(split), role(split));
    }

    private static String role(String split) {
        return split.equals("train") ? "training data" : "test data";
    }

    /**
     * Loads a split, after checking its files, as a dataset (with the all-zero image policy of {@link DataChecks}):
     * a {@link io.github.randomgradient.images.DenseImageDataset} read by an {@link IdxImageDataSource}.
     * @param split {@code train} or {@code t10k}.
     * @return The dataset.
     * @throws DataException If the files are wrong or cannot be read; the message names the file.
     */
    public Dataset<Label> load(String split) {
        DataChecks.IdxPair pair = check(split);
        try {
            return DataChecks.load(new IdxImageDataSource<>(images(split), labels(split), new LabelFactory()), role(split), Optional.of(pair));
        } catch (IOException | IllegalArgumentException e) {
            throw new DataException("could not read " + images(split) + " / " + labels(split) + ": " + e.getMessage(), e);
        }
    }

    /**
     * The training split as a data source, its files checked.
     * @return The source.
     * @throws DataException If the files are wrong or cannot be read.
     */
    public IDXDataSource<Label> train() {
        check("train");
        return source("train");
    }

    /**
     * The test split as a data source, its files checked.
     * @return The source.
     * @throws DataException If the files are wrong or cannot be read.
     */
    public IDXDataSource<Label> test() {
        check("t10k");
        return source("t10k");
    }

    private IDXDataSource<Label> source(String split) {
        try {
            return new IDXDataSource<>(images(split), labels(split), new LabelFactory());
        } catch (IOException | RuntimeException e) {
            throw new DataException("could not read " + images(split) + " / " + labels(split) + ": " + e.getMessage(), e);
        }
    }
}

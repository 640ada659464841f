package io.github.randomgradient.cli;

import org.tribuo.classification.Label;
import org.tribuo.classification.LabelFactory;
import org.tribuo.datasource.IDXDataSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

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
    public static final String INSTALL_HINT = "install Debian's package (apt-get install -y dataset-fashion-mnist) "
            + "or pass a directory holding train-images-idx3-ubyte.gz, train-labels-idx1-ubyte.gz, "
            + "t10k-images-idx3-ubyte.gz and t10k-labels-idx1-ubyte.gz";

    private final Path dir;

    private IdxDirectory(Path dir) {
        this.dir = dir;
    }

    /**
     * A data directory, checked to hold the four files.
     * @param dir The directory.
     * @return The directory.
     * @throws CommandException If the directory or one of the files is missing; the message names it.
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
     * @throws CommandException If a file is missing.
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
        if (!Files.isRegularFile(p)) {
            String hint = dir.toAbsolutePath().normalize().equals(DEBIAN_FASHION_MNIST) ? INSTALL_HINT
                    : "the data directory must hold train-images-idx3-ubyte.gz, train-labels-idx1-ubyte.gz, "
                    + "t10k-images-idx3-ubyte.gz and t10k-labels-idx1-ubyte.gz (or use --data full or --data bundled)";
            throw new CommandException("data file not found: " + p.toAbsolutePath() + ": " + hint);
        }
    }

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
     * The training split as a data source.
     * @return The source.
     * @throws CommandException If the files cannot be read.
     */
    public IDXDataSource<Label> train() {
        return source("train");
    }

    /**
     * The test split as a data source.
     * @return The source.
     * @throws CommandException If the files cannot be read.
     */
    public IDXDataSource<Label> test() {
        return source("t10k");
    }

    private IDXDataSource<Label> source(String split) {
        try {
            return new IDXDataSource<>(images(split), labels(split), new LabelFactory());
        } catch (IOException | RuntimeException e) {
            throw new CommandException("could not read " + images(split) + " / " + labels(split) + ": " + e.getMessage(), e);
        }
    }
}

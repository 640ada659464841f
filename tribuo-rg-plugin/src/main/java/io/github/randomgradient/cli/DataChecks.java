package io.github.randomgradient.cli;

import org.tribuo.DataSource;
import org.tribuo.Dataset;
import org.tribuo.Example;
import org.tribuo.Feature;
import org.tribuo.MutableDataset;
import org.tribuo.Output;
import org.tribuo.impl.ArrayExample;

import java.nio.file.Path;
import java.util.Optional;

/**
 * Checks of the data an experiment trains and tests on, run before any training, and the loading
 * of a data source into a Tribuo dataset with messages that name the data.
 * <p>
 * <b>All-zero images.</b> An image whose pixels are all 0 is a valid image. Tribuo's
 * {@link org.tribuo.datasource.IDXDataSource} stores only non-zero pixels, so such an image
 * becomes an example without features, which Tribuo's datasets refuse ("Example had ... no
 * features"). The policy here is to <i>train and evaluate on it</i>, like any other image: it gets
 * one explicit feature, pixel 0 with value 0, which changes no pixel value the network sees (an
 * absent pixel is 0 as well). The number of such images is logged. Examples without features from
 * any other kind of data source are refused, naming the source and the example's index.
 */
public final class DataChecks {

    private DataChecks() {}

    /**
     * The checked files of one split in IDX form.
     * @param images The images file (3-D: count, height, width).
     * @param labels The labels file (1-D: count), with as many labels as there are images.
     */
    public record IdxPair(IdxFile images, IdxFile labels) {
        /** @return The image height and width, e.g. {@code [28, 28]}. */
        public int[] imageShape() {
            return images.itemShape();
        }

        /** @return The number of pixels of one image, i.e. the number of features Tribuo names ("000".."783"). */
        public int pixels() {
            int n = 1;
            for (int d : images.itemShape()) {
                n *= d;
            }
            return n;
        }

        /** @return E.g. {@code train-images-idx3-ubyte.gz (10000 images of 28x28)}. */
        public String describe() {
            return images.path().toAbsolutePath() + " (" + IdxFile.describeShape(images.shape()) + ")";
        }
    }

    /**
     * Checks an images file and a labels file of one split: each a complete IDX file with the right
     * number of dimensions (images 3-D, labels 1-D), and as many labels as images.
     * @param images The images file.
     * @param labels The labels file.
     * @param role What the split is, for messages: e.g. {@code "training data 'fashion-mnist-bundled-train'"}.
     * @return The checked pair.
     * @throws CommandException If a file is wrong or the counts differ; the message names the file(s)
     *                          and the expected and found values.
     */
    public static IdxPair checkIdxPair(Path images, Path labels, String role) {
        IdxFile img = IdxFile.check(images, IdxFile.IMAGE_DIMENSIONS, "images of the " + role);
        IdxFile lab = IdxFile.check(labels, IdxFile.LABEL_DIMENSIONS, "labels of the " + role);
        if (img.count() != lab.count()) {
            throw new CommandException("the " + role + " has " + img.count() + " images in " + images.toAbsolutePath()
                    + " but " + lab.count() + " labels in " + labels.toAbsolutePath() + ": the counts must match");
        }
        return new IdxPair(img, lab);
    }

    /**
     * Checks that the test images have the training images' shape.
     * @param train The training files.
     * @param test The test files.
     * @throws CommandException If the shapes differ; the message names both files.
     */
    public static void checkSameImageShape(IdxPair train, IdxPair test) {
        if (!java.util.Arrays.equals(train.imageShape(), test.imageShape())) {
            throw new CommandException("the test images " + test.describe() + " do not have the shape of the training images "
                    + train.describe());
        }
    }

    /**
     * Loads a data source into a dataset, applying the all-zero image policy (see the class comment).
     * @param source The data source.
     * @param role What the data is, for messages: e.g. {@code "training data 'fashion-mnist-bundled-train'"}.
     * @param idx The source's IDX files when it is an IDX source (then examples without features are all-zero images).
     * @param <T> The output type.
     * @return The dataset, with the source's provenance.
     * @throws CommandException If the source is empty or holds an example Tribuo refuses; the message names the source.
     */
    public static <T extends Output<T>> Dataset<T> load(DataSource<T> source, String role, Optional<IdxPair> idx) {
        MutableDataset<T> dataset = new MutableDataset<>(source.getProvenance(), source.getOutputFactory());
        String where = idx.map(p -> " (" + p.describe() + ")").orElse(" (" + source + ")");
        int index = 0;
        int allZero = 0;
        for (Example<T> e : source) {
            if (e.size() == 0 && idx.isPresent()) {
                Example<T> copy = new ArrayExample<>(e);
                copy.add(new Feature(pixelName(idx.get().pixels(), 0), 0.0));
                e = copy;
                allZero++;
            }
            if (!e.validateExample()) {
                throw new CommandException("example " + index + " of the " + role + where + (e.size() == 0 ? " has no features"
                        : " has duplicate or non-finite features") + ": fix or remove it");
            }
            dataset.add(e);
            index++;
        }
        if (dataset.size() == 0) {
            throw new CommandException("the " + role + " is empty" + where + ": it must hold at least one example");
        }
        if (allZero > 0) {
            java.util.logging.Logger.getLogger(DataChecks.class.getName()).info("the " + role + " holds " + allZero
                    + " all-zero image(s); they are trained and evaluated on like any other image");
        }
        return dataset;
    }

    /**
     * The name Tribuo's {@code IDXDataSource} gives a pixel: its index, zero-padded to the width of
     * the number of pixels ({@code "000"} .. {@code "783"} for 784 pixels).
     * @param pixels The number of pixels of an image.
     * @param index The pixel's index.
     * @return The feature name.
     */
    static String pixelName(int pixels, int index) {
        return String.format("%0" + Integer.toString(pixels).length() + "d", index);
    }
}

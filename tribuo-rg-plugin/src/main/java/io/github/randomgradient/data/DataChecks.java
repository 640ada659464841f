package io.github.randomgradient.data;

import io.github.randomgradient.data.DataLoading;
import io.github.randomgradient.data.IdxFile;
import org.tribuo.DataSource;
import org.tribuo.Dataset;
import org.tribuo.Output;

import java.nio.file.Path;
import java.util.Optional;

/**
 * Checks of the data an experiment or sweep trains and tests on, run before any training, and the
 * loading of a data source into a Tribuo dataset, by {@link DataLoading}'s policy (all-zero images
 * kept, every pixel of an IDX image named), with messages that name the data: the command line's
 * face of {@link io.github.randomgradient.data}, whose {@link DataException}s become
 * {@link DataException}s with the same message.
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
            return images.itemSize();
        }

        /** @return E.g. {@code train-images-idx3-ubyte.gz (10000 images of 28x28)}. */
        public String describe() {
            return images.describe();
        }
    }

    /**
     * Checks an images file and a labels file of one split: each a complete IDX file with the right
     * number of dimensions (images 3-D, labels 1-D), and as many labels as images.
     * @param images The images file.
     * @param labels The labels file.
     * @param role What the split is, for messages: e.g. {@code "training data 'fashion-mnist-bundled-train'"}.
     * @return The checked pair.
     * @throws DataException If a file is wrong or the counts differ; the message names the file(s)
     *                          and the expected and found values.
     */
    public static IdxPair checkIdxPair(Path images, Path labels, String role) {
        IdxFile img;
        IdxFile lab;
        try {
            img = IdxFile.check(images, IdxFile.IMAGE_DIMENSIONS, "images of the " + role);
            lab = IdxFile.check(labels, IdxFile.LABEL_DIMENSIONS, "labels of the " + role);
        } catch (DataException e) {
            throw new DataException(e.getMessage(), e);
        }
        if (img.count() != lab.count()) {
            throw new DataException("the " + role + " has " + img.count() + " images in " + images.toAbsolutePath()
                    + " but " + lab.count() + " labels in " + labels.toAbsolutePath() + ": the counts must match");
        }
        return new IdxPair(img, lab);
    }

    /**
     * Checks that the test images have the training images' shape.
     * @param train The training files.
     * @param test The test files.
     * @throws DataException If the shapes differ; the message names both files.
     */
    public static void checkSameImageShape(IdxPair train, IdxPair test) {
        if (!java.util.Arrays.equals(train.imageShape(), test.imageShape())) {
            throw new DataException("the test images " + test.describe() + " do not have the shape of the training images "
                    + train.describe());
        }
    }

    /**
     * Loads a data source into a dataset by {@link DataLoading}'s policy (all-zero images kept,
     * every pixel of an IDX image named).
     * @param source The data source.
     * @param role What the data is, for messages: e.g. {@code "training data 'fashion-mnist-bundled-train'"}.
     * @param idx The source's IDX files when it is an IDX source.
     * @param <T> The output type.
     * @return The dataset, with the source's provenance.
     * @throws DataException If the source is empty or holds an example Tribuo refuses; the message names the source.
     */
    public static <T extends Output<T>> Dataset<T> load(DataSource<T> source, String role, Optional<IdxPair> idx) {
        try {
            return DataLoading.load(source, role, idx.map(IdxPair::images));
        } catch (DataException e) {
            throw new DataException(e.getMessage(), e);
        }
    }

    /**
     * Checks that a model or trainer whose input has a fixed shape takes the images of IDX data:
     * the one comparison of an input shape with the images' height and width, used before training
     * ({@code experiment}, {@code sweep}) and before scoring ({@code report --models}).
     * @param who What expects the shape, e.g. {@code "trainer 'mlp-baseline'"} or {@code "model file /x/model.tribuo.pb"}.
     * @param shape Its input shape without the batch dimension, e.g. {@code [1, 28, 28]} or {@code [784]}.
     * @param role What the data is, e.g. {@code "training data 'tiny-train'"}.
     * @param data The data's checked IDX files.
     * @throws DataException If the shapes differ; the message names both shapes and the images file.
     */
    public static void checkImageShape(String who, long[] shape, String role, IdxPair data) {
        int[] image = data.imageShape();
        long pixels = java.util.Arrays.stream(shape).reduce(1, (a, b) -> a * b);
        boolean fits = pixels == (long) image[0] * image[1];
        if (fits && shape.length >= 2) {
            fits = shape[shape.length - 2] == image[0] && shape[shape.length - 1] == image[1];
        }
        if (!fits) {
            throw new DataException(who + " expects images of shape " + java.util.Arrays.toString(shape) + " (" + pixels
                    + " pixels), but the " + role + " " + data.describe() + " holds images of " + image[0] + "x" + image[1]
                    + " (" + data.pixels() + " pixels): use data of the model's image size, or a model for this data");
        }
    }

    /**
     * The part of the image-shape check that holds for any model trained on IDX images, whose
     * input shape is not known (e.g. a Tribuo linear model): a feature the model knows whose name
     * is a pixel index at or beyond the images' pixel count proves the model was trained on larger
     * images; scoring would silently treat its missing pixels as 0.
     * @param who The model, e.g. {@code "model file /x/linear.tribuo.pb"}.
     * @param features The names of the model's features.
     * @param role What the data is, e.g. {@code "test data"}.
     * @param data The data's checked IDX files.
     * @throws DataException If a model feature is a pixel beyond the images; the message names it and both sizes.
     */
    public static void checkPixelsWithin(String who, Iterable<String> features, String role, IdxPair data) {
        int max = -1;
        for (String name : features) {
            try {
                max = Math.max(max, Integer.parseInt(name.trim()));
            } catch (NumberFormatException e) {
                return;   // not a model of pixels
            }
        }
        if (max >= data.pixels()) {
            throw new DataException(who + " knows pixel " + max + ", so it was trained on images of more than " + data.pixels()
                    + " pixels, but the " + role + " " + data.describe() + " holds images of " + data.imageShape()[0] + "x"
                    + data.imageShape()[1] + " (" + data.pixels() + " pixels): use data of the model's image size");
        }
    }
}

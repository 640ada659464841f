package io.github.randomgradient.images;

import com.oracle.labs.mlrg.olcut.provenance.ListProvenance;
import org.tribuo.Dataset;
import org.tribuo.Example;
import org.tribuo.ImmutableDataset;
import org.tribuo.ImmutableFeatureMap;
import org.tribuo.ImmutableOutputInfo;
import org.tribuo.MutableFeatureMap;
import org.tribuo.MutableOutputInfo;
import org.tribuo.Output;
import org.tribuo.OutputFactory;
import org.tribuo.RealInfo;
import org.tribuo.dataset.DatasetView;
import org.tribuo.impl.ArrayExample;
import org.tribuo.protos.core.DatasetProto;
import org.tribuo.provenance.DataProvenance;
import org.tribuo.provenance.DatasetProvenance;
import org.tribuo.util.Util;

import java.util.AbstractList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Set;

/**
 * An immutable Tribuo dataset of same-sized images held as one array of unsigned pixel bytes, for
 * trainers that convert a dataset into one dense tensor (the DJL bridge's {@code ImageConverter}
 * reads {@link #pixelArray()} directly): no {@code ArrayExample} is built to train.
 * <p>
 * It is a Tribuo {@link Dataset} like any other: iterating it, {@link #getExample(int)} and
 * {@link #getData()} create each example when asked for, as Tribuo's {@code IDXDataSource} would
 * have built it (each non-zero pixel a feature named by its zero-padded index, value 0-255; an
 * all-zero image one feature, pixel 0 with value 0). Examples are created anew on each access, so
 * changing one changes nothing in the dataset.
 * <p>
 * <b>Feature domain.</b> The feature map names every pixel of the image, including pixels that are
 * 0 in every image (as the {@code tribuo-rg} commands' loading policy does for Tribuo's datasets),
 * so the domain gives the exact image size. Each pixel's {@link RealInfo} counts, like Tribuo's,
 * the images where it is non-zero, with the minimum, maximum, mean and sum of squared deviations
 * of those values (computed exactly in integers); a pixel that is 0 in every image has count 0 and
 * the other statistics 0. Feature ids are in name order, as in every
 * Tribuo {@link ImmutableFeatureMap}.
 * <p>
 * <b>Outputs.</b> The output domain observes the outputs in example order, as a
 * {@code MutableDataset} built from the same examples does, so output ids are the same.
 * <p>
 * <b>Provenance.</b> A dataset read from a source has a {@link DatasetProvenance} of this class over
 * the source's provenance (see {@link IdxImageDataSource}); a {@link #view} has the provenance of
 * the Tribuo {@link DatasetView} with the same indices and tag.
 *
 * @param <T> The output type.
 */
public final class DenseImageDataset<T extends Output<T>> extends ImmutableDataset<T> {
    private static final long serialVersionUID = 1L;

    private final byte[] pixels;
    private final int[] imageShape;
    private final int pixelsPerImage;
    private final T[] outputs;
    /** The image of each example (its index into the pixel array, in images), or null for all images in order. */
    private final int[] rows;
    private final String[] names;
    /** The provenance of a view; null for a dataset read from a source (then computed on request). */
    private final DatasetProvenance viewProvenance;
    private transient DatasetProvenance provenance;
    /** The iteration order after {@link #shuffle(boolean)}, or null. */
    private int[] order;

    private DenseImageDataset(DataProvenance source, OutputFactory<T> factory, ImmutableFeatureMap featureMap,
                              ImmutableOutputInfo<T> outputInfo, byte[] pixels, int[] imageShape, T[] outputs, String[] names,
                              int[] rows, DatasetProvenance viewProvenance) {
        super(source, factory, featureMap, outputInfo);
        this.pixels = pixels;
        this.imageShape = imageShape;
        this.pixelsPerImage = pixels.length / outputs.length;
        this.outputs = outputs;
        this.names = names;
        this.rows = rows;
        this.viewProvenance = viewProvenance;
    }

    /**
     * Creates a dataset over a pixel array, without copying it.
     * @param source The provenance of the data's source.
     * @param factory The output factory.
     * @param pixels The images, row-major, one after another: image {@code i}'s pixel {@code p} is
     *               {@code pixels[i * pixelsPerImage + p]}, read as unsigned (0-255). Not copied: it must not change.
     * @param imageShape The shape of one image, e.g. {@code [28, 28]} (its product is the number of pixels of an image).
     * @param outputs The output of each image.
     * @param <T> The output type.
     * @return The dataset.
     * @throws IllegalArgumentException If there are no images, or the array's length is not the number
     *                                  of outputs times the pixels of one image.
     */
    public static <T extends Output<T>> DenseImageDataset<T> create(DataProvenance source, OutputFactory<T> factory, byte[] pixels,
                                                                    int[] imageShape, T[] outputs) {
        long perImage = 1;
        for (int d : imageShape) {
            if (d < 1) {
                throw new IllegalArgumentException("every image dimension must be >= 1, found " + Arrays.toString(imageShape));
            }
            perImage *= d;
        }
        if (outputs.length == 0) {
            throw new IllegalArgumentException("a DenseImageDataset needs at least one image, found 0");
        }
        if (perImage * outputs.length != pixels.length) {
            throw new IllegalArgumentException(pixels.length + " pixels are not " + outputs.length + " images of "
                    + Arrays.toString(imageShape));
        }
        int n = (int) perImage;
        String[] names = new String[n];
        String format = "%0" + Integer.toString(n).length() + "d";
        for (int p = 0; p < n; p++) {
            names[p] = String.format(format, p);
        }
        // Per pixel over its non-zero values, as Tribuo's RealInfo observes them; integers are exact.
        int[] count = new int[n];
        long[] sum = new long[n];
        long[] squares = new long[n];
        int[] min = new int[n];
        int[] max = new int[n];
        Arrays.fill(min, Integer.MAX_VALUE);
        for (int base = 0; base < pixels.length; base += n) {
            for (int p = 0; p < n; p++) {
                int v = pixels[base + p] & 0xFF;
                if (v != 0) {
                    count[p]++;
                    sum[p] += v;
                    squares[p] += (long) v * v;
                    if (v < min[p]) {
                        min[p] = v;
                    }
                    if (v > max[p]) {
                        max[p] = v;
                    }
                }
            }
        }
        MutableFeatureMap features = new MutableFeatureMap();
        for (int p = 0; p < n; p++) {
            if (count[p] == 0) {
                features.put(new RealInfo(names[p], 0, 0.0, 0.0, 0.0, 0.0));   // valid (min <= max) when serialised
            } else {
                double mean = (double) sum[p] / count[p];
                // sum of squared deviations = sum(v^2) - sum(v)^2 / count, exact as a fraction before rounding
                double deviations = (squares[p] * (double) count[p] - (double) sum[p] * sum[p]) / count[p];
                features.put(new RealInfo(names[p], count[p], max[p], min[p], mean, deviations));
            }
        }
        MutableOutputInfo<T> outputInfo = factory.generateInfo();
        for (T output : outputs) {
            outputInfo.observe(output);
        }
        return new DenseImageDataset<>(source, factory, new ImmutableFeatureMap(features), outputInfo.generateImmutableOutputInfo(),
                pixels, imageShape.clone(), outputs, names, null, null);
    }

    /**
     * A subset of this dataset's examples over the same pixel array (nothing is copied), with the
     * provenance of Tribuo's {@link DatasetView} of the same examples, tag and choice of recording
     * the indices. The feature and output domains are this dataset's, as a view's are.
     * @param indices The examples of this dataset, in order (may repeat).
     * @param tag The view's tag (recorded in its provenance).
     * @param storeIndices Whether the provenance records the indices ({@link DatasetView#setStoreIndices}).
     * @return The view.
     * @throws IllegalArgumentException If an index is outside this dataset.
     */
    public DenseImageDataset<T> view(int[] indices, String tag, boolean storeIndices) {
        DatasetView<T> tribuoView = new DatasetView<>(this, indices, tag);
        tribuoView.setStoreIndices(storeIndices);
        int[] r = new int[indices.length];
        for (int i = 0; i < indices.length; i++) {
            r[i] = row(indices[i]);
        }
        return new DenseImageDataset<>(getProvenance(), outputFactory, featureIDMap, outputIDInfo, pixels, imageShape, outputs, names,
                r, tribuoView.getProvenance());
    }

    /**
     * The pixel array, shared and not copied: example {@code i}'s pixels are the
     * {@link #pixelsPerImage()} bytes from {@code imageIndex(i) * pixelsPerImage()}, unsigned.
     * It must not be modified.
     * @return The pixel array.
     */
    public byte[] pixelArray() {
        return pixels;
    }

    /**
     * The image of example {@code i} in {@link #pixelArray()}.
     * @param i The example's index in this dataset, {@code 0 <= i < size()}.
     * @return Its image's index.
     */
    public int imageIndex(int i) {
        return row(i);
    }

    /** @return The number of pixels of one image (the product of {@link #imageShape()}). */
    public int pixelsPerImage() {
        return pixelsPerImage;
    }

    /** @return The shape of one image as the source gives it, e.g. {@code [28, 28]}. */
    public int[] imageShape() {
        return imageShape.clone();
    }

    /**
     * The output of an example, without creating the example.
     * @param i The example's index in this dataset.
     * @return Its output.
     */
    public T output(int i) {
        return outputs[row(i)];
    }

    private int row(int i) {
        if (i < 0 || i >= size()) {
            throw new IndexOutOfBoundsException("example " + i + " of a dataset of " + size());
        }
        return rows == null ? i : rows[i];
    }

    @Override
    public int size() {
        return rows == null ? outputs.length : rows.length;
    }

    /**
     * {@inheritDoc}
     * <p>
     * The example is created on each call (see the class comment).
     */
    @Override
    public Example<T> getExample(int index) {
        int image = row(index);
        int base = image * pixelsPerImage;
        int nonZero = 0;
        for (int p = 0; p < pixelsPerImage; p++) {
            if (pixels[base + p] != 0) {
                nonZero++;
            }
        }
        if (nonZero == 0) {
            return new ArrayExample<>(outputs[image], new String[]{names[0]}, new double[]{0.0});
        }
        String[] n = new String[nonZero];
        double[] v = new double[nonZero];
        int k = 0;
        for (int p = 0; p < pixelsPerImage; p++) {
            int value = pixels[base + p] & 0xFF;
            if (value != 0) {
                n[k] = names[p];
                v[k++] = value;
            }
        }
        return new ArrayExample<>(outputs[image], n, v);
    }

    /**
     * {@inheritDoc}
     * <p>
     * An unmodifiable list whose examples are created as they are read.
     */
    @Override
    public List<Example<T>> getData() {
        return new AbstractList<>() {
            @Override
            public Example<T> get(int index) {
                return getExample(index);
            }

            @Override
            public int size() {
                return DenseImageDataset.this.size();
            }
        };
    }

    @Override
    public synchronized void shuffle(boolean shuffle) {
        order = shuffle ? Util.randperm(size(), rng) : null;
    }

    @Override
    public synchronized Iterator<Example<T>> iterator() {
        final int[] o = order;
        return new Iterator<>() {
            private int next = 0;

            @Override
            public boolean hasNext() {
                return next < size();
            }

            @Override
            public Example<T> next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                int i = next++;
                return getExample(o == null ? i : o[i]);
            }
        };
    }

    @Override
    public Set<T> getOutputs() {
        return outputIDInfo.getDomain();
    }

    @Override
    public synchronized DatasetProvenance getProvenance() {
        if (viewProvenance != null) {
            return viewProvenance;
        }
        if (provenance == null) {
            provenance = new DatasetProvenance(sourceProvenance, new ListProvenance<>(), this);
        }
        return provenance;
    }

    /**
     * {@inheritDoc}
     * <p>
     * Serialised as a Tribuo {@link ImmutableDataset} of the examples (read back as one).
     */
    @Override
    public DatasetProto serialize() {
        return ImmutableDataset.copyDataset(this).serialize();
    }

    @Override
    public String toString() {
        return "DenseImageDataset(size=" + size() + ",imageShape=" + Arrays.toString(imageShape) + ",source=" + sourceProvenance + ")";
    }
}

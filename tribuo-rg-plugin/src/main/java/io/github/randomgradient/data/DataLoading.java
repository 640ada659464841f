package io.github.randomgradient.data;

import com.oracle.labs.mlrg.olcut.provenance.ObjectProvenance;
import com.oracle.labs.mlrg.olcut.provenance.PrimitiveProvenance;
import com.oracle.labs.mlrg.olcut.provenance.Provenance;
import com.oracle.labs.mlrg.olcut.util.Pair;
import io.github.randomgradient.images.DenseImageDataset;
import io.github.randomgradient.images.IdxImageDataSource;
import org.tribuo.DataSource;
import org.tribuo.Dataset;
import org.tribuo.Example;
import org.tribuo.Feature;
import org.tribuo.MutableDataset;
import org.tribuo.Output;
import org.tribuo.datasource.IDXDataSource;
import org.tribuo.impl.ArrayExample;

import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.logging.Logger;

/**
 * Loads a data source into a Tribuo dataset by one policy, the same for every command, engine and
 * worker, so that the data a run trains on is the data the checks saw.
 * <p>
 * <b>IDX images: every pixel named.</b> Tribuo's {@link IDXDataSource} stores only non-zero pixels,
 * so a pixel that is 0 in every image of a split is absent from the dataset's feature map, and the
 * feature map alone cannot tell 28x28 images with a few always-zero pixels from smaller images.
 * The policy here is to name every pixel the IDX header declares: pixels absent from every example
 * are added to the first example with value 0, which changes no value a network sees (an absent
 * pixel is 0 as well). The feature map then holds exactly height x width pixels, which is what a
 * converter's shape check (e.g. the DJL bridge's {@code ImageConverter}) compares with its input.
 * <p>
 * <b>All-zero images.</b> An image whose pixels are all 0 is a valid image, but becomes an example
 * without features, which Tribuo's datasets refuse ("Example had ... no features"). It is trained
 * and evaluated on like any other image: it gets one explicit feature, pixel 0 with value 0. The
 * number of such images is logged. Examples without features from any other kind of data source
 * are refused, naming the source and the example's index.
 * <p>
 * <b>The fast path.</b> An {@link IdxImageDataSource} (same configuration as {@link IDXDataSource})
 * already holds its images as one pixel array; its {@link DenseImageDataset} follows both rules
 * above by construction (its feature domain names every pixel, an all-zero image has pixel 0 with
 * value 0) and is returned as it is, without one example per image.
 */
public final class DataLoading {

    private static final Logger logger = Logger.getLogger(DataLoading.class.getName());

    private DataLoading() {}

    /**
     * The images file an {@link IDXDataSource} read, checked end to end.
     * @param source A data source.
     * @param role What the data is, for messages, e.g. {@code "training data 'fashion-mnist-bundled-train'"}.
     * @return The checked images file, or empty if the source is not an {@link IDXDataSource}.
     * @throws DataException If the file is wrong (see {@link IdxFile#check}).
     */
    public static Optional<IdxFile> idxImages(DataSource<?> source, String role) {
        if (source instanceof IdxImageDataSource<?> fast) {
            return Optional.of(IdxFile.check(fast.getFeaturesPath(), IdxFile.IMAGE_DIMENSIONS, "images of the " + role));
        }
        if (!(source instanceof IDXDataSource)) {
            return Optional.empty();
        }
        Provenance p = source.getProvenance();
        if (p instanceof ObjectProvenance) {
            for (Pair<String, Provenance> field : (ObjectProvenance) p) {
                if (field.getA().equals("featuresPath")) {
                    Provenance v = field.getB();
                    String path = v instanceof PrimitiveProvenance ? String.valueOf(((PrimitiveProvenance<?>) v).getValue()) : v.toString();
                    return Optional.of(IdxFile.check(Paths.get(path), IdxFile.IMAGE_DIMENSIONS, "images of the " + role));
                }
            }
        }
        return Optional.empty();
    }

    /**
     * Loads a data source, applying the policy of the class comment.
     * @param source The data source.
     * @param role What the data is, for messages: e.g. {@code "training data 'fashion-mnist-bundled-train'"}.
     * @param images The source's checked IDX images file when it is an IDX source (then its pixels are named
     *               and examples without features are all-zero images).
     * @param <T> The output type.
     * @return The dataset, with the source's provenance.
     * @throws DataException If the source is empty or holds an example Tribuo refuses; the message names the source.
     */
    public static <T extends Output<T>> Dataset<T> load(DataSource<T> source, String role, Optional<IdxFile> images) {
        if (source instanceof IdxImageDataSource<T> fast) {
            DenseImageDataset<T> dataset = fast.dataset();
            if (images.isPresent() && dataset.pixelsPerImage() != images.get().itemSize()) {
                throw new DataException("the " + role + " (" + images.get().describe() + ") was read as images of "
                        + dataset.pixelsPerImage() + " pixels: the file changed while it was read");
            }
            return dataset;
        }
        String where = " (" + images.map(IdxFile::describe).orElse(source.toString()) + ")";
        int pixels = images.map(IdxFile::itemSize).orElse(0);
        List<Example<T>> examples = new ArrayList<>();
        Set<String> named = new HashSet<>();
        int index = 0;
        int allZero = 0;
        for (Example<T> e : source) {
            if (e.size() == 0 && pixels > 0) {
                Example<T> copy = new ArrayExample<>(e);
                copy.add(new Feature(pixelName(pixels, 0), 0.0));
                e = copy;
                allZero++;
            }
            if (!e.validateExample()) {
                throw new DataException("example " + index + " of the " + role + where + (e.size() == 0 ? " has no features"
                        : " has duplicate or non-finite features") + ": fix or remove it");
            }
            if (named.size() < pixels) {   // stops once every pixel has been seen (dense data: after a few images)
                for (Feature f : e) {
                    named.add(f.getName());
                }
            }
            examples.add(e);
            index++;
        }
        if (examples.isEmpty()) {
            throw new DataException("the " + role + " is empty" + where + ": it must hold at least one example");
        }
        if (pixels > 0 && named.size() < pixels) {
            Example<T> first = new ArrayExample<>(examples.get(0));
            for (int i = 0; i < pixels; i++) {
                String name = pixelName(pixels, i);
                if (!named.contains(name)) {
                    first.add(new Feature(name, 0.0));
                }
            }
            examples.set(0, first);
        }
        MutableDataset<T> dataset = new MutableDataset<>(source.getProvenance(), source.getOutputFactory());
        for (Example<T> e : examples) {
            dataset.add(e);
        }
        if (allZero > 0) {
            logger.info("the " + role + " holds " + allZero + " all-zero image(s); they are trained and evaluated on like any other image");
        }
        return dataset;
    }

    /**
     * Whether a component class is an IDX data source this project reads (and {@code --data} may
     * point at another directory): Tribuo's {@link IDXDataSource} or the fast {@link IdxImageDataSource},
     * which have the same configuration fields ({@code featuresPath}, {@code outputPath}, {@code outputFactory}).
     * @param className The component's class name.
     * @return True for either class.
     */
    public static boolean isIdxSource(String className) {
        return className.equals(IDXDataSource.class.getName()) || className.equals(IdxImageDataSource.class.getName());
    }

    /**
     * The name Tribuo's {@code IDXDataSource} gives a pixel: its index, zero-padded to the width of
     * the number of pixels ({@code "000"} .. {@code "783"} for 784 pixels).
     * @param pixels The number of pixels of an image.
     * @param index The pixel's index.
     * @return The feature name.
     */
    public static String pixelName(int pixels, int index) {
        return String.format("%0" + Integer.toString(pixels).length() + "d", index);
    }
}

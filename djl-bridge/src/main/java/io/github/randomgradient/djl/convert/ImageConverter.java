package io.github.randomgradient.djl.convert;

import com.oracle.labs.mlrg.olcut.config.Config;
import com.oracle.labs.mlrg.olcut.config.PropertyException;
import com.oracle.labs.mlrg.olcut.provenance.ConfiguredObjectProvenance;
import io.github.randomgradient.config.ConfigChecks;
import com.oracle.labs.mlrg.olcut.provenance.impl.ConfiguredObjectProvenanceImpl;
import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.zip.GZIPInputStream;
import io.github.randomgradient.images.DenseImageDataset;
import org.tribuo.Example;
import org.tribuo.Feature;
import org.tribuo.ImmutableFeatureMap;
import org.tribuo.VariableInfo;

import java.util.Arrays;
import java.util.List;

/**
 * Converts examples whose feature names are pixel indices into a {@code [batch, C, H, W]} float
 * tensor, optionally normalised per channel: \( x' = (x - mean_c) / std_c \).
 * <p>
 * Each feature is placed by the pixel index in its <em>name</em>, never by its position in the
 * feature map. Tribuo's {@code IDXDataSource} names pixels with zero-padded indices
 * ({@code "000"} to {@code "783"} for 28x28 images) and leaves zero pixels out of each example; an
 * absent pixel is placed as 0, normalised like any other 0. Index {@code i} is read as
 * {@code c*H*W + h*W + w}, or as {@code (h*W + w)*C + c} when {@code channelsLast} is set.
 * <p>
 * <b>Exact shape.</b> The training data's feature map must name exactly the {@code C*H*W} pixels
 * ({@link #exampleShape}): without that, 20x20 images (400 pixels) would train a 28x28 network
 * without any error. A pixel that is 0 in every training image is absent from Tribuo's feature map,
 * so such data must name it explicitly with value 0, as {@code io.github.randomgradient.data.DataLoading}
 * (used by every {@code tribuo-rg} command) does from the IDX header.
 * <p>
 * For Fashion-MNIST (pixel values 0-255) the configs use {@code mean = 72.94}, {@code std = 90.02},
 * the training set's pixel mean and standard deviation.
 */
public final class ImageConverter implements FeatureConverter {
    private static final long serialVersionUID = 1L;

    @Config(mandatory = true, description = "Image width in pixels (W).")
    private int width;

    @Config(mandatory = true, description = "Image height in pixels (H).")
    private int height;

    @Config(description = "Number of channels (C).")
    private int channels = 1;

    @Config(description = "Per-channel mean subtracted before dividing by std; empty for none, one value for all channels.")
    private float[] mean = new float[0];

    @Config(description = "Per-channel standard deviation divided by; empty for none, one value for all channels. Must be > 0.")
    private float[] std = new float[0];

    @Config(description = "If true, pixel index i is (h*W + w)*C + c (channels last); otherwise c*H*W + h*W + w.")
    private boolean channelsLast = false;

    /**
     * For OLCUT.
     */
    private ImageConverter() {}

    /**
     * Creates an image converter with no normalisation.
     * @param width Image width W, at least 1.
     * @param height Image height H, at least 1.
     * @param channels Channels C, at least 1.
     * @throws IllegalArgumentException If a dimension is below 1.
     */
    public ImageConverter(int width, int height, int channels) {
        this(width, height, channels, new float[0], new float[0]);
    }

    /**
     * Creates an image converter with per-channel normalisation.
     * @param width Image width W, at least 1.
     * @param height Image height H, at least 1.
     * @param channels Channels C, at least 1.
     * @param mean Per-channel means: empty, one value, or C values.
     * @param std Per-channel standard deviations (> 0): empty, one value, or C values.
     * @throws IllegalArgumentException If a value is invalid; the message names the field and value.
     */
    public ImageConverter(int width, int height, int channels, float[] mean, float[] std) {
        this(width, height, channels, mean, std, false);
    }

    /**
     * Creates an image converter with per-channel normalisation and a choice of pixel order.
     * @param width Image width W, at least 1.
     * @param height Image height H, at least 1.
     * @param channels Channels C, at least 1.
     * @param mean Per-channel means: empty, one value, or C values.
     * @param std Per-channel standard deviations (> 0): empty, one value, or C values.
     * @param channelsLast If true, pixel index i is {@code (h*W + w)*C + c}; otherwise {@code c*H*W + h*W + w}.
     * @throws IllegalArgumentException If a value is invalid; the message names the field and value.
     */
    public ImageConverter(int width, int height, int channels, float[] mean, float[] std, boolean channelsLast) {
        this.width = width;
        this.height = height;
        this.channels = channels;
        this.mean = mean.clone();
        this.std = std.clone();
        this.channelsLast = channelsLast;
        ConfigChecks.validateForJavaApi(this);
    }

    /**
     * Validates the configuration.
     * @throws PropertyException If a dimension is below 1 or the normalisation arrays are malformed.
     */
    @Override
    public void postConfig() {
        if (width < 1) {
            throw new PropertyException("", "width", "width must be >= 1, found " + width);
        }
        if (height < 1) {
            throw new PropertyException("", "height", "height must be >= 1, found " + height);
        }
        if (channels < 1) {
            throw new PropertyException("", "channels", "channels must be >= 1, found " + channels);
        }
        checkPerChannel("mean", mean);
        checkPerChannel("std", std);
        for (float s : std) {
            if (!(s > 0) || !Float.isFinite(s)) {
                throw new PropertyException("", "std", "std values must be finite and > 0, found " + Arrays.toString(std));
            }
        }
        for (float m : mean) {
            if (!Float.isFinite(m)) {
                throw new PropertyException("", "mean", "mean values must be finite, found " + Arrays.toString(mean));
            }
        }
    }

    private void checkPerChannel(String field, float[] values) {
        if (values.length != 0 && values.length != 1 && values.length != channels) {
            throw new PropertyException("", field, field + " must have 0, 1 or channels=" + channels + " values, found "
                    + values.length + " " + Arrays.toString(values));
        }
    }

    private float channelValue(float[] values, int c, float dflt) {
        return values.length == 0 ? dflt : values[values.length == 1 ? 0 : c];
    }

    /**
     * {@inheritDoc}
     * <p>
     * This is the shape check of every path that trains on images: the training data must name
     * exactly the {@code C*H*W} pixels of the image, each once. Images of another size are refused
     * here, larger ones (more features, or a pixel index beyond the image) and smaller ones (fewer
     * features) alike: a 20x20 image has 400 pixels, and placing them into a 28x28 input would train
     * on a scrambled image without any error. Data whose zero pixels are left out (Tribuo's
     * {@code IDXDataSource} stores only non-zero pixels) must name the pixels that are zero in every
     * example explicitly, with value 0, as the {@code tribuo-rg} commands do from the IDX header.
     * @return {@code [C, H, W]}.
     * @throws IllegalArgumentException If the feature map does not name exactly {@code C*H*W} pixels;
     *                                  the message gives the expected and the found number of pixels.
     */
    @Override
    public long[] exampleShape(ImmutableFeatureMap featureMap) {
        plan(featureMap);
        long pixels = (long) channels * height * width;
        if (featureMap.size() != pixels) {
            throw new IllegalArgumentException(shapeMismatch(featureMap.size()));
        }
        return new long[]{channels, height, width};
    }

    /**
     * {@inheritDoc}
     * <p>
     * The rule and the message of {@link #exampleShape}: held-out data and data to score must name
     * exactly the {@code C*H*W} pixels of the image too. A 20x20 image's pixel names ({@code 000} to
     * {@code 399}) are all pixels of a 28x28 image, so only the data's whole feature domain (400
     * pixels, not 784) shows that it holds images of another size.
     * @throws IllegalArgumentException If the domain does not name exactly {@code C*H*W} pixels of this image.
     */
    @Override
    public void checkData(ImmutableFeatureMap dataFeatures) {
        exampleShape(dataFeatures);
    }

    /**
     * {@inheritDoc}
     * <p>
     * When the data was read from an IDX file (Tribuo's {@code IDXDataSource}, which keeps only
     * non-zero pixels), the file's header gives the image size: data of {@code H x W} single-channel
     * images whose size is this converter's may leave out pixels that are 0 in every image; images of
     * another size are refused, naming the size the header gives. Without a readable IDX header, the
     * rule of {@link #exampleShape(ImmutableFeatureMap)} applies.
     * @throws IllegalArgumentException If the images are of another size, or a feature is not a pixel.
     */
    @Override
    public long[] exampleShape(ImmutableFeatureMap featureMap, Optional<Path> sourceFile) {
        Optional<int[]> idx = sourceFile.flatMap(ImageConverter::idxImageSize);
        if (idx.isEmpty()) {
            return exampleShape(featureMap);
        }
        int h = idx.get()[0];
        int w = idx.get()[1];
        if (h != height || w != width || channels != 1) {
            exampleShape(featureMap);   // the feature-count rule's message, where the count already shows it
            throw new IllegalArgumentException("expected images of shape [channels=" + channels + ", height=" + height + ", width="
                    + width + "], but the IDX file holds " + h + "x" + w + " single-channel images: images of another size must not "
                    + "be trained or scored (check width, height and channels)");
        }
        plan(featureMap);   // every feature is a pixel of this image
        return new long[]{channels, height, width};
    }

    /**
     * {@inheritDoc}
     * @throws IllegalArgumentException If the images are of another size, or a feature is not a pixel.
     */
    @Override
    public void checkData(ImmutableFeatureMap dataFeatures, Optional<Path> sourceFile) {
        exampleShape(dataFeatures, sourceFile);
    }

    /**
     * The image size an IDX images file's header gives ({@code [count, height, width]}, gzipped or
     * not; the IDX format of LeCun et al.'s MNIST distribution).
     * @param file The file.
     * @return {@code {height, width}}, or empty if the file is not a readable 3-dimensional IDX file.
     */
    static Optional<int[]> idxImageSize(Path file) {
        try (InputStream raw = new BufferedInputStream(Files.newInputStream(file))) {
            raw.mark(2);
            boolean gzip = raw.read() == 0x1f && raw.read() == 0x8b;
            raw.reset();
            try (DataInputStream in = new DataInputStream(gzip ? new GZIPInputStream(raw) : raw)) {
                if (in.readUnsignedShort() != 0) {
                    return Optional.empty();
                }
                in.readUnsignedByte();   // the element type
                if (in.readUnsignedByte() != 3) {
                    return Optional.empty();
                }
                in.readInt();            // the number of images
                return Optional.of(new int[]{in.readInt(), in.readInt()});
            }
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /**
     * The message for data with another number of pixels than the image.
     * @param features The number of features (pixels) the data names.
     * @return E.g. "expected images of shape [channels=1, height=28, width=28] (784 pixels), but the data has 400
     *         pixel features (e.g. images of 20x20)".
     */
    private String shapeMismatch(long features) {
        long pixels = (long) channels * height * width;
        long side = Math.round(Math.sqrt((double) features / channels));
        String guess = side * side * channels == features ? " (e.g. images of " + side + "x" + side
                + (channels > 1 ? "x" + channels : "") + ")" : "";
        return "expected images of shape [channels=" + channels + ", height=" + height + ", width=" + width + "] (" + pixels
                + " pixels), but the data has " + features + " pixel features" + guess + ": images of another size must not be "
                + "trained or scored (check width, height and channels; data that leaves out pixels that are 0 in every "
                + "example must name them with value 0, as io.github.randomgradient.data.DataLoading does from the IDX header)";
    }

    /**
     * {@inheritDoc}
     * <p>
     * The plan's {@link Plan#fill} refuses an example with a feature that is not a pixel of this
     * image (a pixel index at or beyond {@code C*H*W}, or not a pixel index): it is an image of
     * another size, or not an image, never something to ignore. A pixel of the image that the
     * domain does not know (zero in all the training data) is ignored, as it is 0 in training.
     * (An image smaller than the domain's, whose pixel names all fall inside it, cannot be told
     * from an image with zero pixels left out; {@link #exampleShape} and the commands, which know
     * the data's image size, refuse such data.)
     * @throws IllegalArgumentException If a feature name is not a pixel index, the index is at or
     *                                  beyond {@code C*H*W}, or there are more features than pixels;
     *                                  the message names the feature.
     */
    @Override
    public Plan plan(ImmutableFeatureMap featureMap) {
        if (featureMap.size() > (long) channels * height * width) {
            throw new IllegalArgumentException(shapeMismatch(featureMap.size()));
        }
        final int hw = height * width;
        final int size = channels * hw;
        // Tribuo feature id -> tensor offset within one example.
        final int[] offsetOfId = new int[featureMap.size()];
        final int[] channelOfId = new int[featureMap.size()];
        for (VariableInfo info : featureMap) {
            String name = info.getName();
            int index;
            try {
                index = Integer.parseInt(name.trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("feature '" + name + "' is not a pixel index: ImageConverter needs features "
                        + "named by their pixel index (e.g. \"000\" to \"" + (size - 1) + "\")");
            }
            if (index < 0 || index >= size) {
                throw new IllegalArgumentException("feature '" + name + "' has pixel index " + index + ", outside the image of "
                        + size + " pixels [channels=" + channels + ", height=" + height + ", width=" + width
                        + "]: check width, height and channels");
            }
            int c;
            int offset;
            if (channelsLast) {
                c = index % channels;
                offset = c * hw + index / channels;
            } else {
                c = index / hw;
                offset = index;
            }
            int id = featureMap.getID(name);
            offsetOfId[id] = offset;
            channelOfId[id] = c;
        }
        final float[] shift = new float[channels];
        final float[] scale = new float[channels];
        final float[] background = new float[size];
        for (int c = 0; c < channels; c++) {
            shift[c] = channelValue(mean, c, 0f);
            scale[c] = 1f / channelValue(std, c, 1f);
            Arrays.fill(background, c * hw, (c + 1) * hw, (0f - shift[c]) * scale[c]);
        }
        return new Plan() {
            @Override
            public int exampleSize() {
                return size;
            }

            @Override
            public int[] fill(List<? extends Example<?>> examples, float[] out) {
                int[] used = new int[examples.size()];
                int row = 0;
                for (Example<?> e : examples) {
                    int base = row * size;
                    System.arraycopy(background, 0, out, base, size);
                    for (Feature f : e) {
                        int id = featureMap.getID(f.getName());
                        if (id >= 0) {
                            int c = channelOfId[id];
                            out[base + offsetOfId[id]] = ((float) f.getValue() - shift[c]) * scale[c];
                            used[row]++;
                        } else if (pixelIndex(f.getName(), size) < 0) {
                            throw new IllegalArgumentException(outsideTheImage(f.getName(), size));
                        }
                    }
                    row++;
                }
                return used;
            }

            @Override
            public boolean fillImages(DenseImageDataset<?> images, float[] out) {
                return fillFromPixels(images, featureMap, offsetOfId, channelOfId, shift, scale, background, out);
            }
        };
    }

    /**
     * The fast path of {@link Plan#fillImages}: converts a {@link DenseImageDataset} from its pixel
     * array, with the arithmetic of {@link Plan#fill} on the examples it yields (each pixel read as
     * the {@code float} of its unsigned value, {@code (x - mean_c) * (1 / std_c)}, placed by the plan's
     * offset for its name; pixels the domain does not know stay at the background value, as absent
     * features do), so the floats are bitwise those of the example path.
     * @return False (the caller then converts the examples) if the images do not have this plan's number of pixels.
     */
    private static boolean fillFromPixels(DenseImageDataset<?> images, ImmutableFeatureMap featureMap, int[] offsetOfId,
                                          int[] channelOfId, float[] shift, float[] scale, float[] background, float[] out) {
        int size = background.length;
        if (images.pixelsPerImage() != size) {
            return false;
        }
        int[] offset = new int[size];
        float[] pixelShift = new float[size];
        float[] pixelScale = new float[size];
        int known = 0;
        String format = "%0" + Integer.toString(size).length() + "d";
        for (int p = 0; p < size; p++) {
            int id = featureMap.getID(String.format(format, p));
            if (id < 0) {
                offset[p] = -1;
                continue;
            }
            offset[p] = offsetOfId[id];
            pixelShift[p] = shift[channelOfId[id]];
            pixelScale[p] = scale[channelOfId[id]];
            known++;
        }
        byte[] pixels = images.pixelArray();
        int n = images.size();
        for (int i = 0; i < n; i++) {
            int in = images.imageIndex(i) * size;
            int base = i * size;
            if (known < size) {
                System.arraycopy(background, 0, out, base, size);
            }
            for (int p = 0; p < size; p++) {
                int o = offset[p];
                if (o >= 0) {
                    out[base + o] = ((float) (pixels[in + p] & 0xFF) - pixelShift[p]) * pixelScale[p];
                }
            }
        }
        return true;
    }

    /** The pixel index a feature name gives, or -1 if it is not an index within an image of {@code size} pixels. */
    private static int pixelIndex(String name, int size) {
        try {
            int i = Integer.parseInt(name.trim());
            return i >= 0 && i < size ? i : -1;
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /**
     * The message for a feature of an example to convert that is not one of the domain's pixels.
     */
    private String outsideTheImage(String name, int size) {
        return "feature '" + name + "' is not one of the " + size + " pixels of the images of shape [channels=" + channels
                + ", height=" + height + ", width=" + width + "] this converter was planned for: the example is an image of "
                + "another size or not an image";
    }

    @Override
    public String toString() {
        return "ImageConverter(width=" + width + ",height=" + height + ",channels=" + channels + ",mean="
                + Arrays.toString(mean) + ",std=" + Arrays.toString(std) + ",channelsLast=" + channelsLast + ")";
    }

    @Override
    public ConfiguredObjectProvenance getProvenance() {
        return new ConfiguredObjectProvenanceImpl(this, "FeatureConverter");
    }
}

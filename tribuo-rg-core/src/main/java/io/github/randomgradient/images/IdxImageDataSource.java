package io.github.randomgradient.images;

import com.oracle.labs.mlrg.olcut.config.Config;
import com.oracle.labs.mlrg.olcut.provenance.ObjectProvenance;
import com.oracle.labs.mlrg.olcut.provenance.PrimitiveProvenance;
import com.oracle.labs.mlrg.olcut.provenance.Provenance;
import com.oracle.labs.mlrg.olcut.provenance.ProvenanceUtil;
import com.oracle.labs.mlrg.olcut.provenance.impl.SkeletalConfiguredObjectProvenance;
import com.oracle.labs.mlrg.olcut.provenance.primitives.DateTimeProvenance;
import com.oracle.labs.mlrg.olcut.provenance.primitives.HashProvenance;
import com.oracle.labs.mlrg.olcut.provenance.primitives.StringProvenance;
import org.tribuo.ConfigurableDataSource;
import org.tribuo.Example;
import org.tribuo.Output;
import org.tribuo.OutputFactory;
import org.tribuo.provenance.DataSourceProvenance;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.zip.GZIPInputStream;

/**
 * A data source for images in the IDX format of (Fashion-)MNIST that reads the pixels straight
 * into one byte array, for {@link DenseImageDataset}: the configuration fields are those of Tribuo's
 * {@link org.tribuo.datasource.IDXDataSource} ({@code featuresPath}, {@code outputPath},
 * {@code outputFactory}), so a config switches by changing the component's {@code type}.
 * <p>
 * Tribuo's {@code IDXDataSource} reads every pixel into a {@code double} and builds one
 * {@code ArrayExample} per image (8.7 to 14 s and most of a 1.5 GB heap for the 60,000 Fashion-MNIST
 * training images); this source keeps the unsigned bytes (47 MB for the same images) and creates
 * examples only when iterated. The examples it yields are the ones {@code IDXDataSource} yields:
 * each non-zero pixel a feature named by its zero-padded index ({@code "000"} to {@code "783"} for
 * 28x28 images) with the pixel value 0-255, the label the label file's integer as a string (e.g.
 * {@code "7"}); except that an all-zero image, which {@code IDXDataSource} turns into an example
 * without features (refused by Tribuo's datasets), gets one feature, pixel 0 with value 0.
 * <p>
 * Supported: images of unsigned bytes ({@code 0x08}) with at least 2 dimensions after the count
 * (e.g. {@code [count, 28, 28]}), gzipped or not, and labels of one dimension of integers
 * ({@code 0x08}, {@code 0x09}, {@code 0x0B}, {@code 0x0C}). Other IDX files are refused with a
 * message pointing to Tribuo's {@code IDXDataSource}, which reads every IDX type.
 * <p>
 * Provenance: the configured paths and output factory, the SHA-256 of both files, their
 * modification times and the creation time, under the keys {@code IDXDataSource} uses
 * ({@code features-resource-hash}, {@code output-resource-hash}, ...), so tools that identify data
 * by its file hashes see the same data whichever of the two sources read it.
 *
 * @param <T> The output type.
 */
public final class IdxImageDataSource<T extends Output<T>> implements ConfigurableDataSource<T> {

    @Config(mandatory = true, description = "Path of the IDX images file (gzipped or not).")
    private Path featuresPath;

    @Config(mandatory = true, description = "Path of the IDX labels file (gzipped or not).")
    private Path outputPath;

    @Config(mandatory = true, description = "The output factory to use.")
    private OutputFactory<T> outputFactory;

    private transient DenseImageDataset<T> dataset;
    private transient IdxImageDataSourceProvenance provenance;

    /**
     * For OLCUT.
     */
    private IdxImageDataSource() {}

    /**
     * Reads an images file and a labels file.
     * @param featuresPath The IDX images file.
     * @param outputPath The IDX labels file.
     * @param outputFactory The output factory (e.g. {@code LabelFactory}).
     * @throws IOException If a file cannot be read.
     * @throws IllegalArgumentException If a file is not a supported IDX file, or the counts differ; the message names the file.
     */
    public IdxImageDataSource(Path featuresPath, Path outputPath, OutputFactory<T> outputFactory) throws IOException {
        this.featuresPath = featuresPath;
        this.outputPath = outputPath;
        this.outputFactory = outputFactory;
        postConfig();
    }

    /**
     * Reads the files (used by OLCUT).
     * @throws IOException If a file cannot be read.
     * @throws IllegalArgumentException If a file is not a supported IDX file, or the counts differ.
     */
    @Override
    public void postConfig() throws IOException {
        Idx images = read(featuresPath, true);
        Idx labels = read(outputPath, false);
        if (images.shape[0] != labels.shape[0]) {
            throw new IllegalArgumentException("the IDX images file " + featuresPath + " holds " + images.shape[0]
                    + " images but the labels file " + outputPath + " holds " + labels.shape[0] + " labels: the counts must match");
        }
        int[] imageShape = java.util.Arrays.copyOfRange(images.shape, 1, images.shape.length);
        Map<Integer, T> outputs = new HashMap<>();
        @SuppressWarnings("unchecked")
        T[] labelOf = (T[]) new Output<?>[labels.values.length];
        for (int i = 0; i < labelOf.length; i++) {
            labelOf[i] = outputs.computeIfAbsent(labels.values[i], v -> outputFactory.generateOutput(Integer.toString(v)));
        }
        provenance = new IdxImageDataSourceProvenance(this, images.shape);
        dataset = DenseImageDataset.create(provenance, outputFactory, images.bytes, imageShape, labelOf);
    }

    /**
     * The data as a dataset over the one pixel array read from the file.
     * @return The dataset (the same object on every call; it is immutable).
     */
    public DenseImageDataset<T> dataset() {
        return dataset;
    }

    /** @return The images file. */
    public Path getFeaturesPath() {
        return featuresPath;
    }

    /** @return The labels file. */
    public Path getOutputPath() {
        return outputPath;
    }

    @Override
    public OutputFactory<T> getOutputFactory() {
        return outputFactory;
    }

    /**
     * {@inheritDoc}
     * <p>
     * The examples are created as they are iterated (see the class comment).
     */
    @Override
    public Iterator<Example<T>> iterator() {
        return dataset.iterator();
    }

    @Override
    public DataSourceProvenance getProvenance() {
        return provenance;
    }

    @Override
    public String toString() {
        return "IdxImageDataSource(featuresPath=" + featuresPath + ",outputPath=" + outputPath + ")";
    }

    /** One IDX file: images as unsigned bytes, or labels as ints. */
    private record Idx(int[] shape, byte[] bytes, int[] values) {}

    private static Idx read(Path path, boolean images) throws IOException {
        try (InputStream raw = new BufferedInputStream(Files.newInputStream(path), 1 << 16)) {
            raw.mark(2);
            boolean gzip = raw.read() == 0x1f && raw.read() == 0x8b;
            raw.reset();
            DataInputStream in = new DataInputStream(gzip ? new GZIPInputStream(raw, 1 << 16) : raw);
            int magic;
            try {
                magic = in.readInt();
            } catch (EOFException e) {
                throw new IllegalArgumentException("the IDX file " + path + " is too short for its magic number");
            }
            int type = (magic >>> 8) & 0xFF;
            int dims = magic & 0xFF;
            if ((magic >>> 16) != 0) {
                throw new IllegalArgumentException("the file " + path + " is not an IDX file (magic number 0x"
                        + Integer.toHexString(magic) + ")");
            }
            if (images ? (type != 0x08 || dims < 3) : (dims != 1 || !(type == 0x08 || type == 0x09 || type == 0x0B || type == 0x0C))) {
                throw new IllegalArgumentException("the IDX file " + path + " has type 0x" + Integer.toHexString(type) + " and "
                        + dims + " dimension(s); IdxImageDataSource reads " + (images ? "images of unsigned bytes (0x08) with "
                        + "at least 3 dimensions" : "labels of one dimension of integers") + ": use Tribuo's IDXDataSource for other IDX files");
            }
            int[] shape = new int[dims];
            long size = 1;
            for (int i = 0; i < dims; i++) {
                shape[i] = in.readInt();
                if (shape[i] < 1) {
                    throw new IllegalArgumentException("the IDX file " + path + " declares dimension " + (i + 1) + " as " + shape[i]);
                }
                size *= shape[i];
            }
            if (size > Integer.MAX_VALUE - 8) {
                throw new IllegalArgumentException("the IDX file " + path + " holds " + size + " values, more than one Java array holds");
            }
            try {
                if (images) {
                    byte[] bytes = new byte[(int) size];
                    in.readFully(bytes);
                    checkEnd(in, path);
                    return new Idx(shape, bytes, null);
                }
                int[] values = new int[(int) size];
                for (int i = 0; i < values.length; i++) {
                    values[i] = switch (type) {
                        case 0x08 -> in.readUnsignedByte();
                        case 0x09 -> in.readByte();
                        case 0x0B -> in.readShort();
                        default -> in.readInt();
                    };
                }
                checkEnd(in, path);
                return new Idx(shape, null, values);
            } catch (EOFException e) {
                throw new IllegalArgumentException("the IDX file " + path + " holds less data than its header declares ("
                        + java.util.Arrays.toString(shape) + ")");
            }
        }
    }

    private static void checkEnd(DataInputStream in, Path path) throws IOException {
        if (in.read() != -1) {
            throw new IllegalArgumentException("the IDX file " + path + " holds more data than its header declares");
        }
    }

    /**
     * Provenance of an {@link IdxImageDataSource}: its configuration, and as instance values the
     * SHA-256 and modification time of both files and the source's creation time, under the keys
     * of Tribuo's {@code IDXDataSourceProvenance}.
     */
    public static final class IdxImageDataSourceProvenance extends SkeletalConfiguredObjectProvenance implements DataSourceProvenance {
        private static final long serialVersionUID = 1L;

        /** The key of the images file's SHA-256 (as Tribuo's {@code IDXDataSource}). */
        public static final String FEATURES_RESOURCE_HASH = "features-resource-hash";
        /** The key of the labels file's SHA-256 (as Tribuo's {@code IDXDataSource}). */
        public static final String OUTPUT_RESOURCE_HASH = "output-resource-hash";
        /** The key of the images file's modification time. */
        public static final String FEATURES_FILE_MODIFIED_TIME = "features-file-modified-time";
        /** The key of the labels file's modification time. */
        public static final String OUTPUT_FILE_MODIFIED_TIME = "output-file-modified-time";
        /** The key of the images' shape, e.g. {@code [60000, 28, 28]}. */
        public static final String IMAGE_SHAPE = "idx-image-shape";

        private final DateTimeProvenance featuresFileModifiedTime;
        private final DateTimeProvenance outputFileModifiedTime;
        private final DateTimeProvenance dataSourceCreationTime;
        private final HashProvenance featuresHash;
        private final HashProvenance outputHash;
        private final StringProvenance imageShape;

        <T extends Output<T>> IdxImageDataSourceProvenance(IdxImageDataSource<T> host, int[] shape) {
            super(host, "DataSource");
            this.featuresFileModifiedTime = new DateTimeProvenance(FEATURES_FILE_MODIFIED_TIME, modified(host.featuresPath));
            this.outputFileModifiedTime = new DateTimeProvenance(OUTPUT_FILE_MODIFIED_TIME, modified(host.outputPath));
            this.dataSourceCreationTime = new DateTimeProvenance(DATASOURCE_CREATION_TIME, OffsetDateTime.now());
            this.featuresHash = new HashProvenance(DEFAULT_HASH_TYPE, FEATURES_RESOURCE_HASH, ProvenanceUtil.hashResource(DEFAULT_HASH_TYPE, host.featuresPath));
            this.outputHash = new HashProvenance(DEFAULT_HASH_TYPE, OUTPUT_RESOURCE_HASH, ProvenanceUtil.hashResource(DEFAULT_HASH_TYPE, host.outputPath));
            this.imageShape = new StringProvenance(IMAGE_SHAPE, java.util.Arrays.toString(shape));
        }

        /**
         * For provenance deserialisation.
         * @param map The provenance's values.
         */
        public IdxImageDataSourceProvenance(Map<String, Provenance> map) {
            this(extract(map));
        }

        private IdxImageDataSourceProvenance(ExtractedInfo info) {
            super(info);
            this.featuresFileModifiedTime = (DateTimeProvenance) info.instanceValues.get(FEATURES_FILE_MODIFIED_TIME);
            this.outputFileModifiedTime = (DateTimeProvenance) info.instanceValues.get(OUTPUT_FILE_MODIFIED_TIME);
            this.dataSourceCreationTime = (DateTimeProvenance) info.instanceValues.get(DATASOURCE_CREATION_TIME);
            this.featuresHash = (HashProvenance) info.instanceValues.get(FEATURES_RESOURCE_HASH);
            this.outputHash = (HashProvenance) info.instanceValues.get(OUTPUT_RESOURCE_HASH);
            this.imageShape = (StringProvenance) info.instanceValues.get(IMAGE_SHAPE);
        }

        private static ExtractedInfo extract(Map<String, Provenance> map) {
            Map<String, Provenance> configured = new HashMap<>(map);
            String owner = IdxImageDataSourceProvenance.class.getSimpleName();
            String className = ObjectProvenance.checkAndExtractProvenance(configured, CLASS_NAME, StringProvenance.class, owner).getValue();
            String host = ObjectProvenance.checkAndExtractProvenance(configured, HOST_SHORT_NAME, StringProvenance.class, owner).getValue();
            Map<String, PrimitiveProvenance<?>> instance = new HashMap<>();
            for (String key : new String[]{FEATURES_FILE_MODIFIED_TIME, OUTPUT_FILE_MODIFIED_TIME, DATASOURCE_CREATION_TIME}) {
                instance.put(key, ObjectProvenance.checkAndExtractProvenance(configured, key, DateTimeProvenance.class, owner));
            }
            for (String key : new String[]{FEATURES_RESOURCE_HASH, OUTPUT_RESOURCE_HASH}) {
                instance.put(key, ObjectProvenance.checkAndExtractProvenance(configured, key, HashProvenance.class, owner));
            }
            instance.put(IMAGE_SHAPE, ObjectProvenance.checkAndExtractProvenance(configured, IMAGE_SHAPE, StringProvenance.class, owner));
            return new ExtractedInfo(className, host, configured, instance);
        }

        private static OffsetDateTime modified(Path p) {
            return OffsetDateTime.ofInstant(Instant.ofEpochMilli(p.toFile().lastModified()), ZoneId.systemDefault());
        }

        @Override
        public Map<String, PrimitiveProvenance<?>> getInstanceValues() {
            Map<String, PrimitiveProvenance<?>> map = super.getInstanceValues();
            map.put(featuresFileModifiedTime.getKey(), featuresFileModifiedTime);
            map.put(outputFileModifiedTime.getKey(), outputFileModifiedTime);
            map.put(dataSourceCreationTime.getKey(), dataSourceCreationTime);
            map.put(featuresHash.getKey(), featuresHash);
            map.put(outputHash.getKey(), outputHash);
            map.put(imageShape.getKey(), imageShape);
            return map;
        }
    }
}

package io.github.randomgradient.data;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.zip.GZIPInputStream;

/**
 * One IDX file (the format of MNIST and Fashion-MNIST), read through once and checked before
 * Tribuo's {@link org.tribuo.datasource.IDXDataSource} loads it, so that a wrong file is reported
 * naming the file and what is wrong: the expected and found magic number, the number of items, or
 * the byte at which the data ends early.
 * <p>
 * The IDX header is a magic number (two zero bytes, a type byte such as {@code 0x08} for unsigned
 * bytes, and the number of dimensions), then each dimension as a big-endian 32-bit integer, then
 * the data, row-major. Like OLCUT (which Tribuo uses to open the file), a file that starts with
 * the gzip magic bytes is decompressed whatever its name; byte offsets in messages count the
 * decompressed bytes.
 */
public final class IdxFile {

    /** The number of dimensions of an images file: count, height, width. */
    public static final int IMAGE_DIMENSIONS = 3;
    /** The number of dimensions of a labels file: count. */
    public static final int LABEL_DIMENSIONS = 1;

    private final Path path;
    private final int type;
    private final int[] shape;

    private IdxFile(Path path, int type, int[] shape) {
        this.path = path;
        this.type = type;
        this.shape = shape;
    }

    /**
     * Reads and checks an IDX file end to end.
     * @param path The file.
     * @param dimensions The number of dimensions it must have: {@link #IMAGE_DIMENSIONS} or {@link #LABEL_DIMENSIONS}.
     * @param role What the file is for, for messages, e.g. {@code "training images (featuresPath of 'train')"}.
     * @return The checked file.
     * @throws DataException If the file is missing, empty, not IDX, has the wrong number of
     *                          dimensions, declares no items, or holds less or more data than its
     *                          header declares; the message names the file and what was expected and found.
     */
    public static IdxFile check(Path path, int dimensions, String role) {
        String where = path.toAbsolutePath() + " (" + role + ")";
        if (Files.isDirectory(path)) {
            throw new DataException("data file " + where + " is a directory, expected an IDX file");
        }
        if (!Files.isRegularFile(path)) {
            throw new DataException("data file not found: " + where);
        }
        try {
            if (Files.size(path) == 0) {
                throw new DataException("data file " + where + " is empty (0 bytes), expected an IDX file");
            }
        } catch (IOException e) {
            throw new DataException("could not read data file " + where + ": " + e.getMessage(), e);
        }
        int expectedMagic = 0x0800 | dimensions;
        long offset = 0;
        try (InputStream in = open(path)) {
            byte[] magic = readFully(in, 4, where, 0, "its 4-byte IDX magic number");
            offset = 4;
            int found = ((magic[0] & 0xFF) << 24) | ((magic[1] & 0xFF) << 16) | ((magic[2] & 0xFF) << 8) | (magic[3] & 0xFF);
            int type = magic[2] & 0xFF;
            if (magic[0] != 0 || magic[1] != 0 || elementSize(type) == 0) {
                throw new DataException("data file " + where + " is not an IDX file: expected magic number "
                        + hex(expectedMagic) + ", found " + hex(found) + " (" + printable(magic) + ")"
                        + (path.toString().endsWith(".gz") && !isGzip(path) ? "; the name ends in .gz but it is not gzip data"
                        + " (an HTML page from a failed download?)" : ""));
            }
            if (magic[3] != dimensions) {
                throw new DataException("data file " + where + " has the wrong IDX magic number: expected "
                        + hex((type << 8) | dimensions) + " (" + dimensions + "-D, " + describe(dimensions) + "), found " + hex(found)
                        + " (" + magic[3] + "-D, " + describe(magic[3]) + ")");
            }
            int[] shape = new int[dimensions];
            byte[] dims = readFully(in, 4 * dimensions, where, offset, "its " + dimensions + " dimension(s)");
            offset += 4L * dimensions;
            long elements = 1;
            for (int i = 0; i < dimensions; i++) {
                shape[i] = ((dims[4 * i] & 0xFF) << 24) | ((dims[4 * i + 1] & 0xFF) << 16) | ((dims[4 * i + 2] & 0xFF) << 8)
                        | (dims[4 * i + 3] & 0xFF);
                if (shape[i] < 1) {
                    throw new DataException("data file " + where + (i == 0
                            ? " declares 0 " + (dimensions == 1 ? "labels" : "images") + ": the dataset would be empty"
                            : " declares dimension " + (i + 1) + " as " + shape[i] + ": every dimension must be >= 1"));
                }
                elements *= shape[i];
            }
            long expectedBytes = elements * elementSize(type);
            long data = skip(in, expectedBytes);
            if (data < expectedBytes) {
                throw new DataException("data file " + where + " is truncated at byte " + (offset + data) + ": its header declares "
                        + describeShape(shape) + ", " + (offset + expectedBytes) + " bytes" + decompressed(path));
            }
            if (in.read() != -1) {
                throw new DataException("data file " + where + " holds more data than its header declares ("
                        + describeShape(shape) + ", " + (offset + expectedBytes) + " bytes" + decompressed(path)
                        + "): it is not a well-formed IDX file");
            }
            return new IdxFile(path, type, shape);
        } catch (DataException e) {
            throw e;
        } catch (IOException e) {
            // A gzip stream that ends early or is corrupt.
            throw new DataException("data file " + where + " is not readable gzip data: " + e.getMessage()
                    + " (corrupt or truncated download?)", e);
        }
    }

    /** @return The file. */
    public Path path() {
        return path;
    }

    /** @return The number of items: images or labels (the first dimension). */
    public int count() {
        return shape[0];
    }

    /** @return The dimensions, count first. */
    public int[] shape() {
        return shape.clone();
    }

    /** @return The number of values of one item, e.g. 784 pixels for a 28x28 image; 1 for a label. */
    public int itemSize() {
        int n = 1;
        for (int i = 1; i < shape.length; i++) {
            n *= shape[i];
        }
        return n;
    }

    /** @return E.g. {@code /data/train-images-idx3-ubyte.gz (10000 images of 28x28)}. */
    public String describe() {
        return path.toAbsolutePath() + " (" + describeShape(shape) + ")";
    }

    /** @return The IDX type byte, e.g. {@code 0x08} for unsigned bytes. */
    public int type() {
        return type;
    }

    /** @return The shape of one item (the dimensions after the count), e.g. {@code [28, 28]}; empty for labels. */
    public int[] itemShape() {
        return Arrays.copyOfRange(shape, 1, shape.length);
    }

    /**
     * Describes the shape, e.g. {@code 10000 images of 28x28} or {@code 10000 labels}.
     * @param shape The dimensions, count first.
     * @return The description.
     */
    public static String describeShape(int[] shape) {
        if (shape.length == 1) {
            return shape[0] + " labels";
        }
        StringBuilder sb = new StringBuilder(shape[0] + " images of ");
        for (int i = 1; i < shape.length; i++) {
            sb.append(i > 1 ? "x" : "").append(shape[i]);
        }
        return sb.toString();
    }

    private static String describe(int dimensions) {
        return dimensions == 1 ? "a labels file" : dimensions == 3 ? "an images file" : "neither images nor labels";
    }

    private static String decompressed(Path path) {
        return isGzip(path) ? " after decompression" : "";
    }

    private static int elementSize(int type) {
        switch (type) {
            case 0x08: case 0x09: return 1;
            case 0x0B: return 2;
            case 0x0C: case 0x0D: return 4;
            case 0x0E: return 8;
            default: return 0;
        }
    }

    private static String hex(int magic) {
        return String.format(Locale.ROOT, "0x%08X", magic);
    }

    private static String printable(byte[] bytes) {
        StringBuilder sb = new StringBuilder("bytes");
        StringBuilder text = new StringBuilder();
        for (byte b : bytes) {
            sb.append(String.format(Locale.ROOT, " %02X", b & 0xFF));
            text.append(b >= 32 && b < 127 ? (char) b : '.');
        }
        return sb.append(" '").append(text).append("'").toString();
    }

    private static boolean isGzip(Path path) {
        try (InputStream in = Files.newInputStream(path)) {
            return in.read() == 0x1F && in.read() == 0x8B;
        } catch (IOException e) {
            return false;
        }
    }

    private static InputStream open(Path path) throws IOException {
        InputStream raw = new BufferedInputStream(Files.newInputStream(path), 1 << 16);
        // Not buffered again: GZIPInputStream returns what it inflated before it meets the end of a cut file.
        return isGzip(path) ? new GZIPInputStream(raw, 1 << 16) : raw;
    }

    private static byte[] readFully(InputStream in, int n, String where, long offset, String what) throws IOException {
        byte[] b = new byte[n];
        int read = 0;
        try {
            while (read < n) {
                int r = in.read(b, read, n - read);
                if (r < 0) {
                    break;
                }
                read += r;
            }
        } catch (EOFException e) {
            // a gzip stream that ends early: reported below as a truncation
        }
        if (read < n) {
            throw new DataException("data file " + where + " is truncated at byte " + (offset + read) + ": too short for " + what);
        }
        return b;
    }

    /** Reads and discards up to {@code n} bytes; returns how many there were (fewer if the data ends early). */
    private static long skip(InputStream in, long n) throws IOException {
        byte[] buffer = new byte[1 << 16];
        long done = 0;
        try {
            while (done < n) {
                int r = in.read(buffer, 0, (int) Math.min(buffer.length, n - done));
                if (r < 0) {
                    break;
                }
                done += r;
            }
        } catch (EOFException e) {
            // "Unexpected end of ZLIB input stream": the gzip file was cut; report the bytes that arrived
        }
        return done;
    }
}

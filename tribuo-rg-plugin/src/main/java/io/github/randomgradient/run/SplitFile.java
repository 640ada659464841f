package io.github.randomgradient.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.oracle.labs.mlrg.olcut.provenance.ObjectProvenance;
import com.oracle.labs.mlrg.olcut.provenance.PrimitiveProvenance;
import com.oracle.labs.mlrg.olcut.provenance.Provenance;
import com.oracle.labs.mlrg.olcut.util.Pair;
import io.github.randomgradient.config.Digests;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A train/validation split of a sweep's training data, stored once per sweep and content-addressed:
 * {@code <sweep output>/splits/<sha256>.json}, the SHA-256 of the file's bytes in its name. Each run
 * trains on a Tribuo {@code DatasetView} that does not record its indices (a 60,000-image split's
 * indices were 2.3 MB of every run directory); its tag names the file instead, e.g.
 * {@code sweep-train split=splits/<sha256>.json}, and {@link #verify} checks that the file is there,
 * unchanged, and holds as many indices as the view has examples.
 * <p>
 * The file holds {@code {"format":1,"validationFraction":..,"validationSeed":..,"train":[..],"validation":[..]}},
 * indices into the training data in ascending order, written the same way (bytes) by every JVM.
 *
 * @param sha256 The SHA-256 of {@code json}, lower-case hex.
 * @param json The file's bytes.
 */
public record SplitFile(String sha256, byte[] json) {

    /** The directory of split files in a sweep's output. */
    public static final String DIR = "splits";

    private static final Pattern TAG = Pattern.compile("split=" + DIR + "/([0-9a-f]{64})\\.json");

    /**
     * The split file of a split.
     * @param train The training indices.
     * @param validation The validation indices.
     * @param validationFraction The sweep's validation fraction.
     * @param validationSeed The sweep's validation seed.
     * @return The file's content and hash.
     */
    public static SplitFile of(int[] train, int[] validation, double validationFraction, long validationSeed) {
        Map<String, Object> content = new LinkedHashMap<>();
        content.put("format", 1);
        content.put("validationFraction", validationFraction);
        content.put("validationSeed", validationSeed);
        content.put("train", train);
        content.put("validation", validation);
        try {
            byte[] bytes = RunFiles.JSON.writer().without(com.fasterxml.jackson.databind.SerializationFeature.INDENT_OUTPUT)
                    .writeValueAsBytes(content);
            return new SplitFile(Digests.sha256(bytes), bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The tag of a view of this split.
     * @param role E.g. {@code sweep-train}.
     * @return E.g. {@code sweep-train split=splits/<sha256>.json}.
     */
    public String tag(String role) {
        return role + " split=" + DIR + "/" + sha256 + ".json";
    }

    /**
     * Writes the file into a sweep's output directory unless it is there already with these bytes
     * (content-addressed: every worker writes the same bytes; each writes a temporary file and renames
     * it). A file of that name with other bytes (altered or corrupt) is replaced, with a warning.
     * @param output The sweep's output directory.
     * @return The file.
     * @throws UncheckedIOException If it cannot be written.
     */
    public Path writeInto(Path output) {
        Path file = output.resolve(DIR).resolve(sha256 + ".json");
        boolean altered = false;
        try {
            if (Files.isRegularFile(file)) {
                if (java.util.Arrays.equals(Files.readAllBytes(file), json)) {
                    return file;
                }
                // The split is a function of the sweep's configuration, so an altered or corrupt copy is
                // rewritten, not trusted: otherwise every run that names it would fail its check and train again.
                altered = true;
            }
            Files.createDirectories(file.getParent());
            Path tmp = Files.createTempFile(file.getParent(), "." + sha256, ".tmp");
            Files.write(tmp, json);
            try {
                if (altered) {
                    Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                    java.util.logging.Logger.getLogger(SplitFile.class.getName()).warning("the split file " + file
                            + " did not hold the sweep's split (altered or corrupt): rewritten from the sweep's configuration");
                } else {
                    Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
                }
            } catch (FileAlreadyExistsException | AtomicMoveNotSupportedException e) {
                Files.deleteIfExists(tmp);
                if (!Files.isRegularFile(file)) {
                    throw e;
                }
            }
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException("could not write the sweep's split file " + file, e);
        }
    }

    /**
     * The split file a dataset provenance refers to: a view tagged by {@link #tag}.
     * @param dataset A dataset provenance (e.g. a model's {@code getDatasetProvenance()}).
     * @return The SHA-256 named by the tag, or empty (a run of a sweep written before split files, or no sweep).
     */
    public static Optional<String> referencedBy(ObjectProvenance dataset) {
        return value(dataset, "tag").map(TAG::matcher).filter(Matcher::find).map(m -> m.group(1));
    }

    private static Optional<String> value(ObjectProvenance p, String key) {
        for (Pair<String, Provenance> e : p) {
            if (e.getA().equals(key) && e.getB() instanceof PrimitiveProvenance<?> v) {
                return Optional.of(String.valueOf(v.getValue()));
            }
        }
        return Optional.empty();
    }

    /**
     * What {@link #verify} found.
     * @param file The split file.
     * @param train The number of training indices.
     * @param validation The number of validation indices.
     */
    public record Verified(Path file, int train, int validation) {
        /** @return E.g. {@code splits/ab12...json (51000 training, 9000 validation indices; SHA-256 verified)}. */
        public String describe() {
            return DIR + "/" + file.getFileName() + " (" + train + " training, " + validation + " validation indices; SHA-256 verified)";
        }
    }

    /**
     * Checks the split file a run's training data refers to, if it refers to one: it must be in the
     * sweep's {@value #DIR} directory (two levels above the run directory, {@code <sweep>/runs/<run>/}),
     * have the SHA-256 its name and the tag give, and hold as many indices of the view's role
     * ({@code train} for {@code sweep-train}, else {@code validation}) as the view records examples.
     * @param runDir The run directory.
     * @param dataset The run's training dataset provenance.
     * @return What was verified, or empty if the provenance refers to no split file (then its indices, if any, are inline).
     * @throws IllegalArgumentException If the file is missing, altered or does not match; the message names it and what to do.
     */
    public static Optional<Verified> verify(Path runDir, ObjectProvenance dataset) {
        Optional<String> sha = referencedBy(dataset);
        if (sha.isEmpty()) {
            return Optional.empty();
        }
        Path parent = runDir.toAbsolutePath().normalize().getParent();
        Path file = (parent == null || parent.getParent() == null ? runDir : parent.getParent()).resolve(DIR).resolve(sha.get() + ".json");
        String run = "run directory " + runDir + " trains on the split " + DIR + "/" + sha.get() + ".json";
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException(run + ", but " + file + " is missing: keep the sweep's " + DIR
                    + " directory with its runs (copy it along with runs/)");
        }
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new IllegalArgumentException(run + ", but " + file + " could not be read: " + e.getMessage(), e);
        }
        String actual = Digests.sha256(bytes);
        if (!actual.equals(sha.get())) {
            throw new IllegalArgumentException(run + ", but the SHA-256 of " + file + " is " + actual + ": the file was altered");
        }
        JsonNode tree;
        try {
            tree = RunFiles.JSON.readTree(bytes);
        } catch (IOException e) {
            throw new IllegalArgumentException(run + ", but " + file + " is not JSON: " + e.getMessage(), e);
        }
        int train = tree.path("train").size();
        int validation = tree.path("validation").size();
        String tag = value(dataset, "tag").orElse("");
        int expected = tag.startsWith("sweep-train") ? train : validation;
        Optional<String> size = value(dataset, "size");
        if (size.isPresent() && Integer.parseInt(size.get()) != expected) {
            throw new IllegalArgumentException(run + " with " + size.get() + " examples, but " + file + " holds " + expected
                    + " indices for it: the file belongs to another sweep");
        }
        return Optional.of(new Verified(file, train, validation));
    }
}

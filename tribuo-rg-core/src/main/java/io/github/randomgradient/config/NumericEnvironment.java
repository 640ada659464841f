package io.github.randomgradient.config;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What decides the floating-point results of a training run besides its configuration, data and
 * seed: the CPU and the instruction sets its kernels may use, the ISA pins in effect, the libtorch
 * and DJL versions, the thread counts, the GPU, and whether reproducible mode was on.
 * <p>
 * libtorch picks its kernels (ATen's vectorised loops, oneDNN's convolutions, MKL's BLAS) by the
 * CPU's instruction set, and their summation orders differ, so the same run gives different
 * parameters on an AVX2 and an AVX-512 machine. Runs whose {@link #digest()} differs must not be
 * mixed in one comparison without saying so.
 * <p>
 * The value is an ordered list of {@code key=value} fields with a canonical one-line form
 * ({@link #canonical()}, parsed back by {@link #parse(String)}). In reproducible mode the CPU's
 * model and flags do not decide the numbers (every kernel is pinned to AVX2), so
 * {@link #identity()}, and with it {@link #digest()}, leaves them out.
 */
public final class NumericEnvironment {

    /**
     * Key of a model's instance (run) provenance under which a trainer records the canonical form
     * of the environment it trained in: {@value}.
     */
    public static final String PROVENANCE_KEY = "numeric-environment";

    /** CPU model name, e.g. {@code AMD EPYC}. */
    public static final String CPU = "cpu";
    /** The CPU flags that matter, sorted, comma-separated, e.g. {@code avx2,avx512f}. */
    public static final String CPU_FLAGS = "cpu-flags";
    /** {@code ATEN_CPU_CAPABILITY} as set, or {@code auto}. */
    public static final String ATEN = "aten-cpu-capability";
    /** {@code ONEDNN_MAX_CPU_ISA} as set, or {@code auto}. */
    public static final String ONEDNN = "onednn-max-cpu-isa";
    /** {@code MKL_CBWR} as set, or {@code auto}. */
    public static final String MKL_CBWR = "mkl-cbwr";
    /** {@code MKL_ENABLE_INSTRUCTIONS} as set, or {@code auto}. */
    public static final String MKL_INSTRUCTIONS = "mkl-enable-instructions";
    /** libtorch version. */
    public static final String LIBTORCH = "libtorch";
    /** DJL version. */
    public static final String DJL = "djl";
    /** Intra-op threads. */
    public static final String THREADS = "threads";
    /** Inter-op threads. */
    public static final String INTEROP_THREADS = "interop-threads";
    /** GPU: {@code none}, or the devices, CUDA version and compute capability. */
    public static final String GPU = "gpu";
    /** {@code true} in reproducible mode. */
    public static final String REPRODUCIBLE = "reproducible";

    /** Fields that reproducible mode makes irrelevant to the numbers. */
    private static final List<String> HARDWARE = List.of(CPU, CPU_FLAGS);

    private final Map<String, String> fields;

    private NumericEnvironment(Map<String, String> fields) {
        this.fields = Collections.unmodifiableMap(new LinkedHashMap<>(fields));
    }

    /**
     * Builds an environment from its fields.
     * @param fields Ordered fields, e.g. those named by this class's constants; keys and values
     *     must not contain {@code ';'} or {@code '='}, values not {@code ';'}.
     * @return The environment.
     * @throws IllegalArgumentException If a key is empty or a key or value contains {@code ';'}.
     */
    public static NumericEnvironment of(Map<String, String> fields) {
        for (Map.Entry<String, String> e : fields.entrySet()) {
            if (e.getKey().isEmpty() || e.getKey().contains(";") || e.getKey().contains("=")
                    || Objects.requireNonNull(e.getValue(), e.getKey()).contains(";")) {
                throw new IllegalArgumentException("bad numeric-environment field '" + e.getKey() + "=" + e.getValue() + "'");
            }
        }
        return new NumericEnvironment(fields);
    }

    /**
     * Parses {@link #canonical()}.
     * @param canonical The canonical form.
     * @return The environment.
     * @throws IllegalArgumentException If a field has no {@code '='}.
     */
    public static NumericEnvironment parse(String canonical) {
        Map<String, String> m = new LinkedHashMap<>();
        for (String part : canonical.split(";")) {
            if (part.isEmpty()) {
                continue;
            }
            int eq = part.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("not a numeric environment (field '" + part + "' has no key=value): " + canonical);
            }
            m.put(part.substring(0, eq), part.substring(eq + 1));
        }
        return of(m);
    }

    /**
     * The fields.
     * @return Unmodifiable, in order.
     */
    public Map<String, String> fields() {
        return fields;
    }

    /**
     * A field.
     * @param key The key.
     * @return Its value, or {@code unknown}.
     */
    public String get(String key) {
        return fields.getOrDefault(key, "unknown");
    }

    /**
     * Was reproducible mode on?
     * @return True if {@value #REPRODUCIBLE} is {@code true}.
     */
    public boolean reproducible() {
        return Boolean.parseBoolean(fields.get(REPRODUCIBLE));
    }

    /**
     * Every field as {@code key=value}, joined by {@code ';'}.
     * @return The canonical form.
     */
    public String canonical() {
        return join(fields);
    }

    /**
     * The fields that decide the numbers: all of them, or in reproducible mode all but the CPU's
     * model and flags.
     * @return Canonical form of those fields.
     */
    public String identity() {
        Map<String, String> m = new LinkedHashMap<>(fields);
        if (reproducible()) {
            HARDWARE.forEach(m::remove);
        }
        return join(m);
    }

    /**
     * A short digest of {@link #identity()}: two runs with the same digest ran in environments
     * that give the same numbers.
     * @return The first 12 hex digits of the SHA-256 of {@link #identity()}.
     */
    public String digest() {
        return Digests.sha256(identity()).substring(0, 12);
    }

    /**
     * The fields in which two environments differ, for messages (compare {@link #digest()} to decide).
     * @param other The other environment.
     * @return Entries like {@code onednn-max-cpu-isa: auto -> AVX2}; empty if the fields are equal.
     */
    public List<String> differences(NumericEnvironment other) {
        Map<String, String> a = fields;
        Map<String, String> b = other.fields;
        List<String> out = new ArrayList<>();
        LinkedHashMap<String, String> keys = new LinkedHashMap<>(a);
        b.forEach(keys::putIfAbsent);
        for (String k : keys.keySet()) {
            String x = a.getOrDefault(k, "absent");
            String y = b.getOrDefault(k, "absent");
            if (!x.equals(y)) {
                out.add(k + ": " + x + " -> " + y);
            }
        }
        return out;
    }

    private static String join(Map<String, String> m) {
        StringBuilder sb = new StringBuilder();
        m.forEach((k, v) -> sb.append(sb.length() == 0 ? "" : ";").append(k).append('=').append(v));
        return sb.toString();
    }

    /**
     * The canonical form with its digest, for messages and {@code audit}.
     * @return e.g. {@code 1a2b3c4d5e6f (cpu=...;...)}.
     */
    @Override
    public String toString() {
        return digest() + " (" + canonical() + ")";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof NumericEnvironment n && n.fields.equals(fields);
    }

    @Override
    public int hashCode() {
        return fields.hashCode();
    }
}

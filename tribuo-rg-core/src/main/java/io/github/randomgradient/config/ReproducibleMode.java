package io.github.randomgradient.config;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reproducible mode: the environment variables that pin every libtorch kernel choice to a baseline
 * that all x86-64 machines with AVX2 share, so that the same configuration gives bitwise-identical
 * parameters on any such machine.
 * <p>
 * libtorch reads these variables once, when its native library loads, so they must be in the
 * process environment before the JVM starts: the {@code tribuo-rg} launcher exports them for
 * {@code --reproducible}, and sweep workers (local or on Spark executors) get them from
 * {@link #applyTo(Map)}. A JVM started with {@code -D}{@value #PROPERTY}{@code =true} is in
 * reproducible mode; the trainer refuses to train there unless {@link #problems(Map)} is empty.
 * <p>
 * Measured on libtorch 2.7.1 (DJL 0.36.0, an AVX-512 CPU; docs/gpu-and-audit.md): ATen's
 * vectorised loops ({@code ATEN_CPU_CAPABILITY}) and oneDNN's convolutions
 * ({@code ONEDNN_MAX_CPU_ISA}) each change a CNN's parameters; the statically linked MKL
 * ({@code MKL_CBWR}, {@code MKL_ENABLE_INSTRUCTIONS}) did not on that CNN but is pinned too, as
 * Intel documents its Conditional Numerical Reproducibility for exactly this purpose.
 */
public final class ReproducibleMode {

    /** The system property that turns reproducible mode on in a JVM: {@value}. */
    public static final String PROPERTY = "tribuo.rg.reproducible";

    /** The pins, in the order they are reported. */
    private static final Map<String, String> PINS;

    static {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("ATEN_CPU_CAPABILITY", "avx2");
        m.put("ONEDNN_MAX_CPU_ISA", "AVX2");
        m.put("MKL_CBWR", "AVX2,STRICT");
        m.put("MKL_ENABLE_INSTRUCTIONS", "AVX2");
        m.put("OMP_NUM_THREADS", "1");
        m.put("MKL_NUM_THREADS", "1");
        PINS = Collections.unmodifiableMap(m);
    }

    private ReproducibleMode() {}

    /**
     * The environment variables of reproducible mode and their values.
     * @return An unmodifiable, ordered map.
     */
    public static Map<String, String> pins() {
        return PINS;
    }

    /**
     * Is reproducible mode requested in this JVM ({@code -D}{@value #PROPERTY}{@code =true})?
     * @return True if the property is {@code true}.
     */
    public static boolean requested() {
        return Boolean.parseBoolean(System.getProperty(PROPERTY, "false"));
    }

    /**
     * Puts the pins into a process environment (e.g. {@code ProcessBuilder.environment()}),
     * replacing whatever values it held.
     * @param environment The environment to change.
     * @return The variables whose earlier, different value was replaced, as {@code NAME=old}.
     */
    public static List<String> applyTo(Map<String, String> environment) {
        List<String> replaced = new ArrayList<>();
        for (Map.Entry<String, String> e : PINS.entrySet()) {
            String old = environment.put(e.getKey(), e.getValue());
            if (old != null && !old.equals(e.getValue())) {
                replaced.add(e.getKey() + "=" + old);
            }
        }
        return replaced;
    }

    /**
     * What keeps an environment from being pinned.
     * @param environment A process environment, e.g. {@code System.getenv()}.
     * @return One entry per variable that is missing or has another value, e.g.
     *     {@code ONEDNN_MAX_CPU_ISA is unset (needs AVX2)}; empty if the environment is pinned.
     */
    public static List<String> problems(Map<String, String> environment) {
        List<String> out = new ArrayList<>();
        for (Map.Entry<String, String> e : PINS.entrySet()) {
            String v = environment.get(e.getKey());
            if (v == null) {
                out.add(e.getKey() + " is unset (needs " + e.getValue() + ")");
            } else if (!v.equals(e.getValue())) {
                out.add(e.getKey() + "=" + v + " (needs " + e.getValue() + ")");
            }
        }
        return out;
    }

    /**
     * Throws unless the environment is pinned.
     * @param environment The process environment, e.g. {@code System.getenv()}.
     * @param what What needs the pins, for the message, e.g. {@code "DJLTrainer"}.
     * @throws IllegalStateException If a pin is missing or different; the one-line message names
     *     every variable and how to start the process.
     */
    public static void requirePinned(Map<String, String> environment, String what) {
        List<String> p = problems(environment);
        if (!p.isEmpty()) {
            throw new IllegalStateException(what + ": reproducible mode (" + PROPERTY + "=true) needs these environment variables "
                    + "set before the JVM starts (libtorch reads them when it loads): " + String.join(", ", p)
                    + "; start with ./tribuo-rg ... --reproducible, or export " + exports());
        }
    }

    /**
     * The pins as shell exports.
     * @return e.g. {@code ATEN_CPU_CAPABILITY=avx2 ONEDNN_MAX_CPU_ISA=AVX2 ...}.
     */
    public static String exports() {
        StringBuilder sb = new StringBuilder();
        PINS.forEach((k, v) -> sb.append(sb.length() == 0 ? "" : " ").append(k).append('=').append(v));
        return sb.toString();
    }
}

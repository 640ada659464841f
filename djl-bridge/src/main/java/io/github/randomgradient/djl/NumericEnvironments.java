package io.github.randomgradient.djl;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.util.cuda.CudaUtils;
import io.github.randomgradient.config.NumericEnvironment;
import io.github.randomgradient.config.ReproducibleMode;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.logging.Logger;
import java.util.stream.Collectors;

/**
 * Reads this process's {@link NumericEnvironment}: the CPU model and the instruction-set flags that
 * libtorch's kernel choice depends on (from {@code /proc/cpuinfo} on Linux), the ISA pins in the
 * environment ({@code ATEN_CPU_CAPABILITY}, {@code ONEDNN_MAX_CPU_ISA}, {@code MKL_CBWR},
 * {@code MKL_ENABLE_INSTRUCTIONS}; {@code auto} when unset, meaning the CPU's best), the libtorch and
 * DJL versions, PyTorch's thread counts, the GPUs, and whether reproducible mode is on.
 * <p>
 * DJL 0.36 exposes neither ATen's chosen capability nor oneDNN's ISA, so the environment records
 * what decides them: the pins and the CPU flags (ATen uses AVX-512 when the CPU has
 * avx512f/bw/vl/dq and {@code ATEN_CPU_CAPABILITY} does not lower it; oneDNN its best ISA up to
 * {@code ONEDNN_MAX_CPU_ISA}; {@code ONEDNN_VERBOSE=1} prints the one in use).
 */
public final class NumericEnvironments {

    private static final Logger logger = Logger.getLogger(NumericEnvironments.class.getName());

    /** The CPU flags recorded: those that change which kernels libtorch, oneDNN and MKL pick. */
    static final List<String> FLAGS = List.of("avx2", "fma", "avx512f", "avx512bw", "avx512vl", "avx512dq",
            "avx512_vnni", "avx512_bf16", "avx512_fp16", "amx_tile", "amx_bf16", "amx_int8");

    private static String cpuModel;
    private static String cpuFlags;

    private NumericEnvironments() {}

    /**
     * The environment of this process, starting the engine if it has not started (with
     * {@code ai.djl.pytorch.num_threads} threads).
     * @return The environment: reproducible iff {@link ReproducibleMode#requested()}.
     * @throws IllegalStateException If the engine cannot start.
     */
    public static NumericEnvironment current() {
        Engine engine = DJLEngine.engine();
        return of(engine, JniUtils.getNumThreads(), ReproducibleMode.requested(), System.getenv());
    }

    /**
     * An environment from a started engine.
     * @param engine The engine.
     * @param threads PyTorch intra-op threads of the run.
     * @param reproducible Reproducible mode.
     * @param env The process environment.
     * @return The environment.
     */
    static NumericEnvironment of(Engine engine, int threads, boolean reproducible, Map<String, String> env) {
        Map<String, String> m = new LinkedHashMap<>();
        readCpu();
        m.put(NumericEnvironment.CPU, cpuModel);
        m.put(NumericEnvironment.CPU_FLAGS, cpuFlags);
        m.put(NumericEnvironment.ATEN, env.getOrDefault("ATEN_CPU_CAPABILITY", "auto"));
        m.put(NumericEnvironment.ONEDNN, env.getOrDefault("ONEDNN_MAX_CPU_ISA", env.getOrDefault("DNNL_MAX_CPU_ISA", "auto")));
        m.put(NumericEnvironment.MKL_CBWR, env.getOrDefault("MKL_CBWR", "auto"));
        m.put(NumericEnvironment.MKL_INSTRUCTIONS, env.getOrDefault("MKL_ENABLE_INSTRUCTIONS", "auto"));
        m.put(NumericEnvironment.LIBTORCH, engine.getVersion());
        m.put(NumericEnvironment.DJL, Engine.getDjlVersion());
        m.put(NumericEnvironment.THREADS, Integer.toString(threads));
        m.put(NumericEnvironment.INTEROP_THREADS, Integer.toString(JniUtils.getNumInteropThreads()));
        m.put(NumericEnvironment.GPU, gpu(engine));
        m.put(NumericEnvironment.REPRODUCIBLE, Boolean.toString(reproducible));
        return NumericEnvironment.of(m);
    }

    private static String gpu(Engine engine) {
        int gpus = engine.getGpuCount();
        if (gpus == 0) {
            return "none";
        }
        StringBuilder sb = new StringBuilder();
        sb.append(gpus).append("x cuda ").append(CudaUtils.getCudaVersionString());
        for (int i = 0; i < gpus; i++) {
            sb.append(" sm").append(CudaUtils.getComputeCapability(i));
        }
        // DJL 0.36 exposes neither the GPU's name, cuDNN's version nor torch.use_deterministic_algorithms.
        sb.append(" cudnn-benchmark=").append(System.getProperty("ai.djl.pytorch.cudnn_benchmark", "false"));
        return sb.toString().replace(';', ',').replace('=', ':');
    }

    private static synchronized void readCpu() {
        if (cpuModel != null) {
            return;
        }
        String model = System.getProperty("os.arch");
        Set<String> flags = new TreeSet<>();
        Path info = Path.of("/proc/cpuinfo");
        if (Files.isReadable(info)) {
            try {
                for (String line : Files.readAllLines(info, StandardCharsets.UTF_8)) {
                    int colon = line.indexOf(':');
                    if (colon < 0) {
                        continue;
                    }
                    String key = line.substring(0, colon).trim();
                    String value = line.substring(colon + 1).trim();
                    if (key.equals("model name") && model.equals(System.getProperty("os.arch"))) {
                        model = value;
                    } else if (key.equals("flags") && flags.isEmpty()) {
                        Set<String> have = Arrays.stream(value.split("\\s+")).collect(Collectors.toSet());
                        FLAGS.stream().filter(have::contains).forEach(flags::add);
                    }
                }
            } catch (IOException e) {
                logger.fine("could not read /proc/cpuinfo: " + e.getMessage());
            }
        }
        String clean = model.replace(';', ',').replaceAll("\\s+", " ").trim();
        cpuModel = clean.isEmpty() ? "unknown" : clean;
        cpuFlags = flags.isEmpty() ? "none" : String.join(",", flags);
    }
}

package io.github.randomgradient.djl;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.pytorch.jni.JniUtils;

import java.util.Locale;
import java.util.logging.Logger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Starts and configures DJL's PyTorch engine for this library.
 * <p>
 * Before the engine starts, DJL is put in offline mode ({@code ai.djl.offline=true}) and its usage
 * tracking is disabled ({@code OPT_OUT_TRACKING=true}; otherwise engine start probes a cloud
 * metadata address), unless the user set these properties. PyTorch's inter-op pool is given one
 * thread and the intra-op pool the requested number: on small machines more threads than cores,
 * or any competing load, slowed training 15-200x in our measurements. On Linux, with
 * {@code -Dtribuo.rg.tuneMalloc=true}, glibc's allocator is told to keep per-step tensor memory
 * ({@link NativeAllocator}; opt-in): the first epoch on the full Fashion-MNIST went from 50 s to 21 s.
 * <p>
 * GPUs: the Maven build ships the CPU build of libtorch. No CUDA native jar is published on Maven
 * Central for DJL 0.36.0, so GPU runs point DJL at a local CUDA libtorch 2.7.1 with the environment
 * variables {@code PYTORCH_LIBRARY_PATH} and {@code PYTORCH_FLAVOR} (e.g. {@code cu128}).
 */
public final class DJLEngine {

    private static final Logger logger = Logger.getLogger(DJLEngine.class.getName());

    /** The DJL engine name used by this library. */
    public static final String ENGINE_NAME = "PyTorch";

    /** Accepted {@code device} values: {@code auto}, {@code cpu}, {@code gpu}, {@code gpu:N}. */
    private static final Pattern DEVICE = Pattern.compile("auto|cpu|gpu(?::(\\d+))?");

    /** How to get a GPU build, shown whenever a GPU was requested and none was found. */
    public static final String GPU_HELP = "The Maven build ships the CPU build of libtorch and no CUDA native jar is "
            + "published on Maven Central for DJL 0.36.0: download a CUDA build of libtorch 2.7.1, then start the JVM with "
            + "PYTORCH_LIBRARY_PATH=/path/to/libtorch/lib and PYTORCH_FLAVOR=cu128 (your CUDA flavour) set, "
            + "or use device=cpu.";

    private static boolean started = false;

    private DJLEngine() {}

    /**
     * Returns DJL's PyTorch engine, starting it offline, without tracking and with one inter-op thread
     * if this is the first call, then sets the intra-op thread count.
     * @param numThreads PyTorch intra-op threads, at least 1.
     * @return The engine.
     * @throws IllegalArgumentException If {@code numThreads < 1}.
     * @throws IllegalStateException If the PyTorch native library cannot be loaded (the message says how to fix it),
     *     or if reproducible mode is requested ({@code -Dtribuo.rg.reproducible=true}) in a process whose
     *     environment lacks its pins ({@link io.github.randomgradient.config.ReproducibleMode#requirePinned}).
     */
    public static synchronized Engine engine(int numThreads) {
        if (numThreads < 1) {
            throw new IllegalArgumentException("numThreads must be >= 1, found " + numThreads);
        }
        if (!started) {
            if (io.github.randomgradient.config.ReproducibleMode.requested()) {
                io.github.randomgradient.config.ReproducibleMode.requirePinned(System.getenv(), "DJL's PyTorch engine");
            }
            setIfAbsent("ai.djl.offline", "true");
            if (System.getenv("OPT_OUT_TRACKING") == null) {
                setIfAbsent("OPT_OUT_TRACKING", "true");
            }
            setIfAbsent("ai.djl.pytorch.num_interop_threads", "1");
            setIfAbsent("ai.djl.pytorch.num_threads", Integer.toString(numThreads));
            setIfAbsent("ai.djl.pytorch.graph_optimizer", "false");
            NativeAllocator.tune();
        }
        Engine engine;
        try {
            engine = Engine.getEngine(ENGINE_NAME);
        } catch (RuntimeException e) {
            throw new IllegalStateException("DJL's PyTorch engine could not start: " + e.getMessage()
                    + ". Check that ai.djl.pytorch:pytorch-native-cpu (or PYTORCH_LIBRARY_PATH for a local libtorch) "
                    + "is available and that ai.djl.offline=true can find the native library.", e);
        }
        started = true;
        if (JniUtils.getNumThreads() != numThreads) {
            JniUtils.setNumThreads(numThreads);
        }
        return engine;
    }

    /**
     * Returns DJL's PyTorch engine without changing its thread count; if it has not started yet it
     * starts as in {@link #engine(int)} with {@code ai.djl.pytorch.num_threads} threads (1 if unset).
     * @return The engine.
     * @throws IllegalStateException If the PyTorch native library cannot be loaded.
     */
    public static synchronized Engine engine() {
        if (started) {
            return Engine.getEngine(ENGINE_NAME);
        }
        return engine(Integer.getInteger("ai.djl.pytorch.num_threads", 1));
    }

    /**
     * Has this library started the engine in this JVM? Provenance asks, so that building it never starts the engine.
     * @return True once {@link #engine(int)} has succeeded.
     */
    public static synchronized boolean isStarted() {
        return started;
    }

    /**
     * The PyTorch version: the running engine's if it has started, otherwise the version the DJL
     * PyTorch engine was built for (read from its jar, without starting the engine).
     * @return For example {@code 2.7.1}, or {@code unknown}.
     */
    public static synchronized String pytorchVersion() {
        if (started) {
            return Engine.getEngine(ENGINE_NAME).getVersion();
        }
        java.util.Properties p = new java.util.Properties();
        try (java.io.InputStream in = Engine.class.getClassLoader().getResourceAsStream("pytorch-engine.properties")) {
            if (in != null) {
                p.load(in);
            }
        } catch (java.io.IOException e) {
            logger.fine("could not read pytorch-engine.properties: " + e.getMessage());
        }
        return p.getProperty("pytorch_version", "unknown");
    }

    /**
     * The resolved devices if the engine has started, without starting it.
     * @param device The configured device.
     * @param numDevices The configured number of devices.
     * @return As {@link #describe(Engine, String, int)}, or {@code unresolved(device)} before the engine starts.
     */
    static synchronized String describeIfStarted(String device, int numDevices) {
        return started ? describe(Engine.getEngine(ENGINE_NAME), device, numDevices) : "unresolved(" + device + ")";
    }

    private static void setIfAbsent(String key, String value) {
        if (System.getProperty(key) == null) {
            System.setProperty(key, value);
        }
    }

    /**
     * Checks the syntax of a device string.
     * @param device The configured device.
     * @return True if it is {@code auto}, {@code cpu}, {@code gpu} or {@code gpu:N}.
     */
    public static boolean isValidDevice(String device) {
        return device != null && DEVICE.matcher(device.toLowerCase(Locale.ROOT)).matches();
    }

    /**
     * Resolves the configured device into the devices to train on.
     * @param engine The engine.
     * @param device {@code auto} (GPUs if DJL reports any, else the CPU), {@code cpu}, {@code gpu}
     *               (GPUs from 0) or {@code gpu:N} (GPUs from N).
     * @param numDevices The number of devices for data parallelism, at least 1.
     * @return The devices, first one holding the master copy of the parameters.
     * @throws IllegalArgumentException If the device string is invalid, a GPU was requested and none is
     *                                  available (the message says how to provide CUDA libtorch), or more
     *                                  devices were requested than exist.
     */
    public static Device[] resolve(Engine engine, String device, int numDevices) {
        if (!isValidDevice(device)) {
            throw new IllegalArgumentException("device must be auto, cpu, gpu or gpu:N, found '" + device + "'");
        }
        if (numDevices < 1) {
            throw new IllegalArgumentException("numDevices must be >= 1, found " + numDevices);
        }
        String d = device.toLowerCase(Locale.ROOT);
        int gpus = engine.getGpuCount();
        if (d.equals("auto")) {
            d = gpus > 0 ? "gpu" : "cpu";
        }
        if (d.equals("cpu")) {
            if (numDevices > 1) {
                throw new IllegalArgumentException("numDevices=" + numDevices + " needs " + numDevices
                        + " GPUs, but device resolves to the CPU (DJL reports " + gpus + " GPUs). " + GPU_HELP);
            }
            return new Device[]{Device.cpu()};
        }
        Matcher m = DEVICE.matcher(d);
        m.matches();
        int first = m.group(1) == null ? 0 : Integer.parseInt(m.group(1));
        if (gpus == 0) {
            throw new IllegalArgumentException("device=" + device + " requests a GPU, but DJL's PyTorch engine "
                    + engine.getVersion() + " reports none. " + GPU_HELP);
        }
        if (first + numDevices > gpus) {
            throw new IllegalArgumentException("device=" + device + " with numDevices=" + numDevices + " needs GPUs "
                    + first + ".." + (first + numDevices - 1) + ", but DJL reports " + gpus + " GPUs");
        }
        Device[] out = new Device[numDevices];
        for (int i = 0; i < numDevices; i++) {
            out[i] = Device.gpu(first + i);
        }
        return out;
    }

    /**
     * Resolves a device without failing, for provenance.
     * @param engine The engine.
     * @param device The configured device.
     * @param numDevices The configured number of devices.
     * @return The resolved devices as text, e.g. {@code cpu()} or {@code gpu(0),gpu(1)}, or
     *         {@code unavailable(gpu)} if they cannot be resolved.
     */
    static String describe(Engine engine, String device, int numDevices) {
        try {
            StringBuilder sb = new StringBuilder();
            for (Device dev : resolve(engine, device, numDevices)) {
                if (sb.length() > 0) {
                    sb.append(',');
                }
                sb.append(dev);
            }
            return sb.toString();
        } catch (IllegalArgumentException e) {
            logger.fine("device cannot be resolved for provenance: " + e.getMessage());
            return "unavailable(" + device + ")";
        }
    }
}

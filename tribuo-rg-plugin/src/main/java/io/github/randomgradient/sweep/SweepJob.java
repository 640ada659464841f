package io.github.randomgradient.sweep;

import java.io.Serializable;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What an engine needs to run a plan's runs (a sweep's or an experiment's, {@link RunPlan}) in worker
 * processes: the config files (absolute paths), the plan's component name and kind with the options that
 * shape it, the output directory, the working directory that relative
 * data paths resolve against, the worker count, and the worker JVM's classpath and system
 * properties. Serialisable, so a Spark driver can ship it to its executors.
 *
 * @param configFiles The config files, absolute.
 * @param sweepName The plan's component name (the {@code Sweep}'s or the {@code Experiment}'s).
 * @param output The output directory, absolute (shared storage for a cluster engine).
 * @param workingDirectory The directory relative paths in the configs resolve against.
 * @param data The {@code --data} value replacing the sweep's IDX sources (an absolute directory), empty for none.
 * @param workers The number of worker processes (or concurrent tasks).
 * @param classpath The worker JVM's classpath: the distribution, with the DJL and PyTorch jars.
 * @param systemProperties System properties of the worker JVM.
 * @param jvmOptions Options of the worker JVM before the system properties, e.g. {@code -XX:+UseSerialGC}.
 * @param planKind {@link RunPlan#SWEEP} or {@link RunPlan#EXPERIMENT}: how a worker rebuilds the plan.
 * @param planArgs Worker arguments that shape the plan as the coordinator's options did (an experiment's
 *                 {@code --seeds}, {@code --epochs}, {@code --data}), empty for none.
 */
public record SweepJob(List<String> configFiles, String sweepName, String output, String workingDirectory, String data, int workers,
                       String classpath, Map<String, String> systemProperties, List<String> jvmOptions, String planKind,
                       List<String> planArgs) implements Serializable {

    /**
     * A sweep's job.
     * @param configFiles The config files, absolute.
     * @param sweepName The sweep's component name.
     * @param output The output directory, absolute.
     * @param workingDirectory The directory relative paths in the configs resolve against.
     * @param data The {@code --data} directory, absolute, empty for none.
     * @param workers The number of worker processes.
     * @param classpath The worker JVM's classpath.
     * @param systemProperties System properties of the worker JVM.
     * @param jvmOptions Options of the worker JVM.
     */
    public SweepJob(List<String> configFiles, String sweepName, String output, String workingDirectory, String data, int workers,
                    String classpath, Map<String, String> systemProperties, List<String> jvmOptions) {
        this(configFiles, sweepName, output, workingDirectory, data, workers, classpath, systemProperties, jvmOptions,
                RunPlan.SWEEP, List.of());
    }

    /**
     * This job for another kind of plan.
     * @param kind {@link RunPlan#SWEEP} or {@link RunPlan#EXPERIMENT}.
     * @param args The worker arguments that shape the plan.
     * @return The job.
     */
    public SweepJob forPlan(String kind, List<String> args) {
        return new SweepJob(configFiles, sweepName, output, workingDirectory, data, workers, classpath, systemProperties, jvmOptions,
                kind, List.copyOf(args));
    }

    /**
     * This job with another worker classpath (a cluster's).
     * @param workerClasspath The classpath.
     * @return The job.
     */
    public SweepJob withClasspath(String workerClasspath) {
        return new SweepJob(configFiles, sweepName, output, workingDirectory, data, workers, workerClasspath, systemProperties,
                jvmOptions, planKind, planArgs);
    }

    /**
     * The system property that replaces {@link #DEFAULT_JVM_OPTIONS}: whitespace-separated JVM options,
     * e.g. {@code -Dtribuo.rg.worker.jvmOptions=-XX:+UseG1GC}. The {@code tribuo-rg} launcher splits
     * {@code JAVA_OPTS} at spaces, so through it the value can hold one option.
     */
    public static final String JVM_OPTIONS_PROPERTY = "tribuo.rg.worker.jvmOptions";

    /**
     * The worker JVM's default options. A worker trains with one PyTorch thread; with as many workers
     * as cores, each JVM's own garbage-collector and JIT-compiler threads compete with the other
     * workers' training threads, so the serial collector (no GC threads) is used.
     */
    public static final List<String> DEFAULT_JVM_OPTIONS = List.of("-XX:+UseSerialGC");

    /** The worker JVM's fixed settings: DJL offline and untracked, one PyTorch thread, headless. */
    public static final Map<String, String> WORKER_PROPERTIES = Map.of(
            "ai.djl.offline", "true",
            "OPT_OUT_TRACKING", "true",
            "ai.djl.pytorch.num_threads", "1",
            "ai.djl.pytorch.num_interop_threads", "1",
            "java.awt.headless", "true");

    /**
     * The settings DJL reads from a system property or else the environment variable of the same name
     * ({@code ai.djl.util.Utils.getEnvOrSystemProperty}): the native and model cache directories and
     * the PyTorch library to load. Given as {@code -D} to the coordinator (or, on Spark, to the driver),
     * they reach every worker process as {@code -D}, so workers use the same cache as the probe that checked it.
     */
    public static final List<String> ENGINE_PROPERTIES = List.of("ENGINE_CACHE_DIR", "DJL_CACHE_DIR", "PYTORCH_LIBRARY_PATH",
            "PYTORCH_VERSION", "PYTORCH_FLAVOR", "PYTORCH_PRECXX11");

    /**
     * A job with this JVM's classpath and its {@code ai.djl.*}, {@code tribuo.rg.*} and {@link #ENGINE_PROPERTIES}
     * system properties on top of {@link #WORKER_PROPERTIES}.
     * @param configFiles The config files.
     * @param sweepName The sweep's component name.
     * @param output The output directory.
     * @param data The data directory replacing the sweep's IDX sources, or null.
     * @param workers The number of workers.
     * @return The job.
     */
    public static SweepJob ofThisJvm(List<String> configFiles, String sweepName, Path output, Path data, int workers) {
        Map<String, String> props = new TreeMap<>(WORKER_PROPERTIES);
        for (String k : System.getProperties().stringPropertyNames()) {
            if (k.startsWith("ai.djl.") || k.startsWith("java.util.logging.") || k.startsWith("tribuo.rg.") || ENGINE_PROPERTIES.contains(k)) {
                props.put(k, System.getProperty(k));
            }
        }
        props.putAll(WORKER_PROPERTIES);
        List<String> files = configFiles.stream().map(f -> Path.of(f).toAbsolutePath().normalize().toString()).toList();
        String cp = System.getProperty("tribuo.rg.worker.classpath", System.getProperty("java.class.path"));
        String options = System.getProperty(JVM_OPTIONS_PROPERTY);
        List<String> jvmOptions = options == null ? DEFAULT_JVM_OPTIONS
                : java.util.Arrays.stream(options.trim().split("\\s+")).filter(o -> !o.isEmpty()).toList();
        return new SweepJob(files, sweepName, output.toAbsolutePath().normalize().toString(),
                Path.of("").toAbsolutePath().toString(), data == null ? "" : data.toAbsolutePath().normalize().toString(), workers, cp, props,
                jvmOptions);
    }

    /**
     * Starts {@code java <jvmOptions> -version} once, so that an option the worker JVM rejects
     * (e.g. a misspelt {@value #JVM_OPTIONS_PROPERTY}) stops the sweep before anything trains
     * instead of failing every run in turn.
     * @throws SweepException If the JVM rejects the options; the message names the property, the
     *                        options and the JVM's first line of complaint.
     */
    public void checkJvmOptions() {
        if (jvmOptions.isEmpty()) {
            return;
        }
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(jvmOptions);
        cmd.add("-version");
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String output = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            if (p.waitFor() != 0) {
                String first = output.lines().map(String::strip).filter(l -> !l.isEmpty())
                        .reduce((a, b) -> a + " " + b).orElse("exit status " + p.exitValue());
                throw new SweepException("the sweep workers' JVM options " + jvmOptions + " (" + JVM_OPTIONS_PROPERTY
                        + ") are rejected by " + cmd.get(0) + ": " + first);
            }
        } catch (java.io.IOException e) {
            throw new SweepException("could not start a worker JVM (" + cmd.get(0) + "): " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SweepException("interrupted while checking the worker JVM options", e);
        }
    }

    /**
     * The worker's command line.
     * @param extraArgs Arguments after the config, e.g. {@code --run ID --attempt NAME}.
     * @return The command.
     */
    public List<String> workerCommand(String... extraArgs) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(jvmOptions);
        systemProperties.forEach((k, v) -> cmd.add("-D" + k + "=" + v));
        cmd.add("-cp");
        cmd.add(classpath);
        cmd.add(SweepWorker.class.getName());
        cmd.add("-c");
        cmd.add(String.join(",", configFiles));
        cmd.add("--sweep");
        cmd.add(sweepName);
        cmd.add("-o");
        cmd.add(output);
        if (!data.isEmpty()) {
            cmd.add("--data");
            cmd.add(data);
        }
        if (!RunPlan.SWEEP.equals(planKind)) {
            cmd.add("--plan");
            cmd.add(planKind);
        }
        cmd.addAll(planArgs);
        cmd.addAll(List.of(extraArgs));
        return cmd;
    }

    /**
     * A process builder for a worker: its command, working directory and environment
     * ({@code OPT_OUT_TRACKING=true}, {@code OMP_NUM_THREADS=1}).
     * @param extraArgs Arguments after the config.
     * @return The builder.
     */
    public ProcessBuilder workerProcess(String... extraArgs) {
        ProcessBuilder pb = new ProcessBuilder(workerCommand(extraArgs)).directory(Path.of(workingDirectory).toFile());
        pb.environment().put("OPT_OUT_TRACKING", "true");
        pb.environment().put("OMP_NUM_THREADS", "1");
        if (Boolean.parseBoolean(systemProperties.get(io.github.randomgradient.config.ReproducibleMode.PROPERTY))) {
            // libtorch reads the ISA pins when it loads, so the worker's environment carries them (ReproducibleMode).
            io.github.randomgradient.config.ReproducibleMode.applyTo(pb.environment());
        }
        return pb;
    }
}

package io.github.randomgradient.examples;

import io.github.randomgradient.config.ReproducibleMode;
import io.github.randomgradient.djl.DJLModel;
import io.github.randomgradient.run.RunFiles;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tribuo.Model;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Reproducible mode end to end, through the {@code tribuo-rg} launcher in child processes whose
 * environments differ: a tiny CNN run (cnn-rg, seed 1, one epoch of 300 images) gives the same
 * parameter bytes whatever higher instruction sets the user exported, and the committed
 * {@link #GOLDEN} bytes on any x86-64 machine with AVX2 (libtorch 2.7.1). The launcher runs from a
 * copy whose distribution jar is a manifest naming this test's class path, so the test needs no
 * {@code package} first.
 */
public class ReproducibleModeCliTest {

    /**
     * SHA-256 of the parameters of the tiny reproducible run, measured on an AMD EPYC with AVX-512
     * (and reproduced with AVX-512 exported); every AVX2 machine with libtorch 2.7.1 must give it.
     */
    static final String GOLDEN = "098f76a4898e248b6a7d9a775f02189b3d4771384b0e8fe951e0de4b1577444c";

    /** Environment variables that select libtorch kernels, removed from every child unless a case sets them. */
    static final List<String> ISA_VARIABLES = List.of("ATEN_CPU_CAPABILITY", "ONEDNN_MAX_CPU_ISA", "DNNL_MAX_CPU_ISA", "MKL_CBWR",
            "MKL_ENABLE_INSTRUCTIONS", "MKL_NUM_THREADS", "OMP_NUM_THREADS");

    @TempDir
    static Path tmp;

    static Path tiny;
    static Path config;
    /** A copy of the repository's {@code tribuo-rg} launcher over this test's class path. */
    static Path launcher;

    record Run(int status, String output, Path dir) {}

    @BeforeAll
    static void setUp() throws IOException {
        tiny = tmp.resolve("tiny");
        MakeFashionMnistSubset.main(new String[]{ExperimentCliTest.ROOT.resolve("data/fashion-mnist-subset").toString(), tiny.toString(), "30", "10"});
        Path root = tmp.resolve("launcher");
        Path dist = Files.createDirectories(root.resolve("examples/target/lib"));
        java.util.jar.Manifest manifest = new java.util.jar.Manifest();
        manifest.getMainAttributes().put(java.util.jar.Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().put(java.util.jar.Attributes.Name.CLASS_PATH, java.util.Arrays.stream(
                System.getProperty("java.class.path").split(java.io.File.pathSeparator)).map(e -> Paths.get(e).toUri().toString())
                .collect(java.util.stream.Collectors.joining(" ")));
        try (var jar = new java.util.jar.JarOutputStream(Files.newOutputStream(dist.resolveSibling("tribuo-rg-examples.jar")), manifest)) {
            jar.flush();
        }
        launcher = root.resolve("tribuo-rg");
        Files.copy(ExperimentCliTest.ROOT.resolve("tribuo-rg"), launcher);
        assertTrue(launcher.toFile().setExecutable(true));
        config = tmp.resolve("experiment.xml");
        Files.writeString(config, ExperimentCliTest.experimentXml("<item>cnn-rg</item>", tmp.resolve("unused").toString())
                .replace("<item>1</item><item>2</item>", "<item>1</item>"));
    }

    /** Runs {@code ./tribuo-rg experiment} (or, with {@code viaLauncher} false, java directly) in a child with the given ISA variables. */
    static Run experiment(String name, boolean viaLauncher, Map<String, String> env, String... extra) throws IOException, InterruptedException {
        Path out = tmp.resolve(name);
        List<String> cmd = new ArrayList<>();
        if (viaLauncher) {
            cmd.add(launcher.toString());
        } else {
            cmd.addAll(List.of(Paths.get(System.getProperty("java.home"), "bin", "java").toString(), "-cp", System.getProperty("java.class.path"),
                    "-Dai.djl.offline=true", "-DOPT_OUT_TRACKING=true", "io.github.randomgradient.cli.TribuoRg"));
        }
        cmd.addAll(List.of("experiment", "-c", config.toString(), "--data", tiny.toString(), "--output-dir", out.toString()));
        cmd.addAll(List.of(extra));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        ISA_VARIABLES.forEach(pb.environment()::remove);
        pb.environment().putAll(env);
        Process p = pb.start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        return new Run(p.waitFor(), output, out);
    }

    static String parameterSha(Run r) throws IOException {
        assertEquals(0, r.status(), r.output());
        Model<?> model = Model.deserializeFromFile(RunFiles.of(r.dir(), "cnn-rg", 1L).file(RunFiles.MODEL));
        return ((DJLModel<?>) model).getParameterSha256();
    }

    static boolean hasAvx512() throws IOException {
        Path info = Paths.get("/proc/cpuinfo");
        return Files.isReadable(info) && Files.readString(info).contains(" avx512f");
    }

    @Test
    public void reproducibleRunsGiveTheGoldenBytesWhateverTheUserExported() throws Exception {
        Run plain = experiment("reproducible", true, Map.of(), "--reproducible");
        Run higher = experiment("reproducible-higher-isa", true, Map.of("ATEN_CPU_CAPABILITY", "avx512",
                "ONEDNN_MAX_CPU_ISA", "AVX512_CORE_AMX", "MKL_CBWR", "AUTO", "MKL_ENABLE_INSTRUCTIONS", "AVX512"), "--reproducible");
        assertTrue(higher.output().contains("tribuo-rg: --reproducible replaces ATEN_CPU_CAPABILITY=avx512 with avx2"), higher.output());
        assertTrue(higher.output().contains("tribuo-rg: --reproducible replaces ONEDNN_MAX_CPU_ISA=AVX512_CORE_AMX with AVX2"), higher.output());
        assertEquals(parameterSha(plain), parameterSha(higher));
        assertEquals(GOLDEN, parameterSha(plain), "the committed parameter hash of the tiny reproducible run");

        Run audit = audit(plain);
        assertTrue(audit.output().matches("(?s).*\\n  reproducible +yes .*"), audit.output());
        assertTrue(audit.output().matches("(?s).*\\n  numeric environment +[0-9a-f]{12} \\(cpu=.*aten-cpu-capability=avx2;"
                + "onednn-max-cpu-isa=AVX2;mkl-cbwr=AVX2,STRICT;.*reproducible=true\\).*"), audit.output());
    }

    @Test
    public void defaultRunsDifferWithAndWithoutTheAvx2Limit() throws Exception {
        assumeTrue(hasAvx512(), "needs a CPU with AVX-512: on an AVX2-only CPU the limit changes nothing");
        Run best = experiment("default", true, Map.of());
        Run limited = experiment("default-avx2", true, Map.of("ATEN_CPU_CAPABILITY", "avx2", "ONEDNN_MAX_CPU_ISA", "AVX2"));
        assertNotEquals(parameterSha(best), parameterSha(limited), "the test can see a change of kernels");
        Run audit = audit(best);
        assertTrue(audit.output().matches("(?s).*\\n  reproducible +no .*"), audit.output());
        assertTrue(audit.output().contains("aten-cpu-capability=auto;onednn-max-cpu-isa=auto;"), audit.output());
    }

    @Test
    public void reproducibleWithoutThePinsIsRefusedBeforeTraining() throws Exception {
        Run r = experiment("unpinned", false, Map.of("ATEN_CPU_CAPABILITY", "avx512"), "--reproducible");
        assertEquals(2, r.status(), r.output());
        String err = r.output().strip();
        assertTrue(err.startsWith("error: --reproducible: reproducible mode (" + ReproducibleMode.PROPERTY + "=true) needs"), err);
        assertFalse(err.contains("\n"), "one line: " + err);
        assertTrue(err.contains("ATEN_CPU_CAPABILITY=avx512 (needs avx2)") && err.contains("ONEDNN_MAX_CPU_ISA is unset (needs AVX2)"), err);
        assertFalse(Files.exists(r.dir().resolve("runs")), "nothing trained");
    }

    static Run audit(Run run) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(launcher.toString(), "audit", "--model",
                RunFiles.of(run.dir(), "cnn-rg", 1L).file(RunFiles.MODEL).toString()).redirectErrorStream(true);
        Process p = pb.start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), output);
        return new Run(0, output, run.dir());
    }
}

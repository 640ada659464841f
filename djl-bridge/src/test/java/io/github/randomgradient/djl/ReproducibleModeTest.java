package io.github.randomgradient.djl;

import io.github.randomgradient.config.NumericEnvironment;
import io.github.randomgradient.config.ReproducibleMode;
import org.junit.jupiter.api.Test;
import org.tribuo.classification.Label;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Paths;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Java API of reproducible mode: a JVM started with {@code -Dtribuo.rg.reproducible=true}
 * trains only if the ISA pins were exported before it started, and every model records the numeric
 * environment it was trained in (run provenance, not the trainer's configuration).
 */
public class ReproducibleModeTest {

    /**
     * Child process: trains a tiny MLP and prints the recorded environment, or the exception.
     * @param args Unused.
     */
    public static void main(String[] args) {
        try {
            DJLModel<Label> model = TestData.mlp().optEpochs(1).build().train(TestData.circles(64, 1L));
            var run = model.getProvenance().getInstanceProvenance().getMap();
            System.out.println("reproducible=" + run.get(DJLTrainer.REPRODUCIBLE) + " digest=" + run.get(DJLTrainer.NUMERIC_ENVIRONMENT_DIGEST)
                    + " env=" + run.get(DJLTrainer.NUMERIC_ENVIRONMENT));
        } catch (IllegalStateException e) {
            System.out.println("refused: " + e.getMessage());
        }
    }

    static String child(boolean reproducible, Map<String, String> env) throws IOException, InterruptedException {
        String java = Paths.get(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = new ProcessBuilder(List.of(java, "-cp", System.getProperty("java.class.path"), "-Dai.djl.offline=true",
                "-D" + ReproducibleMode.PROPERTY + "=" + reproducible, ReproducibleModeTest.class.getName())).redirectErrorStream(true);
        ReproducibleMode.pins().keySet().forEach(pb.environment()::remove);
        pb.environment().putAll(env);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assertEquals(0, p.waitFor(), out);
        return out.lines().reduce((a, b) -> b).orElse("");
    }

    @Test
    public void reproducibleTrainingInAnUnpinnedJvmIsRefusedNamingTheVariables() throws Exception {
        String out = child(true, Map.of("ONEDNN_MAX_CPU_ISA", "AVX512_CORE"));
        assertTrue(out.startsWith("refused: DJL's PyTorch engine: reproducible mode (tribuo.rg.reproducible=true) needs these environment "
                + "variables set before the JVM starts"), out);
        assertTrue(out.contains("ATEN_CPU_CAPABILITY is unset (needs avx2)") && out.contains("ONEDNN_MAX_CPU_ISA=AVX512_CORE (needs AVX2)"), out);
    }

    @Test
    public void everyModelRecordsItsNumericEnvironment() throws Exception {
        String pinned = child(true, ReproducibleMode.pins());
        assertTrue(pinned.startsWith("reproducible=true digest="), pinned);
        NumericEnvironment env = NumericEnvironment.parse(pinned.substring(pinned.indexOf(" env=") + 5));
        assertTrue(env.reproducible());
        assertEquals("avx2", env.get(NumericEnvironment.ATEN));
        assertEquals("AVX2", env.get(NumericEnvironment.ONEDNN));
        assertEquals("2.7.1", env.get(NumericEnvironment.LIBTORCH));
        assertEquals("none", env.get(NumericEnvironment.GPU));
        assertTrue(pinned.contains("digest=" + env.digest() + " "), pinned);

        String plain = child(false, Map.of());
        assertTrue(plain.startsWith("reproducible=false digest="), plain);
        NumericEnvironment other = NumericEnvironment.parse(plain.substring(plain.indexOf(" env=") + 5));
        assertEquals("auto", other.get(NumericEnvironment.ATEN));
        assertEquals(env.get(NumericEnvironment.CPU_FLAGS), other.get(NumericEnvironment.CPU_FLAGS));
        assertTrue(!env.digest().equals(other.digest()));
    }

    @Test
    public void theConfigurationProvenanceDoesNotRecordTheEnvironment() {
        var p = TestData.mlp().build().getProvenance();
        assertTrue(p.getConfiguredParameters().keySet().stream().noneMatch(k -> k.contains("numeric") || k.contains("reproducible")),
                p.getConfiguredParameters().keySet().toString());
        assertTrue(p.getInstanceValues().keySet().stream().noneMatch(k -> k.contains("numeric") || k.contains("reproducible")),
                p.getInstanceValues().keySet().toString());
    }
}

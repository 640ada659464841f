package io.github.randomgradient.config;

import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

public class NumericEnvironmentTest {

    static NumericEnvironment env(String cpu, String flags, String aten, boolean reproducible) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put(NumericEnvironment.CPU, cpu);
        m.put(NumericEnvironment.CPU_FLAGS, flags);
        m.put(NumericEnvironment.ATEN, aten);
        m.put(NumericEnvironment.ONEDNN, reproducible ? "AVX2" : "auto");
        m.put(NumericEnvironment.LIBTORCH, "2.7.1");
        m.put(NumericEnvironment.THREADS, "1");
        m.put(NumericEnvironment.REPRODUCIBLE, Boolean.toString(reproducible));
        return NumericEnvironment.of(m);
    }

    @Test
    public void canonicalFormRoundTripsAndKeepsValuesWithCommasAndEquals() {
        NumericEnvironment e = env("AMD EPYC", "avx2,avx512f", "auto", false);
        assertEquals("cpu=AMD EPYC;cpu-flags=avx2,avx512f;aten-cpu-capability=auto;onednn-max-cpu-isa=auto;libtorch=2.7.1;threads=1;"
                + "reproducible=false", e.canonical());
        assertEquals(e, NumericEnvironment.parse(e.canonical()));
        NumericEnvironment gpu = NumericEnvironment.parse("gpu=1x cuda 12.8 sm90 cudnn-benchmark:false;mkl-cbwr=AVX2,STRICT");
        assertEquals("AVX2,STRICT", gpu.get(NumericEnvironment.MKL_CBWR));
        assertEquals("unknown", gpu.get(NumericEnvironment.CPU));
        assertThrows(IllegalArgumentException.class, () -> NumericEnvironment.parse("cpu=x;nonsense"));
        assertThrows(IllegalArgumentException.class, () -> NumericEnvironment.of(Map.of("cpu", "a;b")));
    }

    @Test
    public void digestIsTheSha256OfTheIdentity() {
        NumericEnvironment e = env("AMD EPYC", "avx2,avx512f", "auto", false);
        assertEquals(e.canonical(), e.identity());
        assertEquals(Digests.sha256(e.canonical()).substring(0, 12), e.digest());
    }

    @Test
    public void defaultRunsOnAnotherCpuDifferButReproducibleRunsDoNot() {
        // Without the pins, the CPU decides the kernels: another CPU is another environment.
        assertNotEquals(env("AMD EPYC", "avx2,avx512f", "auto", false).digest(),
                env("Intel Xeon", "avx2", "auto", false).digest());
        // With the pins, every AVX2 machine runs the same kernels.
        NumericEnvironment a = env("AMD EPYC", "avx2,avx512f", "avx2", true);
        NumericEnvironment b = env("Intel Xeon", "avx2", "avx2", true);
        assertEquals(a.digest(), b.digest());
        assertTrue(a.reproducible());
        // Reproducible mode itself is part of the identity.
        assertNotEquals(env("AMD EPYC", "avx2,avx512f", "avx2", false).digest(), a.digest());
        assertEquals(List.of("cpu: AMD EPYC -> Intel Xeon", "cpu-flags: avx2,avx512f -> avx2"), a.differences(b));
    }

    @Test
    public void pinsAreCheckedAndApplied() {
        Map<String, String> env = new HashMap<>(Map.of("ATEN_CPU_CAPABILITY", "avx512", "PATH", "/bin"));
        List<String> problems = ReproducibleMode.problems(env);
        assertEquals(ReproducibleMode.pins().size(), problems.size());
        assertTrue(problems.contains("ATEN_CPU_CAPABILITY=avx512 (needs avx2)"), problems.toString());
        assertTrue(problems.contains("ONEDNN_MAX_CPU_ISA is unset (needs AVX2)"), problems.toString());
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> ReproducibleMode.requirePinned(env, "test"));
        assertTrue(e.getMessage().startsWith("test: reproducible mode (tribuo.rg.reproducible=true) needs"), e.getMessage());
        assertEquals(List.of("ATEN_CPU_CAPABILITY=avx512"), ReproducibleMode.applyTo(env));
        assertEquals(List.of(), ReproducibleMode.problems(env));
        assertEquals("/bin", env.get("PATH"));
        assertEquals("avx2", env.get("ATEN_CPU_CAPABILITY"));
    }
}

package io.github.randomgradient.djl;

import io.github.randomgradient.djl.optim.OptimiserType;
import org.junit.jupiter.api.Test;
import org.tribuo.classification.Label;
import org.tribuo.provenance.TrainerProvenance;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Paths;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Building a trainer and its provenance never starts the PyTorch engine (checked in a fresh JVM,
 * since other tests in this one start it), and the provenance names the update rule that will run.
 */
public class ProvenanceWithoutEngineTest {

    /**
     * Run in a fresh JVM: builds a NESTEROV trainer and its provenance, then prints whether the
     * engine started, the update rule, the PyTorch version and the devices.
     * @param args Ignored.
     */
    public static void main(String[] args) {
        DJLTrainer<Label> trainer = TestData.mlp().optOptimiser(OptimiserType.NESTEROV).build();
        TrainerProvenance p = trainer.getProvenance();
        System.out.println("started=" + DJLEngine.isStarted()
                + " rule=" + p.getInstanceValues().get(DJLTrainerProvenance.UPDATE_RULE).getValue()
                + " pytorch=" + p.getInstanceValues().get(DJLTrainerProvenance.ENGINE_VERSION).getValue()
                + " devices=" + p.getInstanceValues().get(DJLTrainerProvenance.DEVICES).getValue()
                + " threads=" + p.getInstanceValues().get(DJLTrainerProvenance.THREADS).getValue());
    }

    @Test
    public void provenanceDoesNotStartTheEngine() throws IOException, InterruptedException {
        String java = Paths.get(System.getProperty("java.home"), "bin", "java").toString();
        Process process = new ProcessBuilder(List.of(java, "-cp", System.getProperty("java.class.path"), "-Dai.djl.offline=true",
                ProvenanceWithoutEngineTest.class.getName())).redirectErrorStream(true).start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assertEquals(0, process.waitFor(), out);
        assertEquals("started=false rule=torch.optim.SGD(nesterov=True) pytorch=2.7.1 devices=unresolved(cpu) threads=1",
                out.lines().reduce((a, b) -> b).orElse(""), out);
    }
}

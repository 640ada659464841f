package io.github.randomgradient.examples;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.randomgradient.config.Digests;
import io.github.randomgradient.config.ReproducibleMode;
import io.github.randomgradient.examples.BadInputFixtures.Result;
import io.github.randomgradient.run.RunFiles;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;

import static io.github.randomgradient.examples.BadInputFixtures.assertUserError;
import static io.github.randomgradient.examples.BadInputFixtures.tribuoRg;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Resuming an experiment whose finished run recorded another numeric environment (faked here: its
 * provenance names another oneDNN ISA pin, as a run on another machine would): refused by default,
 * retrained or accepted with {@code --environment-change}.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
public class EnvironmentChangeCliTest {

    @TempDir
    static Path tmp;

    static Path tiny;
    static Path config;
    static Path output;

    @BeforeAll
    static void setUp() throws IOException {
        tiny = tmp.resolve("tiny");
        MakeFashionMnistSubset.main(new String[]{ExperimentCliTest.ROOT.resolve("data/fashion-mnist-subset").toString(), tiny.toString(), "30", "10"});
        output = tmp.resolve("experiment");
        config = tmp.resolve("experiment.xml");
        Files.writeString(config, ExperimentCliTest.experimentXml("<item>mlp-baseline</item>", output.toString())
                .replace("<item>1</item><item>2</item>", "<item>1</item>"));
        Result r = experiment();
        assertEquals(0, r.status(), r.err());
    }

    static Result experiment(String... extra) {
        List<String> args = new java.util.ArrayList<>(List.of("experiment", "-c", config.toString(), "--data", tiny.toString(),
                "--output-dir", output.toString()));
        args.addAll(List.of(extra));
        return tribuoRg(args.toArray(new String[0]));
    }

    static RunFiles run() {
        return RunFiles.of(output, "mlp-baseline", 1L);
    }

    /** Rewrites the finished run's recorded environment as if it had trained with another oneDNN ISA; keeps run.json's digests true. */
    static void fakeOtherEnvironment() throws IOException {
        Path provenance = run().file(RunFiles.PROVENANCE);
        String json = Files.readString(provenance);
        String faked = json.replaceAll("onednn-max-cpu-isa=[^;\"]*", "onednn-max-cpu-isa=FAKE_ISA");
        assertNotEquals(json, faked, "the run records its numeric environment");
        Files.writeString(provenance, faked);
        ObjectNode record = (ObjectNode) RunFiles.JSON.readTree(run().file(RunFiles.RUN).toFile());
        ((ObjectNode) record.get("sha256")).put(RunFiles.PROVENANCE, Digests.sha256(Files.readAllBytes(provenance)));
        RunFiles.JSON.writerWithDefaultPrettyPrinter().writeValue(run().file(RunFiles.RUN).toFile(), record);
        assertTrue(run().isComplete());
    }

    @Test
    @Order(1)
    public void resumeInTheSameEnvironmentTrainsNothing() throws IOException {
        FileTime before = Files.getLastModifiedTime(run().file(RunFiles.MODEL));
        Result r = experiment();
        assertEquals(0, r.status(), r.err());
        assertEquals(before, Files.getLastModifiedTime(run().file(RunFiles.MODEL)));
        assertFalse(r.out().contains("numeric environment"), r.out());
    }

    @Test
    @Order(2)
    public void anotherEnvironmentIsRefusedByDefaultNamingBoth() throws IOException {
        fakeOtherEnvironment();
        FileTime before = Files.getLastModifiedTime(run().file(RunFiles.MODEL));
        assertUserError(experiment(), List.of("were trained in numeric environment", "onednn-max-cpu-isa=FAKE_ISA",
                "but this process trains in", "onednn-max-cpu-isa: FAKE_ISA -> ", "--environment-change retrain", "seed-1"));
        assertEquals(before, Files.getLastModifiedTime(run().file(RunFiles.MODEL)), "nothing was redone");
        assertUserError(experiment("--environment-change", "sometimes"),
                List.of("--environment-change must be refuse, retrain or accept, found 'sometimes'"));
        // Any word but true or false was read as false by OLCUT while the launcher pinned the kernels for it.
        for (String word : List.of("no", "0", "yes")) {
            assertUserError(experiment("--reproducible", word), List.of("--reproducible takes no value, or true or false; found '" + word + "'"));
        }
    }

    @Test
    @Order(3)
    public void acceptKeepsTheRunAndRecordsTheMix() throws IOException {
        FileTime before = Files.getLastModifiedTime(run().file(RunFiles.MODEL));
        Result r = experiment("--environment-change", "accept");
        assertEquals(0, r.status(), r.err());
        assertEquals(before, Files.getLastModifiedTime(run().file(RunFiles.MODEL)), "accepted, not retrained");
        assertTrue(r.out().contains("note: 1 finished run(s) trained in another numeric environment"), r.out());
        JsonNode mix = RunFiles.JSON.readTree(output.resolve("environment-change.json").toFile());
        assertEquals("accept", mix.get("choice").asText());
        assertTrue(mix.get("runs").get("runs/mlp-baseline/seed-1").asText().contains("onednn-max-cpu-isa=FAKE_ISA"), mix.toString());
    }

    @Test
    @Order(4)
    public void retrainTrainsTheRunAgainHere() throws IOException {
        Result r = experiment("--environment-change", "retrain");
        assertEquals(0, r.status(), r.err());
        assertTrue(r.out().contains("are trained again here"), r.out());
        assertFalse(Files.readString(run().file(RunFiles.PROVENANCE)).contains("FAKE_ISA"), "the run was trained again");
        Result again = experiment();
        assertEquals(0, again.status(), "a retrained run resumes under the default: " + again.err());
    }

    @Test
    @Order(5)
    public void reproducibleInAnUnpinnedJvmIsRefusedAndLeavesTheJvmAsItWas() {
        assumeTrue(!ReproducibleMode.problems(System.getenv()).isEmpty(), "this JVM was started pinned");
        assertUserError(experiment("--reproducible"), List.of("--reproducible: reproducible mode", "ATEN_CPU_CAPABILITY"));
        assertNull(System.getProperty(ReproducibleMode.PROPERTY), "a refused command does not switch this JVM to reproducible mode");
        Result r = experiment();
        assertEquals(0, r.status(), "the next command trains as before: " + r.err());
    }
}

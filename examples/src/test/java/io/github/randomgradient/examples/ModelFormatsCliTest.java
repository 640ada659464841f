package io.github.randomgradient.examples;

import io.github.randomgradient.data.IdxDirectory;
import io.github.randomgradient.djl.DJLModel;
import io.github.randomgradient.djl.DJLTrainer;
import io.github.randomgradient.djl.block.MLPBlockFactory;
import io.github.randomgradient.djl.convert.ImageConverter;
import io.github.randomgradient.djl.convert.LabelConverter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tribuo.classification.Label;

import java.io.IOException;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

import static io.github.randomgradient.examples.BadInputFixtures.Result;
import static io.github.randomgradient.examples.BadInputFixtures.assertUserError;
import static io.github.randomgradient.examples.BadInputFixtures.tribuoRg;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code audit} and {@code report --models} read a model in either format Tribuo 4.3 writes, the
 * two formats of the model contract: protobuf and Java serialisation (the golden files of
 * djl-bridge's {@code GoldenModelTest}). A Java-serialised file is read under an allow-list filter:
 * a class no model needs is refused unread, naming it; a file that holds no model, or is cut short,
 * is a one-line user error naming the file.
 */
public class ModelFormatsCliTest {

    @TempDir
    static Path tmp;

    private static final Path GOLDEN = ExperimentCliTest.ROOT.resolve("djl-bridge/src/test/resources/io/github/randomgradient/djl/golden");

    /** The audit table without its first line (which names the file). */
    private static List<String> rows(Result r) {
        List<String> lines = new ArrayList<>(Arrays.asList(r.out().split("\\R")));
        lines.remove(0);
        return lines;
    }

    @Test
    public void auditReadsJavaSerialisedGoldenModelsAsTheirProtobufTwins() {
        for (String generation : List.of("format0-4b87778", "format1-510cf15")) {
            for (String name : List.of("mlp", "cnn")) {
                Path ser = GOLDEN.resolve(generation).resolve(name + ".ser");
                Result java = tribuoRg("audit", "--model", ser.toString());
                assertEquals(0, java.status(), ser + ": " + java.err());
                assertTrue(java.out().startsWith("Model " + ser + " (DJLModel)"), java.out());
                Result proto = tribuoRg("audit", "--model", GOLDEN.resolve(generation).resolve(name + ".tribuo").toString());
                assertEquals(0, proto.status(), proto.err());
                List<String> rows = rows(java);
                assertTrue(rows.stream().anyMatch(l -> l.contains("History")), java.out());
                assertEquals(rows(proto), rows, generation + "/" + name + ": the same audit from either format");
            }
        }
    }

    @Test
    public void reportScoresAJavaSerialisedModelAsItsProtobufTwin() throws IOException {
        Path data = BadInputFixtures.goodData(tmp.resolve("data"));
        IdxDirectory dir = IdxDirectory.of(data);
        DJLTrainer<Label> trainer = DJLTrainer.<Label>builder(new MLPBlockFactory(MLPBlockFactory.ActivationType.RELU, 8),
                new ImageConverter(28, 28, 1), new LabelConverter()).optBatchSize(8).optEpochs(1).optSeed(1L).optDevice("cpu").build();
        Path ser = tmp.resolve("mlp-java.ser");
        Path proto = tmp.resolve("mlp-proto.tribuo.pb");
        try (DJLModel<Label> model = trainer.train(dir.load("train"))) {
            try (ObjectOutputStream out = new ObjectOutputStream(Files.newOutputStream(ser))) {
                out.writeObject(model);
            }
            model.serializeToFile(proto);
        }
        Path out = tmp.resolve("report");
        Result r = tribuoRg("report", "--models", ser + "," + proto, "--data", data.toString(), "--output-dir", out.toString());
        assertEquals(0, r.status(), r.err());
        String json = Files.readString(out.resolve("report.json"));
        assertTrue(json.contains("mlp-java") && json.contains("mlp-proto"), json);
    }

    private static Path javaSerialised(String name, Serializable object) throws IOException {
        Path file = tmp.resolve(name);
        try (ObjectOutputStream out = new ObjectOutputStream(Files.newOutputStream(file))) {
            out.writeObject(object);
        }
        return file;
    }

    /** {@link #javaSerialised} in a thread with a stack deep enough to write a deeply nested graph. */
    private static Path javaSerialisedDeep(String name, Serializable object) throws IOException {
        IOException[] failure = new IOException[1];
        Path[] file = new Path[1];
        Thread writer = new Thread(null, () -> {
            try {
                file[0] = javaSerialised(name, object);
            } catch (IOException e) {
                failure[0] = e;
            }
        }, "deep-writer", 1L << 30);
        writer.start();
        try {
            writer.join();
        } catch (InterruptedException e) {
            throw new IOException(e);
        }
        if (failure[0] != null) {
            throw failure[0];
        }
        return file[0];
    }

    @Test
    public void aJavaSerialisedFileThatIsNoModelIsAOneLineUserError() throws IOException {
        // A class outside the allow-list is refused before any of its objects is built.
        ConcurrentHashMap<String, String> map = new ConcurrentHashMap<>();
        map.put("a", "b");
        Path other = javaSerialised("other-class.ser", map);
        assertUserError(tribuoRg("audit", "--model", other.toString()),
                List.of("other-class.ser", "Java serialisation", "java.util.concurrent.ConcurrentHashMap", "refused"));
        // A graph nested deeper than any model (it overflowed the stack: exit 1) and a non-model top object are refused unread.
        ArrayList<Object> deep = new ArrayList<>();
        List<Object> inner = deep;
        for (int i = 0; i < 50_000; i++) {
            List<Object> next = new ArrayList<>();
            inner.add(next);
            inner = next;
        }
        Path deepFile = javaSerialisedDeep("deep.ser", deep);
        assertUserError(tribuoRg("audit", "--model", deepFile.toString()), List.of("deep.ser", "java.util.ArrayList", "not a Tribuo model"));
        Path list = javaSerialised("list.ser", new ArrayList<>(List.of("x")));
        assertUserError(tribuoRg("audit", "--model", list.toString()), List.of("list.ser", "java.util.ArrayList", "not a Tribuo model"));
        byte[] golden = Files.readAllBytes(GOLDEN.resolve("format1-510cf15/cnn.ser"));
        Path cut = Files.write(tmp.resolve("cut.ser"), Arrays.copyOf(golden, golden.length / 2));
        assertUserError(tribuoRg("audit", "--model", cut.toString()), List.of("cut.ser", "truncated or corrupt"));
        Path out = tmp.resolve("report-cut");
        assertUserError(tribuoRg("report", "--models", cut.toString(), "--data", BadInputFixtures.goodData(tmp.resolve("data2")).toString(),
                "--output-dir", out.toString()), List.of("cut.ser", "truncated or corrupt"), out);
    }
}

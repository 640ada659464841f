package io.github.randomgradient.djl;

import com.oracle.labs.mlrg.olcut.provenance.ConfiguredObjectProvenance;
import com.oracle.labs.mlrg.olcut.provenance.PrimitiveProvenance;
import com.oracle.labs.mlrg.olcut.provenance.Provenance;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.tribuo.Model;
import org.tribuo.Prediction;
import org.tribuo.classification.Label;
import org.tribuo.impl.ArrayExample;
import org.tribuo.provenance.TrainerProvenance;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The model format is a contract: every model file a released or committed build wrote must keep
 * loading, in both formats, and predict exactly what it predicted when it was written.
 * <p>
 * Each directory under {@code src/test/resources/io/github/randomgradient/djl/golden/} holds one
 * generation of golden files, named {@code format<DJLModel version>-<commit>}: a tiny MLP and a
 * tiny CNN as Tribuo protobuf ({@code .tribuo}, what {@code Model.serializeToFile} and the CLI
 * write), as Java serialisation ({@code .ser}), and {@code .expected.txt} with the provenance
 * class, a few provenance values and the predictions for a few fixed inputs as exact hex floats,
 * all written by {@link GoldenModels} with the build that wrote the model. This test loads every
 * generation with Tribuo's own API ({@code Model.deserializeFromFile}) and a plain
 * {@link ObjectInputStream} and checks the provenance exactly and the predictions to 1e-6 (bitwise on the machine that wrote them).
 * <p>
 * When the format changes (a field, a class name or package, {@link DJLModel#CURRENT_VERSION}),
 * keep the old files, make them load (a moved provenance class is mapped in {@link ModelProtos}
 * and by a shim class, as {@code DJLTrainer$DJLTrainerProvenance} is), and add a new generation
 * written by the new build; the golden directory's README.md has the commands. Never regenerate
 * or edit an existing generation to make this test pass.
 * <p>
 * The expected predictions were recorded on x86-64 with the libtorch CPU build this project
 * ships; floating-point results can depend on the CPU.
 */
public class GoldenModelTest {

    /** The old binary name of the trainer provenance, before it moved to its own file. */
    private static final String MOVED_PROVENANCE = "io.github.randomgradient.djl.DJLTrainer$DJLTrainerProvenance";

    static Path goldenRoot() {
        try {
            return Paths.get(GoldenModelTest.class.getResource("golden").toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Every generation directory and model name, e.g. (format0-4b87778, mlp). */
    static Stream<Arguments> goldenModels() throws IOException {
        List<Arguments> out = new ArrayList<>();
        try (Stream<Path> dirs = Files.list(goldenRoot())) {
            for (Path dir : dirs.filter(Files::isDirectory).sorted().collect(Collectors.toList())) {
                try (Stream<Path> files = Files.list(dir)) {
                    files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".expected.txt")).sorted()
                            .forEach(n -> out.add(Arguments.of(dir.getFileName().toString(),
                                    n.substring(0, n.length() - ".expected.txt".length()))));
                }
            }
        }
        return out.stream();
    }

    @Test
    public void everyGenerationIsPresent() throws IOException {
        Set<String> found = goldenModels().map(a -> a.get()[0] + "/" + a.get()[1]).collect(Collectors.toSet());
        for (String expected : new String[]{"format0-4b87778/mlp", "format0-4b87778/cnn", "format1-510cf15/mlp", "format1-510cf15/cnn",
                "format1-3782f69/mlp", "format1-3782f69/cnn"}) {
            assertTrue(found.contains(expected), "golden model " + expected + " is missing; found " + found);
        }
    }

    @ParameterizedTest(name = "{0}/{1}.tribuo")
    @MethodSource("goldenModels")
    public void protobufFileLoadsAndPredictsAsWhenWritten(String generation, String name) throws IOException {
        Expected expected = Expected.read(goldenRoot().resolve(generation).resolve(name + ".expected.txt"));
        try (DJLModel<?> model = (DJLModel<?>) Model.deserializeFromFile(goldenRoot().resolve(generation).resolve(name + ".tribuo"))) {
            expected.check(model, generation + "/" + name + ".tribuo");
        }
    }

    @ParameterizedTest(name = "{0}/{1}.ser")
    @MethodSource("goldenModels")
    public void javaSerialisedFileLoadsAndPredictsAsWhenWritten(String generation, String name) throws Exception {
        Expected expected = Expected.read(goldenRoot().resolve(generation).resolve(name + ".expected.txt"));
        try (DJLModel<?> model = readJava(Files.readAllBytes(goldenRoot().resolve(generation).resolve(name + ".ser")))) {
            expected.check(model, generation + "/" + name + ".ser");
        }
    }

    @ParameterizedTest(name = "{0}/{1}")
    @MethodSource("goldenModels")
    public void bothFormatsLoadTheSameProvenance(String generation, String name) throws Exception {
        Path dir = goldenRoot().resolve(generation);
        try (DJLModel<?> proto = (DJLModel<?>) Model.deserializeFromFile(dir.resolve(name + ".tribuo"));
             DJLModel<?> java = readJava(Files.readAllBytes(dir.resolve(name + ".ser")))) {
            assertEquals(proto.getProvenance(), java.getProvenance());
            assertEquals(proto.getTrainingHistory(), java.getTrainingHistory());
        }
    }

    /** A model loaded from an earlier file is written again under today's class names, and that file loads and predicts the same. */
    @ParameterizedTest(name = "{0}/{1}")
    @MethodSource("goldenModels")
    public void loadedModelsAreWrittenAgainUnderTodaysClassNames(String generation, String name) throws Exception {
        Path dir = goldenRoot().resolve(generation);
        Expected expected = Expected.read(dir.resolve(name + ".expected.txt"));
        try (DJLModel<?> proto = (DJLModel<?>) Model.deserializeFromFile(dir.resolve(name + ".tribuo"));
             DJLModel<?> java = readJava(Files.readAllBytes(dir.resolve(name + ".ser")))) {
            byte[] protoBytes = proto.serialize().toByteArray();
            assertFalse(new String(protoBytes, StandardCharsets.ISO_8859_1).contains(MOVED_PROVENANCE));
            try (DJLModel<?> again = (DJLModel<?>) Model.deserialize(org.tribuo.protos.core.ModelProto.parseFrom(protoBytes))) {
                expected.check(again, generation + "/" + name + ".tribuo written again");
            }
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try (ObjectOutputStream oos = new ObjectOutputStream(bytes)) {
                oos.writeObject(java);
            }
            assertFalse(new String(bytes.toByteArray(), StandardCharsets.ISO_8859_1).contains("DJLTrainer$DJLTrainerProvenance"));
            try (DJLModel<?> again = readJava(bytes.toByteArray())) {
                expected.check(again, generation + "/" + name + ".ser written again");
            }
        }
    }

    private static DJLModel<?> readJava(byte[] bytes) throws IOException, ClassNotFoundException {
        try (InputStream is = new ByteArrayInputStream(bytes); ObjectInputStream ois = new ObjectInputStream(is)) {
            return (DJLModel<?>) ois.readObject();
        }
    }

    /** The contents of an {@code .expected.txt} file. */
    private static final class Expected {
        final String trainerClass;
        final Map<String, String> configured = new LinkedHashMap<>();
        final Map<String, String> components = new LinkedHashMap<>();
        final Map<String, String> instance = new TreeMap<>();
        final List<Map<String, Double>> inputs = new ArrayList<>();
        final List<String> outputs = new ArrayList<>();
        final List<Map<String, String>> scores = new ArrayList<>();

        private Expected(List<String> lines) {
            String trainer = null;
            for (String line : lines) {
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                String[] kv = line.split(" ", 2);
                String rest = kv.length > 1 ? kv[1] : "";
                switch (kv[0]) {
                    case "provenance-class":
                        break; // the class at write time; a loaded model always holds today's DJLTrainerProvenance
                    case "trainer-class":
                        trainer = rest;
                        break;
                    case "configured":
                        configured.put(rest.split(" ", 2)[0], rest.split(" ", 2)[1]);
                        break;
                    case "component":
                        components.put(rest.split(" ", 2)[0], rest.split(" ", 2)[1]);
                        break;
                    case "instance":
                        instance.put(rest.split(" ", 2)[0], rest.split(" ", 2)[1]);
                        break;
                    case "input": {
                        Map<String, Double> features = new LinkedHashMap<>();
                        for (String f : rest.split(" ")) {
                            String[] nv = f.split("=", 2);
                            features.put(nv[0], Double.parseDouble(nv[1]));
                        }
                        inputs.add(features);
                        break;
                    }
                    case "output": {
                        String[] parts = rest.split(" ");
                        outputs.add(parts[0]);
                        Map<String, String> s = new TreeMap<>();
                        for (int i = 1; i < parts.length; i++) {
                            String[] nv = parts[i].split("=", 2);
                            s.put(nv[0], nv[1]);
                        }
                        scores.add(s);
                        break;
                    }
                    default:
                        throw new IllegalArgumentException("unknown line in an expected file: " + line);
                }
            }
            this.trainerClass = trainer;
        }

        static Expected read(Path path) {
            try {
                return new Expected(Files.readAllLines(path, StandardCharsets.UTF_8));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        void check(DJLModel<?> loaded, String what) {
            TrainerProvenance tp = loaded.getProvenance().getTrainerProvenance();
            assertSame(DJLTrainerProvenance.class, tp.getClass(), what + ": trainer provenance class");
            assertEquals(trainerClass, tp.getClassName(), what);
            Map<String, Provenance> params = tp.getConfiguredParameters();
            configured.forEach((k, v) -> assertEquals(v, String.valueOf(((PrimitiveProvenance<?>) params.get(k)).getValue()), what + ": " + k));
            components.forEach((k, v) -> assertEquals(v, ((ConfiguredObjectProvenance) params.get(k)).getClassName(), what + ": " + k));
            Map<String, String> actualInstance = new TreeMap<>();
            tp.getInstanceValues().forEach((k, v) -> actualInstance.put(k, String.valueOf(v.getValue())));
            assertEquals(instance, actualInstance, what + ": instance values");

            Model<Label> model = loaded.castModel(Label.class);
            for (int i = 0; i < inputs.size(); i++) {
                Map<String, Double> features = inputs.get(i);
                double[] values = features.values().stream().mapToDouble(Double::doubleValue).toArray();
                Prediction<Label> p = model.predict(new ArrayExample<>(new Label("?"), features.keySet().toArray(new String[0]), values));
                Map<String, String> actual = new TreeMap<>();
                p.getOutputScores().forEach((label, score) -> actual.put(label, Double.toHexString(score.getScore())));
                // Bitwise on the machine that wrote the files; libtorch picks its kernels by instruction set, so
                // another CPU may round the last bits differently (float32 network: 1e-6 is far above that, far
                // below any change of the stored parameters).
                assertEquals(scores.get(i).keySet(), actual.keySet(), what + ": labels of input " + i);
                for (Map.Entry<String, String> e : scores.get(i).entrySet()) {
                    double expectedScore = Double.parseDouble(e.getValue());
                    double actualScore = Double.parseDouble(actual.get(e.getKey()));
                    assertEquals(expectedScore, actualScore, 1e-6,
                            what + ": score of " + e.getKey() + " for input " + i + " (recorded " + e.getValue() + ", got " + actual.get(e.getKey()) + ")");
                }
                assertEquals(outputs.get(i), p.getOutput().getLabel(), what + ": output of input " + i);
            }
        }
    }
}

package io.github.randomgradient.djl;

import com.google.protobuf.Any;
import com.google.protobuf.ByteString;
import io.github.randomgradient.config.Digests;
import io.github.randomgradient.djl.block.MLPBlockFactory;
import io.github.randomgradient.djl.convert.DenseFeatureConverter;
import io.github.randomgradient.djl.convert.LabelConverter;
import io.github.randomgradient.djl.protos.DJLModelProto;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tribuo.Model;
import org.tribuo.classification.Label;
import org.tribuo.protos.core.ModelProto;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.OutputStream;
import java.lang.reflect.Field;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.UnaryOperator;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A model file whose parameters were altered never loads as if nothing were wrong: the SHA-256 of
 * the parameter bytes and each parameter's shape are stored and checked, through protobuf and
 * Java serialisation, and a file of a newer format version says so instead of being called corrupt.
 */
public class ModelIntegrityTest {

    @TempDir
    Path tmp;

    private static DJLModel<Label> units16;
    private static DJLModel<Label> units32;

    private static DJLModel<Label> mlp(int hidden) {
        return DJLTrainer.builder(new MLPBlockFactory(MLPBlockFactory.ActivationType.RELU, hidden), new DenseFeatureConverter(),
                new LabelConverter()).optEpochs(1).optBatchSize(16).optSeed(2L).optDevice("cpu").build().train(TestData.circles(64, 1L));
    }

    @BeforeAll
    public static void train() {
        units16 = mlp(16);
        units32 = mlp(32);
    }

    /** Every message of the cause chain (Tribuo wraps the deserialiser's exception). */
    private static String messages(Throwable e) {
        StringBuilder sb = new StringBuilder();
        for (Throwable t = e; t != null; t = t.getCause()) {
            sb.append(t.getMessage()).append(" | ");
        }
        return sb.toString();
    }

    private Path protoFile(UnaryOperator<DJLModelProto.Builder> edit, int version) throws IOException {
        ModelProto proto = units16.serialize();
        DJLModelProto inner = proto.getSerializedData().unpack(DJLModelProto.class);
        ModelProto edited = proto.toBuilder().setVersion(version)
                .setSerializedData(Any.pack(edit.apply(inner.toBuilder()).build())).build();
        Path file = Files.createTempFile(tmp, "model", ".tribuo.pb");
        try (OutputStream out = Files.newOutputStream(file)) {
            edited.writeTo(out);
        }
        return file;
    }

    private static byte[] inverted(byte[] bytes, int count) {
        byte[] out = bytes.clone();
        int from = out.length / 2 - count / 2;
        for (int i = from; i < from + count; i++) {
            out[i] = (byte) ~out[i];
        }
        return out;
    }

    @Test
    public void intactFilesLoadAndRecordDigestAndShapes() throws Exception {
        assertEquals(64, units16.getParameterSha256().length());
        assertEquals(Digests.sha256(units16.getParameterBytes()), units16.getParameterSha256());
        assertTrue(units16.getParameterShapes().get(0).endsWith("(16, 2)"), units16.getParameterShapes().toString());
        Model<?> loaded = Model.deserializeFromFile(protoFile(b -> b, DJLModel.CURRENT_VERSION));
        assertArrayEquals(units16.getParameterBytes(), ((DJLModel<?>) loaded).getParameterBytes());
        assertEquals(units16.getParameterShapes(), ((DJLModel<?>) loaded).getParameterShapes());
    }

    @Test
    public void protobufWithAnotherNetworksParametersIsRejected() throws Exception {
        ByteString bytes32 = ByteString.copyFrom(units32.getParameterBytes());
        Path swapped = protoFile(b -> b.setParameters(bytes32), DJLModel.CURRENT_VERSION);
        String m = messages(assertThrows(RuntimeException.class, () -> Model.deserializeFromFile(swapped)));
        assertTrue(m.contains("do not match the stored SHA-256") && m.contains(units16.getParameterSha256()), m);
        // The digest swapped along with the bytes: the shapes then name the difference.
        Path both = protoFile(b -> b.setParameters(bytes32).setParametersSha256(units32.getParameterSha256()), DJLModel.CURRENT_VERSION);
        m = messages(assertThrows(RuntimeException.class, () -> Model.deserializeFromFile(both)));
        assertTrue(m.contains("is stored as " + units16.getParameterShapes().get(0)) && m.contains("(32, 2)"), m);
    }

    @Test
    public void protobufWithInvertedParameterBytesIsRejected() throws Exception {
        ByteString flipped = ByteString.copyFrom(inverted(units16.getParameterBytes(), 200));
        Path file = protoFile(b -> b.setParameters(flipped), DJLModel.CURRENT_VERSION);
        String m = messages(assertThrows(RuntimeException.class, () -> Model.deserializeFromFile(file)));
        assertTrue(m.contains("DJLModel 'djl-model'") && m.contains("do not match the stored SHA-256"), m);
    }

    @Test
    public void protobufOfANewerFormatVersionSaysSo() throws Exception {
        Path file = protoFile(b -> b, 99);
        String m = messages(assertThrows(RuntimeException.class, () -> Model.deserializeFromFile(file)));
        assertTrue(m.contains("written by format version 99; this build reads up to " + DJLModel.CURRENT_VERSION), m);
        assertTrue(!m.contains("corrupt"), m);
    }

    private static byte[] javaBytes(Object o) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(o);
        }
        return bytes.toByteArray();
    }

    private static Object readJava(byte[] bytes) throws IOException, ClassNotFoundException {
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes))) {
            return in.readObject();
        }
    }

    private static DJLModel<Label> withField(String field, Object value) throws Exception {
        DJLModel<Label> copy = units16.copy("djl-model", units16.getProvenance());
        Field f = DJLModel.class.getDeclaredField(field);
        f.setAccessible(true);
        f.set(copy, value);
        return copy;
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i <= haystack.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    @Test
    public void javaSerialisationChecksTheParametersToo() throws Exception {
        // intact: loads and keeps its bytes
        DJLModel<?> back = (DJLModel<?>) readJava(javaBytes(units16));
        assertArrayEquals(units16.getParameterBytes(), back.getParameterBytes());
        // 200 inverted bytes inside the parameters
        byte[] stream = javaBytes(units16);
        byte[] params = units16.getParameterBytes();
        int at = indexOf(stream, params);
        assertTrue(at > 0, "the parameter bytes are in the stream");
        byte[] flipped = inverted(params, 200);
        System.arraycopy(flipped, 0, stream, at, flipped.length);
        String m = messages(assertThrows(java.io.InvalidObjectException.class, () -> readJava(stream)));
        assertTrue(m.contains("do not match the stored SHA-256"), m);
        // another network's parameters
        byte[] swapped = javaBytes(withField("parameters", units32.getParameterBytes()));
        m = messages(assertThrows(java.io.InvalidObjectException.class, () -> readJava(swapped)));
        assertTrue(m.contains("do not match the stored SHA-256"), m);
        // a newer format
        byte[] newer = javaBytes(withField("formatVersion", 99));
        m = messages(assertThrows(java.io.InvalidObjectException.class, () -> readJava(newer)));
        assertTrue(m.contains("written by format version 99; this build reads up to " + DJLModel.CURRENT_VERSION), m);
    }
}

package io.github.randomgradient.djl;

import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import io.github.randomgradient.config.Digests;

import java.util.ArrayList;
import java.util.List;

/**
 * The integrity record of a model's parameters: the SHA-256 of the parameter bytes and each
 * parameter's name and shape. {@link DJLModel} stores both and checks them when it is loaded
 * (digest) and when it rebuilds its network (shapes), so a file whose parameters were altered or
 * swapped for another network's fails with a message naming what differs instead of predicting.
 */
public final class ParameterIntegrity {

    private ParameterIntegrity() {}

    /**
     * Each parameter of an initialised block as {@code name (d1, d2, ...)}, in save order.
     * @param block The block.
     * @return The names and shapes.
     */
    public static List<String> shapes(Block block) {
        List<String> out = new ArrayList<>();
        for (Pair<String, Parameter> p : block.getParameters()) {
            Parameter parameter = p.getValue();
            out.add(p.getKey() + " " + (parameter.isInitialized() ? parameter.getArray().getShape().toString() : "(uninitialised)"));
        }
        return out;
    }

    /**
     * Checks parameter bytes against their stored digest.
     * @param what The model, for the message (its name or file).
     * @param bytes The parameter bytes.
     * @param expectedSha256 The stored digest.
     * @throws IllegalStateException If they differ; the message names the model and both digests.
     */
    public static void checkDigest(String what, byte[] bytes, String expectedSha256) {
        String actual = Digests.sha256(bytes);
        if (!actual.equals(expectedSha256)) {
            throw new IllegalStateException(what + ": the parameter bytes (" + bytes.length + " bytes) do not match the stored "
                    + "SHA-256: stored " + expectedSha256 + ", computed " + actual + "; the file is corrupt or was altered");
        }
    }

    /**
     * Checks the shapes of a network against the stored ones.
     * @param what The model, for the message.
     * @param expected The stored names and shapes.
     * @param actual The network's names and shapes.
     * @param source Where {@code actual} comes from, for the message (e.g. "the parameter bytes").
     * @throws IllegalStateException At the first difference; the message names the parameter and both shapes.
     */
    public static void checkShapes(String what, List<String> expected, List<String> actual, String source) {
        for (int i = 0; i < Math.max(expected.size(), actual.size()); i++) {
            String e = i < expected.size() ? expected.get(i) : "(none)";
            String a = i < actual.size() ? actual.get(i) : "(none)";
            if (!e.equals(a)) {
                throw new IllegalStateException(what + ": parameter " + i + " is stored as " + e + " but " + source + " give "
                        + a + " (" + expected.size() + " parameters stored, " + actual.size() + " found)");
            }
        }
    }
}

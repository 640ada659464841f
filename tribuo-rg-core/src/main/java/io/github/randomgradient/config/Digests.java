package io.github.randomgradient.config;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The one digest of this project: SHA-256 (FIPS 180-4) as lower-case hex. Run files, run
 * identities and model parameters are all hashed here, so every module agrees on one rule.
 */
public final class Digests {

    private Digests() {}

    /**
     * The SHA-256 of some bytes.
     * @param bytes The bytes.
     * @return 64 lower-case hex digits.
     * @throws NullPointerException If {@code bytes} is null.
     */
    public static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this JVM has no SHA-256", e);
        }
    }

    /**
     * The SHA-256 of a text's UTF-8 bytes.
     * @param text The text.
     * @return 64 lower-case hex digits.
     * @throws NullPointerException If {@code text} is null.
     */
    public static String sha256(String text) {
        return sha256(text.getBytes(StandardCharsets.UTF_8));
    }
}

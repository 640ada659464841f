package io.github.randomgradient.report;

import io.github.randomgradient.config.Digests;
import io.github.randomgradient.run.RunFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every directory name the tool makes stays within the file system's 255-byte limit, counted in
 * bytes of UTF-8: {@link RunFiles#boundedName(String, int)} and the experiment's run directories.
 */
public class BoundedNameTest {

    private static int bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8).length;
    }

    @Test
    public void aNameThatFitsIsKeptAndALongOneIsShortenedWithAHash() {
        assertEquals("cnn-rg", RunFiles.boundedName("cnn-rg", 255));
        String fits = "a".repeat(255);
        assertEquals(fits, RunFiles.boundedName(fits, 255));

        String long1 = "t".repeat(299) + "1";
        String long2 = "t".repeat(299) + "2";
        String b1 = RunFiles.boundedName(long1, 255);
        String b2 = RunFiles.boundedName(long2, 255);
        assertEquals(255, bytes(b1));
        // The readable prefix, then '~' and 16 hex digits of the whole name's SHA-256.
        assertEquals("t".repeat(238) + "~" + Digests.sha256(long1.getBytes(StandardCharsets.UTF_8)).substring(0, 16), b1);
        assertNotEquals(b1, b2, "names that share their first 238 characters stay distinct");
        assertEquals(b1, RunFiles.boundedName(long1, 255), "deterministic, so a rerun finds the run again");
    }

    @Test
    public void theLimitIsInBytesOfUtf8NotInCharacters() {
        // 200 characters, 400 bytes: fits a limit in characters, not the file system's.
        String accented = "é".repeat(200);
        String b = RunFiles.boundedName(accented, 255);
        assertTrue(bytes(b) <= 255, bytes(b) + " bytes");
        assertEquals("é".repeat(119) + "~", b.substring(0, 120), "whole characters are kept, none is cut in half");
        // Four-byte code points (surrogate pairs in Java) are never split either.
        String emoji = "\uD83D\uDE00".repeat(100);
        String e = RunFiles.boundedName(emoji, 255);
        assertTrue(bytes(e) <= 255, bytes(e) + " bytes");
        assertEquals(e, new String(e.getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8), "valid UTF-8");
        assertEquals("\uD83D\uDE00".repeat(59), e.substring(0, e.indexOf('~')));
    }

    @Test
    public void anExperimentRunDirectoryOfALongTrainerNameCanBeCreated(@TempDir Path output) throws IOException {
        String trainer = "mlp-with-a-very-long-descriptive-name-".repeat(8);   // 304 characters
        RunFiles files = RunFiles.of(output, trainer, 1);
        String dirName = files.dir().getParent().getFileName().toString();
        assertTrue(bytes(dirName) <= RunFiles.MAX_NAME_BYTES, dirName);
        assertTrue(dirName.startsWith(trainer.substring(0, 200)), dirName);
        assertEquals(output.resolve("runs"), files.dir().getParent().getParent());
        Files.createDirectories(files.dir());   // "File name too long" before the names were bounded
        assertEquals(files.dir(), RunFiles.of(output, trainer, 1).dir());
        assertEquals("é".repeat(100), RunFiles.of(output, "é".repeat(100), 2).dir().getParent().getFileName().toString(),
                "200 bytes: kept as it is");
    }
}

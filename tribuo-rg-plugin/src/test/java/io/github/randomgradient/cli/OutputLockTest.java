package io.github.randomgradient.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

public class OutputLockTest {

    @TempDir
    Path tmp;

    @Test
    public void aSecondCommandOnTheSameOutputDirectoryIsAUserErrorUntilTheFirstReleasesIt() {
        Path out = tmp.resolve("runs");
        try (OutputLock first = OutputLock.acquire(out, "output directory")) {
            assertTrue(Files.isRegularFile(out.resolve(OutputLock.FILE)));
            CommandException e = assertThrows(CommandException.class, () -> OutputLock.acquire(out, "output directory"));
            assertEquals(CommandException.EXIT_BAD_INPUT, e.exitStatus());
            assertTrue(e.getMessage().contains(out.toAbsolutePath().toString()) && e.getMessage().contains("in use"), e.getMessage());
            assertTrue(e.getMessage().contains(Long.toString(ProcessHandle.current().pid())), e.getMessage());
        }
        try (OutputLock again = OutputLock.acquire(out, "output directory")) {
            assertTrue(Files.isRegularFile(out.resolve(OutputLock.FILE)));
        }
    }

    @Test
    public void aUriAsOutputDirectoryIsRefusedInsteadOfBecomingALocalDirectoryNamedAfterItsScheme() {
        for (String uri : new String[] {"s3://bucket/sweep", "hdfs://namenode:8020/sweeps/x", "gs://b/x", "file:///tmp/x"}) {
            CommandException e = assertThrows(CommandException.class, () -> Preflight.checkWritableDirectory(Path.of(uri), "output directory"));
            assertEquals(CommandException.EXIT_BAD_INPUT, e.exitStatus());
            String scheme = uri.substring(0, uri.indexOf(':'));
            assertTrue(e.getMessage().contains(scheme + ":// URI") && !e.getMessage().contains("\n"), e.getMessage());
        }
        // Ordinary relative and absolute paths, with a colon later on, are still directories.
        Preflight.checkWritableDirectory(tmp.resolve("a:b/c"), "output directory");
        Preflight.checkWritableDirectory(Path.of("target/x:y"), "output directory");
        assertEquals(java.util.Optional.empty(), Preflight.uriScheme(Path.of("runs/s3:/x")));
    }

    @Test
    public void aDanglingSymbolicLinkAsOutputDirectoryIsNamed() throws Exception {
        Path link = Files.createSymbolicLink(tmp.resolve("dangling"), tmp.resolve("does-not-exist/deeper"));
        CommandException e = assertThrows(CommandException.class,
                () -> Preflight.checkWritableDirectory(link.resolve("out"), "output directory"));
        assertTrue(e.getMessage().contains("symbolic link"), e.getMessage());
    }

    @Test
    public void aCommandThatStopsBeforeWritingLeavesNoDirectoryBehind() throws Exception {
        Path out = tmp.resolve("a/b/out");
        try (OutputLock lock = OutputLock.acquire(out, "output directory")) {
            assertTrue(Files.isRegularFile(out.resolve(OutputLock.FILE)));
        }
        assertFalse(Files.exists(tmp.resolve("a")), "the directories the lock created are gone again");

        Path written = tmp.resolve("written");
        try (OutputLock lock = OutputLock.acquire(written, "output directory")) {
            Files.writeString(written.resolve("experiment.json"), "{}");
        }
        assertTrue(Files.isRegularFile(written.resolve("experiment.json")), "a directory with output stays");

        Path existing = Files.createDirectories(tmp.resolve("existing"));
        try (OutputLock lock = OutputLock.acquire(existing, "output directory")) {
            assertTrue(Files.isRegularFile(existing.resolve(OutputLock.FILE)));
        }
        assertTrue(Files.isDirectory(existing), "a directory the user made is never deleted");
    }

    @Test
    public void checkFreeRefusesADirectoryAnotherCommandIsWriting() throws Exception {
        Path out = tmp.resolve("experiment");
        OutputLock.checkFree(out, "run directory"); // no directory, no lock file: free
        try (OutputLock lock = OutputLock.acquire(out, "output directory")) {
            Files.writeString(out.resolve("experiment.json"), "{}");
            CommandException e = assertThrows(CommandException.class, () -> OutputLock.checkFree(out, "run directory"));
            assertEquals(CommandException.EXIT_BAD_INPUT, e.exitStatus());
            assertTrue(e.getMessage().contains(out.toAbsolutePath().toString()) && e.getMessage().contains("being written")
                    && e.getMessage().contains("process " + ProcessHandle.current().pid()), e.getMessage());
        }
        OutputLock.checkFree(out, "run directory"); // released: free again
        try (OutputLock again = OutputLock.acquire(out, "output directory")) {
            assertTrue(Files.isRegularFile(out.resolve(OutputLock.FILE)), "checkFree took nothing");
        }
    }
}

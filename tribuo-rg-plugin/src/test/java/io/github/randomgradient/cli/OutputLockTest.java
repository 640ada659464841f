package io.github.randomgradient.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
    public void aDanglingSymbolicLinkAsOutputDirectoryIsNamed() throws Exception {
        Path link = Files.createSymbolicLink(tmp.resolve("dangling"), tmp.resolve("does-not-exist/deeper"));
        CommandException e = assertThrows(CommandException.class,
                () -> Preflight.checkWritableDirectory(link.resolve("out"), "output directory"));
        assertTrue(e.getMessage().contains("symbolic link"), e.getMessage());
    }
}

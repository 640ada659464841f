package io.github.randomgradient.cli;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.stream.Stream;

/**
 * An exclusive lock on an output directory, held while {@code experiment} or {@code sweep} trains
 * into it and writes its report: a second command on the same directory stops with exit status 2
 * instead of skipping runs the first one is still writing (which mixed configurations) or deleting
 * its temporary files.
 * <p>
 * The lock is an OS file lock ({@link FileChannel#tryLock()}) on {@code DIR/.tribuo-rg.lock}, so it
 * is released when the process ends, also on {@code kill -9}; the file itself stays and holds the
 * last owner's process id for the message.
 * <p>
 * A command that stops with a user error before writing anything leaves nothing behind: if the lock
 * created the directory (and its missing parents) and, on release, the directory holds nothing but the
 * lock file, the file and the directories it created are deleted again.
 * <p>
 * {@code report} does not write into the directories it reads, but {@link #checkFree} lets it refuse
 * to read runs that an experiment or sweep is still writing.
 */
public final class OutputLock implements AutoCloseable {

    /** The lock file's name inside the output directory. */
    public static final String FILE = ".tribuo-rg.lock";

    private final FileChannel channel;
    private final FileLock lock;
    private final Path dir;
    /** The outermost directory this lock created, or null if the directory existed. */
    private final Path createdRoot;

    private OutputLock(FileChannel channel, FileLock lock, Path dir, Path createdRoot) {
        this.channel = channel;
        this.lock = lock;
        this.dir = dir;
        this.createdRoot = createdRoot;
    }

    /**
     * Creates the directory if needed and locks it.
     * @param dir The output directory.
     * @param what What it is, for the message, e.g. {@code "output directory"}.
     * @return The lock; close it when the command is done.
     * @throws CommandException If another process (or another command in this JVM) holds the lock,
     *                          or the lock file cannot be created; the message names the directory.
     */
    public static OutputLock acquire(Path dir, String what) {
        Path file = dir.resolve(FILE);
        FileChannel channel = null;
        Path createdRoot = null;
        for (Path p = dir.toAbsolutePath().normalize(); p != null && !Files.exists(p); p = p.getParent()) {
            createdRoot = p;
        }
        try {
            Files.createDirectories(dir);
            channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.READ);
            FileLock lock;
            try {
                lock = channel.tryLock();
            } catch (OverlappingFileLockException e) {
                lock = null;
            }
            if (lock == null) {
                String owner = Files.readString(file, StandardCharsets.UTF_8).trim();
                channel.close();
                throw new CommandException("the " + what + " " + dir.toAbsolutePath() + " is in use by another tribuo-rg command"
                        + (owner.isEmpty() ? "" : " (process " + owner + ")") + ": wait for it to finish, or use another output directory");
            }
            channel.truncate(0);
            channel.write(StandardCharsets.UTF_8.encode(Long.toString(ProcessHandle.current().pid())));
            return new OutputLock(channel, lock, dir.toAbsolutePath().normalize(), createdRoot);
        } catch (IOException e) {
            if (channel != null) {
                try {
                    channel.close();
                } catch (IOException ignored) {
                    // reported below
                }
            }
            throw new CommandException("cannot lock the " + what + " " + dir.toAbsolutePath() + " (" + file + "): " + e.getMessage(), e);
        }
    }

    /**
     * Checks that no other command holds the lock of a directory, without taking it or creating anything.
     * @param dir A directory that an experiment or sweep may be writing (it may not exist).
     * @param what What it is, for the message, e.g. {@code "run directory"}.
     * @throws CommandException If another process (or a command in this JVM) holds the lock; the message
     *                          names the directory and the holder's process id.
     */
    public static void checkFree(Path dir, String what) {
        Path file = dir.resolve(FILE);
        if (!Files.isRegularFile(file)) {
            return;
        }
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            FileLock lock;
            try {
                lock = channel.tryLock();
            } catch (OverlappingFileLockException e) {
                lock = null;
            }
            if (lock != null) {
                lock.release();
                return;
            }
            String owner = Files.readString(file, StandardCharsets.UTF_8).trim();
            throw new CommandException("the " + what + " " + dir.toAbsolutePath() + " is being written by a running tribuo-rg "
                    + "experiment or sweep" + (owner.isEmpty() ? "" : " (process " + owner + ")") + ": wait for it to finish, "
                    + "then rerun report");
        } catch (IOException e) {
            throw new CommandException("cannot check the lock " + file.toAbsolutePath() + " of the " + what + ": " + e.getMessage(), e);
        }
    }

    /** Releases the lock; deletes the directory again if the lock created it and nothing but the lock file was written. */
    @Override
    public void close() {
        if (createdRoot != null) {
            removeIfOnlyTheLock();
        }
        try {
            lock.release();
            channel.close();
        } catch (IOException e) {
            // The OS releases the lock when the channel or the process goes away.
        }
    }

    private void removeIfOnlyTheLock() {
        try (Stream<Path> entries = Files.list(dir)) {
            if (!entries.map(p -> p.getFileName().toString()).toList().equals(List.of(FILE))) {
                return;
            }
            Files.delete(dir.resolve(FILE));
            for (Path p = dir; p != null && p.startsWith(createdRoot); p = p.getParent()) {
                try (Stream<Path> left = Files.list(p)) {
                    if (left.findAny().isPresent()) {
                        return;
                    }
                }
                Files.delete(p);
            }
        } catch (IOException e) {
            // Best effort: an empty output directory left behind is harmless.
        }
    }
}

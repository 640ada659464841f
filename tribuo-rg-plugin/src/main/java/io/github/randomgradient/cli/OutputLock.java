package io.github.randomgradient.cli;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * An exclusive lock on an output directory, held while {@code experiment} or {@code sweep} trains
 * into it and writes its report: a second command on the same directory stops with exit status 2
 * instead of skipping runs the first one is still writing (which mixed configurations) or deleting
 * its temporary files.
 * <p>
 * The lock is an OS file lock ({@link FileChannel#tryLock()}) on {@code DIR/.tribuo-rg.lock}, so it
 * is released when the process ends, also on {@code kill -9}; the file itself stays and holds the
 * last owner's process id for the message.
 */
public final class OutputLock implements AutoCloseable {

    /** The lock file's name inside the output directory. */
    public static final String FILE = ".tribuo-rg.lock";

    private final FileChannel channel;
    private final FileLock lock;

    private OutputLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
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
            return new OutputLock(channel, lock);
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

    /** Releases the lock. */
    @Override
    public void close() {
        try {
            lock.release();
            channel.close();
        } catch (IOException e) {
            // The OS releases the lock when the channel or the process goes away.
        }
    }
}

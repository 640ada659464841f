package io.github.randomgradient.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * Works around OLCUT 5.3's handling of config files whose directory path holds a character that
 * URLs escape, such as a space: OLCUT resolves a relative {@code <file>} include against the
 * escaped path ({@code my%20clone/configs/...}) and does not find it.
 * <p>
 * For the duration of loading, each {@code -c} file in such a directory is given to OLCUT through
 * a symbolic link, in a fresh temporary directory, to the file's directory; includes then resolve
 * through the link to the real files. Messages are mapped back to the real paths. Paths inside
 * the configs that are relative to the working directory (data files) are unaffected. Every place
 * that hands {@code -c} files to OLCUT goes through here: the commands, and the sweep's worker
 * processes.
 */
public final class ConfigFiles implements AutoCloseable {

    private final String[] args;
    private final List<Path> links = new ArrayList<>();
    private final List<String[]> replacements = new ArrayList<>();

    private ConfigFiles(String[] args) {
        this.args = args.clone();
    }

    /**
     * Prepares the arguments for OLCUT.
     * @param args The command's arguments.
     * @return The prepared arguments; close them once OLCUT has loaded the config.
     */
    public static ConfigFiles prepare(String[] args) {
        ConfigFiles c = new ConfigFiles(args);
        for (int i = 0; i < c.args.length - 1; i++) {
            if (c.args[i].equals("-c") || c.args[i].equals("--config-file")) {
                List<String> files = new ArrayList<>();
                for (String f : c.args[i + 1].split(",")) {
                    files.add(c.linked(f.trim()));
                }
                c.args[i + 1] = String.join(",", files);
            }
        }
        return c;
    }

    /**
     * The arguments to hand OLCUT.
     * @return A copy of the prepared arguments.
     */
    public String[] args() {
        return args.clone();
    }

    /**
     * Maps temporary link paths in a message back to the real directories.
     * @param message A message from OLCUT.
     * @return The message with real paths.
     */
    public String real(String message) {
        String m = String.valueOf(message);
        for (String[] r : replacements) {
            m = m.replace(r[0], r[1]).replace(r[0].replace(" ", "%20"), r[1]);
        }
        if (m.contains("%20") && m.contains("No such file")) {
            m += " (OLCUT 5.3 resolved a relative <file> include against the URL-escaped path of the file that includes"
                    + " it, which was itself included by a path with a space: include that file by a path without spaces,"
                    + " or give it with -c)";
        }
        return m;
    }

    private String linked(String file) {
        Path p = Paths.get(file).toAbsolutePath().normalize();
        Path dir = p.getParent();
        if (dir == null || !Files.isRegularFile(p) || dir.toUri().getRawPath().equals(dir.toString() + "/")
                || dir.toUri().getRawPath().equals(dir.toString())) {
            return file;
        }
        try {
            Path tmp = Files.createTempDirectory("tribuo-rg-config-");
            links.add(tmp);
            Path link = Files.createSymbolicLink(tmp.resolve("configs"), dir);
            replacements.add(new String[]{link.toString(), dir.toString()});
            return link.resolve(p.getFileName()).toString();
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            return file; // no symbolic links here: OLCUT gets the path as it is
        }
    }

    /** Deletes the temporary links (never what they point to). */
    @Override
    public void close() {
        for (Path tmp : links) {
            try (Stream<Path> files = Files.walk(tmp)) {
                // Files.walk does not follow the link, so only the link and its directory are deleted.
                for (Path f : (Iterable<Path>) files.sorted(Comparator.reverseOrder())::iterator) {
                    Files.deleteIfExists(f);
                }
            } catch (IOException e) {
                tmp.toFile().deleteOnExit();
            }
        }
    }
}

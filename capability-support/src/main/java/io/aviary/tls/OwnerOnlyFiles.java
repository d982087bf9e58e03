package io.aviary.tls;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * Files and directories only their owner may read: keys, passwords, the database. On a file system
 * without POSIX permissions (Windows) they are created with its defaults.
 */
public final class OwnerOnlyFiles {

    private static final Set<PosixFilePermission> DIRECTORY = PosixFilePermissions.fromString("rwx------");
    private static final Set<PosixFilePermission> FILE = PosixFilePermissions.fromString("rw-------");

    private OwnerOnlyFiles() {
    }

    private static boolean posix() {
        return FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
    }

    /** Creates the directory (and missing parents) if needed and makes it 0700. */
    public static Path directory(Path directory) throws IOException {
        Files.createDirectories(directory);
        if (posix()) {
            Files.setPosixFilePermissions(directory, DIRECTORY);
        }
        return directory;
    }

    /** Creates an empty file that is 0600 from its first byte, so no one else can open it while it is written. */
    public static Path newFile(Path file) throws IOException {
        return posix() ? Files.createFile(file, PosixFilePermissions.asFileAttribute(FILE)) : Files.createFile(file);
    }

    /** Makes an existing file 0600. */
    public static void restrict(Path file) throws IOException {
        if (posix()) {
            Files.setPosixFilePermissions(file, FILE);
        }
    }
}

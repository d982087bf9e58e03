package io.aviary.xep0363;

import io.aviary.tls.OwnerOnlyFiles;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.stream.Stream;

/**
 * Files in a directory (the standalone default): {@code <root>/<owner>/<token>/<filename>}, with
 * {@code <root>/<owner>/<token>.meta} holding the size, type and time. A file is written under
 * {@code <root>/.incoming} and moved into place with its metadata, so a reader never sees half of one.
 */
public final class DirectoryFileStore implements FileStore {

    private static final int BUFFER = 64 * 1024;

    private final Path root;
    private final Path incoming;
    private final Clock clock;

    public DirectoryFileStore(Path root, Clock clock) throws IOException {
        this.root = OwnerOnlyFiles.directory(root.toAbsolutePath().normalize());
        this.incoming = OwnerOnlyFiles.directory(this.root.resolve(".incoming"));
        this.clock = clock;
    }

    @Override
    public void put(FileKey key, long size, String contentType, InputStream content) throws IOException {
        Path tokenDirectory = root.resolve(key.owner()).resolve(key.token());
        if (Files.exists(tokenDirectory)) {
            throw new FileAlreadyExistsException(key.toString());
        }
        Path spooled = Files.createTempFile(incoming, key.token(), ".part");
        try {
            try (OutputStream out = Files.newOutputStream(spooled)) {
                copyExactly(content, out, size, key);
            }
            Files.createDirectories(tokenDirectory.getParent());
            Files.createDirectory(tokenDirectory); // the claim: a second put of the key fails here
            Files.move(spooled, tokenDirectory.resolve(key.filename()), StandardCopyOption.ATOMIC_MOVE);
            Properties meta = new Properties();
            meta.setProperty("size", Long.toString(size));
            meta.setProperty("content-type", contentType);
            meta.setProperty("created", clock.instant().toString());
            Path metaSpool = Files.createTempFile(incoming, key.token(), ".meta");
            try (Writer writer = Files.newBufferedWriter(metaSpool, StandardCharsets.UTF_8)) {
                meta.store(writer, null);
            }
            Files.move(metaSpool, metaFile(key), StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(spooled);
        }
    }

    /** Copies exactly {@code size} bytes, failing on a shorter or a longer stream. */
    static void copyExactly(InputStream in, OutputStream out, long size, FileKey key) throws IOException {
        byte[] buffer = new byte[BUFFER];
        long left = size;
        while (left > 0) {
            int read = in.read(buffer, 0, (int) Math.min(buffer.length, left));
            if (read < 0) {
                throw new IOException(key + ": the content ended " + left + " bytes short of " + size);
            }
            out.write(buffer, 0, read);
            left -= read;
        }
        if (in.read() >= 0) {
            throw new IOException(key + ": the content is longer than " + size + " bytes");
        }
    }

    @Override
    public Optional<StoredFile> stat(FileKey key) throws IOException {
        Path meta = metaFile(key);
        if (!Files.exists(meta) || !Files.exists(contentFile(key))) {
            return Optional.empty();
        }
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(meta, StandardCharsets.UTF_8)) {
            properties.load(reader);
        } catch (NoSuchFileException deletedMeanwhile) {
            return Optional.empty();
        }
        return Optional.of(new StoredFile(key, Long.parseLong(properties.getProperty("size")),
                properties.getProperty("content-type"), Instant.parse(properties.getProperty("created"))));
    }

    @Override
    public Optional<Download> get(FileKey key) throws IOException {
        Optional<StoredFile> file = stat(key);
        if (file.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(new Download(file.get(), Files.newInputStream(contentFile(key))));
        } catch (NoSuchFileException deletedMeanwhile) {
            return Optional.empty();
        }
    }

    @Override
    public void delete(FileKey key) throws IOException {
        Files.deleteIfExists(metaFile(key));
        Files.deleteIfExists(contentFile(key));
        Files.deleteIfExists(root.resolve(key.owner()).resolve(key.token()));
    }

    @Override
    public List<StoredFile> list(String owner) throws IOException {
        Path directory = root.resolve(owner);
        List<StoredFile> files = new ArrayList<>();
        if (!owner.matches("[0-9a-f]{32}") || !Files.isDirectory(directory)) {
            return files;
        }
        try (DirectoryStream<Path> tokens = Files.newDirectoryStream(directory, Files::isDirectory)) {
            for (Path token : tokens) {
                try (Stream<Path> names = Files.list(token)) {
                    for (Path name : names.toList()) {
                        FileKey.parse(owner + "/" + token.getFileName() + "/" + name.getFileName())
                                .flatMap(this::statQuietly).ifPresent(files::add);
                    }
                }
            }
        }
        return files;
    }

    @Override
    public int deleteOlderThan(Instant cutoff) throws IOException {
        int deleted = 0;
        try (DirectoryStream<Path> owners = Files.newDirectoryStream(root,
                p -> Files.isDirectory(p) && p.getFileName().toString().matches("[0-9a-f]{32}"))) {
            for (Path owner : owners) {
                for (StoredFile file : list(owner.getFileName().toString())) {
                    if (file.created().isBefore(cutoff)) {
                        delete(file.key());
                        deleted++;
                    }
                }
            }
        }
        return deleted;
    }

    private Optional<StoredFile> statQuietly(FileKey key) {
        try {
            return stat(key);
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private Path contentFile(FileKey key) {
        return root.resolve(key.owner()).resolve(key.token()).resolve(key.filename());
    }

    private Path metaFile(FileKey key) {
        return root.resolve(key.owner()).resolve(key.token() + ".meta");
    }
}

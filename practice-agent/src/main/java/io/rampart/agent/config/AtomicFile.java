package io.rampart.agent.config;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import java.util.UUID;

/**
 * Writes a file so that a crash or power cut leaves either the old or the new content, never half:
 * temp file, fsync, atomic rename, fsync of the directory. A file (and folder) this process creates belongs to
 * the owner of the folder it lands in (see {@link FileOwner}), given before the rename so that nobody ever sees it
 * with another owner: {@code rampart-agent report} run as root leaves files the agent service can read.
 */
public final class AtomicFile {

    /** Temp files are hidden and end like this, so collectors and the outbox ignore them. */
    public static final String TEMP_SUFFIX = ".rampart-tmp";

    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");

    private AtomicFile() {
    }

    public static void write(Path target, byte[] content, boolean ownerOnly) throws IOException {
        write(target, out -> out.write(content), ownerOnly);
    }

    /** Writes what {@code content} writes to the stream it is given. */
    @FunctionalInterface
    public interface Content {
        void writeTo(java.io.OutputStream out) throws IOException;
    }

    /**
     * Like {@link #write(Path, byte[], boolean)}, but the content is streamed to the temp file as {@code content}
     * writes it, so a large file never has to be held whole in memory.
     *
     * @throws IOException when the temp file cannot be written, synced or renamed; the old file is then left as it was
     */
    public static void write(Path target, Content content, boolean ownerOnly) throws IOException {
        Path directory = target.toAbsolutePath().getParent();
        FileOwner owner = FileOwner.of(directory);
        owner.createDirectories(directory);
        Path temp = directory.resolve("." + target.getFileName() + "." + UUID.randomUUID() + TEMP_SUFFIX);
        try {
            try (FileChannel channel = FileChannel.open(temp, Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
                    ownerOnly ? ownerOnlyAttribute(directory) : new FileAttribute<?>[0])) {
                java.io.OutputStream out = new java.io.BufferedOutputStream(java.nio.channels.Channels.newOutputStream(channel), 64 << 10);
                content.writeTo(out);
                out.flush();
                channel.force(true);
            }
            owner.adopt(temp);
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(temp);
        }
        syncDirectory(directory);
    }

    public static boolean isTemp(Path file) {
        return file.getFileName().toString().endsWith(TEMP_SUFFIX);
    }

    /** Makes a rename durable; not every platform can open a directory, and there it is best effort. */
    public static void syncDirectory(Path directory) {
        try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            // Windows cannot open directories; the rename itself is still atomic there.
        }
    }

    private static FileAttribute<?>[] ownerOnlyAttribute(Path directory) {
        boolean posix = directory.getFileSystem().supportedFileAttributeViews().contains("posix");
        return posix ? new FileAttribute<?>[] { PosixFilePermissions.asFileAttribute(OWNER_ONLY) } : new FileAttribute<?>[0];
    }

}

package io.rampart.agent.restore;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.Optional;
import java.util.Set;

/** Reading restored files back, comparing copies, and removing a scratch folder whatever the restore left in it. */
public final class RestoredFiles {

    private RestoredFiles() {
    }

    /** How many regular files and bytes are in the folder, each file read to its end; the first unreadable file fails it. */
    public record ReadBack(long files, long bytes, Optional<String> unreadable) {
    }

    public static ReadBack readAll(Path folder) throws IOException {
        long[] filesAndBytes = new long[2];
        String[] unreadable = new String[1];
        Files.walkFileTree(folder, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                if (!attrs.isRegularFile()) {
                    return FileVisitResult.CONTINUE;
                }
                try (InputStream in = Files.newInputStream(file)) {
                    long read = in.transferTo(java.io.OutputStream.nullOutputStream());
                    if (read != attrs.size()) {
                        unreadable[0] = relative(folder, file) + " has " + attrs.size() + " bytes but " + read + " could be read";
                        return FileVisitResult.TERMINATE;
                    }
                    filesAndBytes[0]++;
                    filesAndBytes[1] += read;
                } catch (IOException e) {
                    unreadable[0] = "restored file " + relative(folder, file) + " cannot be read: " + e.getClass().getSimpleName();
                    return FileVisitResult.TERMINATE;
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException e) {
                unreadable[0] = "restored " + relative(folder, file) + " cannot be read: " + e.getClass().getSimpleName();
                return FileVisitResult.TERMINATE;
            }
        });
        return new ReadBack(filesAndBytes[0], filesAndBytes[1], Optional.ofNullable(unreadable[0]));
    }

    public static String sha256(Path file) throws IOException {
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java has SHA-256", e);
        }
        byte[] buffer = new byte[1 << 16];
        try (InputStream in = Files.newInputStream(file)) {
            int n;
            while ((n = in.read(buffer)) >= 0) {
                digest.update(buffer, 0, n);
            }
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    /** Empty when the copy holds exactly the original's bytes; else what differs, naming the copy's file name. */
    public static Optional<String> compare(Path original, Path copy) throws IOException {
        String expected = sha256(original);
        String actual = sha256(copy);
        if (expected.equals(actual)) {
            return Optional.empty();
        }
        return Optional.of("the restored copy of " + copy.getFileName() + " does not match the backup (SHA-256 "
                + actual.substring(0, 12) + "... instead of " + expected.substring(0, 12) + "...)");
    }

    /** Deletes the folder and everything in it, making read-only restored folders writable first. */
    public static void deleteRecursively(Path folder) throws IOException {
        if (!Files.exists(folder, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        Files.walkFileTree(folder, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
                makeWritable(dir);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.delete(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
                if (e != null) {
                    throw e;
                }
                Files.delete(dir);
                return FileVisitResult.CONTINUE;
            }
        });
    }

    private static void makeWritable(Path dir) {
        try {
            Set<PosixFilePermission> permissions = EnumSet.noneOf(PosixFilePermission.class);
            permissions.addAll(Files.getPosixFilePermissions(dir));
            if (permissions.addAll(EnumSet.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE,
                    PosixFilePermission.OWNER_EXECUTE))) {
                Files.setPosixFilePermissions(dir, permissions);
            }
        } catch (UnsupportedOperationException | IOException e) {
            // not a POSIX file system, or not ours to change: the delete will say so
        }
    }

    private static String relative(Path folder, Path file) {
        return folder.relativize(file).toString().replace('\\', '/');
    }
}

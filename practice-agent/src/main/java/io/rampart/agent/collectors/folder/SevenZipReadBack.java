package io.rampart.agent.collectors.folder;

import static io.rampart.agent.collectors.folder.ArchiveReadBack.BUFFER;
import static io.rampart.agent.collectors.folder.ArchiveReadBack.after;
import static io.rampart.agent.collectors.folder.ArchiveReadBack.damaged;
import static io.rampart.agent.collectors.folder.ArchiveReadBack.message;
import static io.rampart.agent.collectors.folder.ArchiveReadBack.quoted;

import java.io.EOFException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import org.apache.commons.compress.PasswordRequiredException;
import org.apache.commons.compress.archivers.sevenz.SevenZArchiveEntry;
import org.apache.commons.compress.archivers.sevenz.SevenZFile;

import io.rampart.agent.collectors.folder.ArchiveReadBack.Result;

/** Reads a 7z archive back with Commons Compress's SevenZFile, which checks each entry's CRC-32 at its end. */
final class SevenZipReadBack {

    private SevenZipReadBack() {
    }

    static Result read(Path file) throws IOException {
        SevenZFile archive;
        try {
            archive = SevenZFile.builder().setPath(file).get();
        } catch (PasswordRequiredException e) {
            // 7z -mhe=on encrypts the list of files too
            return new Result(0, Optional.empty(), List.of("the archive is encrypted, its list of files too: "
                    + "its CRCs can only be checked with the password"));
        } catch (IOException | RuntimeException e) {
            if (!Files.isReadable(file)) {
                throw e;
            }
            return damaged(0, "its header cannot be read (cut off, or not a 7z archive): " + message(e));
        }
        long entries = 0;
        String last = null;
        List<String> notVerified = new ArrayList<>();
        try (archive) {
            byte[] buffer = new byte[BUFFER];
            SevenZArchiveEntry entry;
            while (true) {
                try {
                    entry = archive.getNextEntry();
                } catch (IOException | RuntimeException e) {
                    return damaged(entries, "it is damaged " + after(last) + ": " + message(e));
                }
                if (entry == null) {
                    break;
                }
                entries++;
                last = entry.getName();
                String name = quoted(last);
                if (entry.isDirectory() || !entry.hasStream()) {
                    continue;
                }
                try {
                    // SevenZFile checks each entry's CRC-32 at its end
                    while (archive.read(buffer) >= 0) {
                        // drained
                    }
                } catch (PasswordRequiredException e) {
                    notVerified.add("entry " + name + " is encrypted: its CRC-32 can only be checked with the password");
                } catch (EOFException e) {
                    return damaged(entries, "entry " + name + " is cut off (the archive ends inside it)");
                } catch (IOException | RuntimeException e) {
                    return damaged(entries, message(e).toLowerCase(Locale.ROOT).contains("checksum")
                            ? "entry " + name + " fails its CRC-32" : "entry " + name + " cannot be decompressed: " + message(e));
                }
            }
        }
        return new Result(entries, Optional.empty(), List.copyOf(notVerified));
    }
}

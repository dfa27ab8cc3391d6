package io.rampart.agent.collectors.folder;

import static io.rampart.agent.collectors.folder.ArchiveReadBack.BUFFER;
import static io.rampart.agent.collectors.folder.ArchiveReadBack.damaged;
import static io.rampart.agent.collectors.folder.ArchiveReadBack.message;
import static io.rampart.agent.collectors.folder.ArchiveReadBack.quoted;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.zip.CRC32;

import org.apache.commons.compress.archivers.zip.UnicodePathExtraField;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipFile;
import org.apache.commons.compress.archivers.zip.ZipMethod;

import io.rampart.agent.collectors.folder.ArchiveReadBack.Result;

/**
 * Reads a zip archive back from its central directory: every entry inflated to its end, its size and CRC-32 compared
 * with the directory's; names in every encoding the writers use (the UTF-8 flag, code page 437, Info-ZIP's Unicode Path).
 */
final class ZipReadBack {

    private ZipReadBack() {
    }

    /** The code page of zip names without the UTF-8 flag (APPNOTE 6.3, appendix D), as Info-ZIP's unzip reads them. */
    private static final Charset CP437 = Charset.forName("IBM437");

    static Result read(Path file) throws IOException {
        ZipFile zip;
        try {
            // names without the UTF-8 flag are in the OEM code page (Windows' "Send to compressed folder", Info-ZIP
            // on DOS, 7-Zip by default); Info-ZIP's Unicode Path extra field, when present, wins
            zip = ZipFile.builder().setPath(file).setCharset(CP437).setUseUnicodeExtraFields(true).get();
        } catch (EOFException e) {
            return damaged(0, "it ends before its central directory (cut off?)");
        } catch (IOException e) {
            if (!Files.isReadable(file)) {
                throw e;
            }
            return damaged(0, "its central directory cannot be read (cut off, or not a zip): " + message(e));
        } catch (RuntimeException e) {
            // a central directory whose numbers make no sense (Commons Compress rejects them unchecked)
            return damaged(0, "its central directory is damaged: " + message(e));
        }
        long entries = 0;
        List<String> notVerified = new ArrayList<>();
        try (zip) {
            byte[] buffer = new byte[BUFFER];
            for (Enumeration<ZipArchiveEntry> all = zip.getEntriesInPhysicalOrder(); all.hasMoreElements();) {
                ZipArchiveEntry entry = all.nextElement();
                entries++;
                String name = quoted(zipName(entry));
                if (entry.isDirectory()) {
                    continue;
                }
                if (entry.getGeneralPurposeBit().usesEncryption()) {
                    notVerified.add("entry " + name + " is encrypted: its CRC-32 can only be checked with the password");
                    continue;
                }
                if (!zip.canReadEntryData(entry)) {
                    notVerified.add("entry " + name + " is compressed with " + method(entry)
                            + ", which the agent cannot decompress to check its CRC-32");
                    continue;
                }
                CRC32 crc = new CRC32();
                long read = 0;
                try (InputStream in = zip.getInputStream(entry)) {
                    int n;
                    while ((n = in.read(buffer)) >= 0) {
                        crc.update(buffer, 0, n);
                        read += n;
                    }
                } catch (EOFException e) {
                    return damaged(entries, "entry " + name + " is cut off (the archive ends inside it)");
                } catch (IOException | RuntimeException e) {
                    // a damaged deflate stream (IllegalArgumentException, ZipException) or an entry pointing past the end
                    return damaged(entries, "entry " + name + " cannot be decompressed: " + message(e));
                }
                if (entry.getSize() >= 0 && read != entry.getSize()) {
                    return damaged(entries, "entry " + name + " holds " + read + " bytes where the archive lists " + entry.getSize());
                }
                if (entry.getCrc() >= 0 && crc.getValue() != entry.getCrc()) {
                    return damaged(entries, "entry " + name + " fails its CRC-32");
                }
            }
        }
        return new Result(entries, Optional.empty(), List.copyOf(notVerified));
    }

    /**
     * The entry's name as the tool that wrote it meant it: UTF-8 when flagged or when Info-ZIP's Unicode Path extra
     * field gave it; else UTF-8 when the bytes are valid UTF-8 with non-ASCII in them (macOS and Linux writers
     * that do not set the flag); else code page 437.
     */
    static String zipName(ZipArchiveEntry entry) {
        if (entry.getGeneralPurposeBit().usesUTF8ForNames() || entry.getExtraField(UnicodePathExtraField.UPATH_ID) != null) {
            return entry.getName();
        }
        byte[] raw = entry.getRawName();
        if (raw == null) {
            return entry.getName();
        }
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(raw)).toString();
        } catch (CharacterCodingException e) {
            return entry.getName();
        }
    }

    private static String method(ZipArchiveEntry entry) {
        ZipMethod method = ZipMethod.getMethodByCode(entry.getMethod());
        String name = method == null || method == ZipMethod.UNKNOWN ? "an unknown method"
                : switch (method) {
                    case PPMD -> "PPMd";
                    case LZMA -> "LZMA";
                    case XZ -> "xz";
                    case ZSTD, ZSTD_DEPRECATED -> "Zstandard";
                    case JPEG -> "JPEG";
                    case WAVPACK -> "WavPack";
                    default -> method.name().toLowerCase(Locale.ROOT).replace('_', ' ');
                };
        return name + " (zip method " + entry.getMethod() + ")";
    }
}

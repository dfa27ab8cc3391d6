package io.rampart.agent.restore;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.zip.GZIPInputStream;

import io.rampart.agent.collectors.FutureDates;
import io.rampart.protocol.agent.v1.FutureDatedItem;

/**
 * The pg_dump file a restore test restores: the newest one in the dump folder that is not dated later than this
 * computer's clock (those are a clock problem, passed over and reported).
 *
 * @param dump       the chosen file, empty when the folder holds none
 * @param item       its path relative to the dump folder, with '/' (what the result names)
 * @param size       its size in bytes
 * @param format     how it must be restored (from its first bytes, not its name)
 * @param passedOver dumps dated in the future
 */
record DumpChoice(Optional<Path> dump, String item, long size, Format format, List<FutureDatedItem> passedOver) {

    /** How a dump is restored: custom (and tar) archives by pg_restore, plain scripts by psql. */
    enum Format {
        CUSTOM, PLAIN, PLAIN_GZ;

        /** From the file's first bytes ("PGDMP", gzip's 1f 8b), else its name. */
        static Format of(Path dump) throws IOException {
            byte[] head = new byte[5];
            int read;
            try (InputStream in = Files.newInputStream(dump)) {
                read = in.readNBytes(head, 0, head.length);
            }
            if (read == 5 && new String(head, StandardCharsets.US_ASCII).equals("PGDMP")) {
                return CUSTOM;
            }
            if (read >= 2 && (head[0] & 0xff) == 0x1f && (head[1] & 0xff) == 0x8b) {
                return PLAIN_GZ;
            }
            String lower = dump.getFileName().toString().toLowerCase(Locale.ROOT);
            // .dump/.backup that is not PGDMP: a tar-format archive, or a damaged one; pg_restore says which
            return lower.endsWith(".sql") ? PLAIN : lower.endsWith(".sql.gz") ? PLAIN_GZ : CUSTOM;
        }

        boolean plain() {
            return this != CUSTOM;
        }
    }

    /**
     * The newest dump in {@code folder}.
     *
     * @throws IOException the folder or a file in it cannot be read
     */
    static DumpChoice newest(Path folder, Instant now) throws IOException {
        List<Path> future = new ArrayList<>();
        Optional<Path> newest = FolderCopy.newestFile(folder, DumpChoice::isDump, at -> FutureDates.isFuture(at, now), future);
        List<FutureDatedItem> passedOver = new ArrayList<>();
        for (Path file : future) {
            passedOver.add(FutureDates.item(relative(folder, file), Files.getLastModifiedTime(file).toInstant(), now));
        }
        if (newest.isEmpty()) {
            return new DumpChoice(Optional.empty(), "nothing", 0, Format.CUSTOM, passedOver);
        }
        Path dump = newest.get();
        return new DumpChoice(newest, relative(folder, dump), Files.size(dump), Format.of(dump), passedOver);
    }

    static boolean isDump(Path file) {
        String lower = file.getFileName().toString().toLowerCase(Locale.ROOT);
        return lower.endsWith(".dump") || lower.endsWith(".backup") || lower.endsWith(".sql") || lower.endsWith(".sql.gz");
    }

    String fileName() {
        return dump.map(d -> d.getFileName().toString()).orElse(item);
    }

    /**
     * The plain script, gunzipped when it is a .sql.gz.
     *
     * @throws IOException the file cannot be opened, or its gzip header is damaged
     */
    InputStream openScript() throws IOException {
        InputStream raw = Files.newInputStream(dump.orElseThrow());
        if (format != Format.PLAIN_GZ) {
            return raw;
        }
        try {
            return new GZIPInputStream(raw, 1 << 16);
        } catch (IOException e) {
            raw.close();
            throw e;
        }
    }

    private static String relative(Path folder, Path file) {
        return folder.relativize(file).toString().replace('\\', '/');
    }
}

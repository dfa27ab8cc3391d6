package io.rampart.agent.collectors.folder;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import io.rampart.agent.collectors.ExternalCommand;

/**
 * Opens a backup file whose format a tool can verify: zip, tar (plain or compressed), 7z and gzip/bzip2/xz files
 * with {@link ArchiveReadBack} (by the file name's ending), and PostgreSQL custom-format dumps ({@code pg_dump -Fc},
 * recognised by their {@code PGDMP} signature whatever the name) with {@code pg_restore}: {@code --list} reads the
 * header and table of contents, then {@code --file=/dev/null} reads every data block (a dump cut off or damaged after
 * its table of contents still lists fine). Anything else is bytes only.
 */
public final class FileStructure {

    /** The first bytes of every custom-format dump (pg_backup_archiver.c writes "PGDMP"). */
    private static final byte[] PGDMP = { 'P', 'G', 'D', 'M', 'P' };

    private FileStructure() {
    }

    /**
     * What opening the file found.
     *
     * @param format      "zip", "tar.gz", "PostgreSQL custom dump"; empty when the file is not a format opened here
     * @param entries     archive entries, or the dump's table-of-contents entries, read
     * @param damage      why the file is damaged, naming the format and the entry where known; empty when it is not
     * @param notVerified entries that could not be checked (encrypted), or why the whole file could not be opened
     *                    (the tool cannot read this version, lacks a compression, is missing or timed out), with why
     * @param opened      whether the tool read the file through (false when the file was only hashed, or the tool
     *                    could not open it for a reason that is the tool's, not the file's)
     */
    public record Result(Optional<String> format, long entries, Optional<String> damage, List<String> notVerified, boolean opened) {
        static final Result BYTES_ONLY = new Result(Optional.empty(), 0, Optional.empty(), List.of(), false);

        Result(Optional<String> format, long entries, Optional<String> damage, List<String> notVerified) {
            this(format, entries, damage, notVerified, format.isPresent() && damage.isEmpty());
        }

        /** The tool could not open the file for a reason of its own; the file's bytes were still hashed. */
        static Result notOpened(String label, String why) {
            return new Result(Optional.of(label), 0, Optional.empty(), List.of(why), false);
        }
    }

    /**
     * Opens {@code file} (named {@code name} in the folder) if a tool can verify its format.
     *
     * @param pgRestore the pg_restore to run (a path, or a name looked up on PATH)
     * @throws IOException only when the file itself cannot be read; damage is in the result
     */
    public static Result check(Path file, String name, String pgRestore) throws IOException {
        Optional<ArchiveReadBack.Kind> kind = ArchiveReadBack.Kind.of(name);
        if (kind.isPresent()) {
            ArchiveReadBack.Result archive;
            try {
                archive = ArchiveReadBack.read(file, kind.get());
            } catch (RuntimeException e) {
                // a reader bug on odd input must not stop the read-back of the other files
                archive = new ArchiveReadBack.Result(0, Optional.of("it cannot be opened (" + e.getClass().getSimpleName() + ")"), List.of());
            }
            String label = kind.get().label;
            return new Result(Optional.of(label), archive.entries(), archive.damage().map(why -> "damaged " + label + " archive: " + why),
                    archive.notVerified());
        }
        if (isCustomDump(file)) {
            return customDump(file, pgRestore);
        }
        return Result.BYTES_ONLY;
    }

    static boolean isCustomDump(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return Arrays.equals(in.readNBytes(PGDMP.length), PGDMP);
        }
    }

    private static Result customDump(Path file, String pgRestore) throws IOException {
        String label = "PostgreSQL custom dump";
        // generous: pg_restore reads at disk speed; 10 MB/s is a slow NAS
        Duration limit = Duration.ofMinutes(10).plusSeconds(Files.size(file) / 10_000_000);
        ExternalCommand.Outcome list;
        try {
            list = ExternalCommand.of(List.of(pgRestore, "--list", file.toString())).timeout(limit).run();
        } catch (ExternalCommand.NotInstalledException e) {
            return Result.notOpened(label, "the dump's structure was not checked: " + pgRestore
                    + " is not installed (Debian: apt install postgresql-client, or set check.<id>.pg-restore= in checks.properties)");
        }
        Optional<String> tool = toolProblem(list, file, pgRestore);
        if (tool.isPresent()) {
            return Result.notOpened(label, tool.get());
        }
        if (!list.succeeded()) {
            return damaged(label, 0, "pg_restore --list cannot read its table of contents: " + firstProblem(list));
        }
        long entries = list.stdout().lines().filter(line -> !line.isBlank() && !line.startsWith(";")).count();
        String nowhere = File.separatorChar == '\\' ? "NUL" : "/dev/null";
        ExternalCommand.Outcome data = ExternalCommand.of(List.of(pgRestore, "--file=" + nowhere, file.toString())).timeout(limit).run();
        tool = toolProblem(data, file, pgRestore);
        if (tool.isPresent()) {
            return Result.notOpened(label, tool.get());
        }
        if (!data.succeeded()) {
            return damaged(label, entries, "pg_restore cannot read its data: " + firstProblem(data));
        }
        return new Result(Optional.of(label), entries, Optional.empty(), List.of());
    }

    /**
     * Why pg_restore failed for a reason of its own rather than the dump's: it is older than the dump's archive
     * format (pg_restore 15 reads archive versions up to 1.14; PostgreSQL 16 writes 1.15, 17 writes 1.16), it was
     * built without the dump's compression (lz4, zstd, gzip), or it ran out of time. Empty when pg_restore read the
     * version and failed on the data or table of contents: that is damage.
     */
    static Optional<String> toolProblem(ExternalCommand.Outcome outcome, Path file, String pgRestore) throws IOException {
        if (outcome.timedOut()) {
            return Optional.of("the dump's structure was not checked: pg_restore did not finish within " + outcome.took().toMinutes()
                    + " minutes (a slow disk or share); its bytes were read back");
        }
        if (outcome.succeeded()) {
            return Optional.empty();
        }
        String error = outcome.stderr().toLowerCase(java.util.Locale.ROOT);
        if (error.contains("unsupported version")) {
            String archive = archiveVersion(file);
            return Optional.of(toolName(pgRestore) + " cannot read this dump's archive format " + archive + newerPostgres(archive)
                    + ": the dump was not checked; install the postgresql-client of the database's version or newer (Debian: apt install "
                    + "postgresql-client-17) or set check.<id>.pg-restore= in checks.properties to a newer pg_restore");
        }
        if (error.contains("not built with") || error.contains("does not support compression") || error.contains("compression not supported")
                || error.contains("not supported by this build")) {
            return Optional.of(toolName(pgRestore) + " cannot read this dump's compression (" + firstProblem(outcome)
                    + "): the dump was not checked; install a postgresql-client built with it (the PGDG packages have lz4 and zstd) or set "
                    + "check.<id>.pg-restore= in checks.properties");
        }
        return Optional.empty();
    }

    /** The archive format version from header bytes 5-7 ("1.16"), as pg_backup_archiver.c writes it. */
    static String archiveVersion(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            byte[] header = in.readNBytes(8);
            if (header.length < 8) {
                return "(unknown)";
            }
            return (header[5] & 0xff) + "." + (header[6] & 0xff) + (header[7] == 0 ? "" : "." + (header[7] & 0xff));
        }
    }

    private static String newerPostgres(String archive) {
        return switch (archive.replaceFirst("^(\\d+\\.\\d+).*", "$1")) {
            case "1.15" -> " (written by pg_dump 16)";
            case "1.16" -> " (written by pg_dump 17 or newer)";
            default -> archive.startsWith("1.") ? " (written by a newer pg_dump)" : "";
        };
    }

    /** "pg_restore 15" from {@code pg_restore --version}; the path as given when that fails. */
    private static String toolName(String pgRestore) {
        try {
            ExternalCommand.Outcome version = ExternalCommand.of(List.of(pgRestore, "--version")).timeout(Duration.ofSeconds(30)).run();
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("(\\d+)(\\.\\d+)?").matcher(version.stdout());
            if (version.succeeded() && m.find()) {
                return "pg_restore " + m.group(1);
            }
        } catch (IOException e) {
            // named by its path below
        }
        return pgRestore;
    }

    private static Result damaged(String label, long entries, String why) {
        return new Result(Optional.of(label), entries, Optional.of("damaged " + label + ": " + why), List.of());
    }

    /** pg_restore's first error line, without its "pg_restore: error: " prefix. */
    private static String firstProblem(ExternalCommand.Outcome outcome) {
        if (outcome.timedOut()) {
            return "it did not finish within " + outcome.took().toMinutes() + " minutes";
        }
        return outcome.stderr().lines().map(String::strip).filter(line -> !line.isEmpty())
                .map(line -> line.replaceFirst("^pg_restore: (error: )?", ""))
                .filter(line -> !line.startsWith("warning:")).findFirst()
                .orElse("exit status " + outcome.exitCode());
    }
}

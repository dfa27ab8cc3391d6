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
     * @param notVerified entries that could not be checked (encrypted), with why
     */
    public record Result(Optional<String> format, long entries, Optional<String> damage, List<String> notVerified) {
        static final Result BYTES_ONLY = new Result(Optional.empty(), 0, Optional.empty(), List.of());
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
            return new Result(Optional.of(label), 0, Optional.empty(), List.of("the dump's structure was not checked: " + pgRestore
                    + " is not installed (Debian: apt install postgresql-client)"));
        }
        if (!list.succeeded()) {
            return damaged(label, 0, "pg_restore --list cannot read its table of contents: " + firstProblem(list));
        }
        long entries = list.stdout().lines().filter(line -> !line.isBlank() && !line.startsWith(";")).count();
        String nowhere = File.separatorChar == '\\' ? "NUL" : "/dev/null";
        ExternalCommand.Outcome data = ExternalCommand.of(List.of(pgRestore, "--file=" + nowhere, file.toString())).timeout(limit).run();
        if (!data.succeeded()) {
            return damaged(label, entries, "pg_restore cannot read its data: " + firstProblem(data));
        }
        return new Result(Optional.of(label), entries, Optional.empty(), List.of());
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

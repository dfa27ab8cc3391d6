package io.rampart.agent.restore;

import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Says in a person's words what a dump tried that a restore never does: run a psql meta-command, or, refused by the
 * scratch server because the restore role lacks the right, run a program or touch files on the server, use an
 * untrusted language, change the server's settings, become another role. Reads psql's and pg_restore's complaints in
 * the C locale the tools run in (PostgreSQL 15's wording, and 16's "permission denied to ..." with its DETAIL).
 */
final class DumpRefusals {

    static final String NEVER_RUNS = "Rampart never runs what a backup contains";
    private static final Pattern LINE = Pattern.compile("(?m)^psql:<stdin>:(\\d+): (?:ERROR|error):");
    private static final List<Attempt> ATTEMPTS = List.of(
            new Attempt("COPY to or from an external program", "run a program on the database server (COPY ... PROGRAM)"),
            new Attempt("COPY to a file", "write a file on the database server (COPY ... TO a file)"),
            new Attempt("COPY from a file", "read a file on the database server (COPY ... FROM a file)"),
            new Attempt("permission denied for function (pg_read_file|pg_read_binary_file|pg_ls_dir|pg_stat_file|lo_import|lo_export"
                    + "|pg_file_write|pg_file_rename|pg_file_unlink)", "read or write files on the database server ($1)"),
            new Attempt("permission denied for language (\\S+)", "create a function in the untrusted language $1"),
            new Attempt("permission denied to create extension \"([^\"]+)\"", "install the extension $1"),
            new Attempt("permission denied to set parameter \"([^\"]+)\"", "change the server setting $1"),
            new Attempt("permission denied to set (?:role|session authorization) \"?([^\"\\s]+)\"?", "become the role $1"),
            new Attempt("access to library \"([^\"]+)\" is not allowed", "load the library $1 into the server"),
            new Attempt("must be owner of database (\\S+)", "change or drop the database $1"),
            new Attempt("permission denied to (create|alter|drop) role", "$1 roles"),
            new Attempt("must be superuser", "do what only a superuser may"));

    private DumpRefusals() {
    }

    /** "clinical.sql tried to run a psql meta-command (\!) on line 3: Rampart never runs ...". */
    static String metaCommand(String fileName, RestrictedScript.Refused refused) {
        return fileName + " tried to run a psql meta-command" + refused.command().map(c -> " (" + c + ")").orElse("") + " on line "
                + refused.line() + ": " + NEVER_RUNS + ", so psql refused it and the restore stopped there (pg_dump writes no such "
                + "command: find out who can write to the dump folder)";
    }

    /**
     * When the scratch server refused something the restore role may not do: "clinical.sql tried to run a program on
     * the database server (COPY ... PROGRAM) on line 12, which the restore role may not: ..."; else empty.
     *
     * @param stderr     what psql or pg_restore printed
     * @param lineOffset subtracted from psql's line numbers (the lines Rampart put before the dump)
     */
    static Optional<String> serverRefusal(String fileName, String stderr, long lineOffset) {
        for (Attempt attempt : ATTEMPTS) {
            Matcher m = attempt.complaint.matcher(stderr);
            if (m.find()) {
                String what = expand(attempt.what, m);
                Matcher line = LINE.matcher(stderr);
                String where = line.find() ? " on line " + (Long.parseLong(line.group(1)) - lineOffset) : "";
                return Optional.of(fileName + " tried to " + what + where + ", which the restore role may not (the server said: "
                        + PostgresDumpRestore.firstError(stderr, 1).replaceFirst("^line \\d+: ", "") + "): " + NEVER_RUNS);
            }
        }
        return Optional.empty();
    }

    private static String expand(String template, Matcher m) {
        String text = template;
        for (int group = m.groupCount(); group >= 1; group--) {
            text = text.replace("$" + group, m.group(group) == null ? "" : m.group(group));
        }
        return text;
    }

    private record Attempt(Pattern complaint, String what) {
        Attempt(String complaint, String what) {
            this(Pattern.compile(complaint), what);
        }
    }
}

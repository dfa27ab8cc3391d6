package io.rampart.agent.restore;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real PostgreSQL 15 server for restore tests: initdb'd as the postgres system user in a temp folder, trust on
 * 127.0.0.1, a free port, a database {@code clinical} (patients and appointments, owned by clinic_app, readable by clinic_reader) and
 * {@code empty_practice}, and the
 * restore role the README tells IT to create ({@value #RESTORE_ROLE}: LOGIN CREATEDB, nothing more).
 */
final class ScratchPostgres {

    static final Path BIN = Path.of("/usr/lib/postgresql/15/bin");
    static final String RESTORE_ROLE = "rampart_restore";
    private static final boolean ROOT = "root".equals(System.getProperty("user.name"));

    final Path base;
    final int port;

    private ScratchPostgres(Path base, int port) {
        this.base = base;
        this.port = port;
    }

    static boolean installed() {
        return Files.isExecutable(BIN.resolve("postgres"));
    }

    static ScratchPostgres start() throws Exception {
        Path base = Files.createTempDirectory("rampart-pgrestore");
        if (ROOT) {
            Files.setOwner(base, base.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("postgres"));
        }
        ScratchPostgres server = new ScratchPostgres(base, freePort());
        Path data = base.resolve("data");
        asPostgres("initdb", "-D", data.toString(), "--auth=trust", "-U", "postgres", "-E", "UTF8", "--locale=C", "--no-sync");
        Files.writeString(data.resolve("postgresql.conf"), String.join("\n",
                "", "listen_addresses = '127.0.0.1'", "port = " + server.port, "unix_socket_directories = '" + base + "'",
                "fsync = off", ""), StandardOpenOption.APPEND);
        asPostgres("pg_ctl", "-D", data.toString(), "-l", base.resolve("server.log").toString(), "-w", "-t", "60", "start");

        server.sql("postgres", "create role " + RESTORE_ROLE + " login createdb nosuperuser nocreaterole noreplication");
        server.sql("postgres", "create database clinical");
        server.sql("clinical", "create table patients (id serial primary key, name text not null, born date)");
        server.sql("clinical", "create table appointments (id serial primary key, patient int references patients, at timestamptz)");
        server.sql("clinical", "insert into patients (name, born) select 'patient ' || g, date '1970-01-01' + g from generate_series(1, 5) g");
        server.sql("clinical", "insert into appointments (patient, at) select id, now() from patients");
        // as at a practice: the tables belong to the application's role, a reporting role may read them
        server.sql("postgres", "create role clinic_app nologin; create role clinic_reader nologin");
        server.sql("clinical", "alter table patients owner to clinic_app; alter table appointments owner to clinic_app;"
                + " grant select on patients, appointments to clinic_reader;"
                + " alter default privileges for role clinic_app grant select on tables to clinic_reader");
        server.sql("postgres", "create database empty_practice");
        return server;
    }

    void stop() throws Exception {
        if (Files.exists(base.resolve("data/postmaster.pid"))) {
            run(false, List.of(BIN.resolve("pg_ctl").toString(), "-D", base.resolve("data").toString(), "-m", "fast", "-w", "stop"));
        }
        try (Stream<Path> all = Files.walk(base)) {
            all.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    List<String> scratchDatabases() throws Exception {
        String names = sql("postgres", "select string_agg(datname, ',') from pg_database where datname like 'rampart_restore_%'");
        return names.isEmpty() ? List.of() : List.of(names.split(","));
    }

    void pgDump(String database, String... arguments) throws Exception {
        List<String> command = new ArrayList<>(List.of(BIN.resolve("pg_dump").toString(), "-h", "127.0.0.1", "-p",
                Integer.toString(port), "-U", "postgres", "-d", database));
        command.addAll(List.of(arguments));
        run(true, command);
    }

    /** psql as the superuser postgres: unaligned, tuples only. */
    String sql(String database, String sql) throws Exception {
        return run(true, List.of(BIN.resolve("psql").toString(), "-X", "-A", "-t", "-q", "-v", "ON_ERROR_STOP=1", "-h", "127.0.0.1",
                "-p", Integer.toString(port), "-U", "postgres", "-d", database, "-c", sql)).trim();
    }

    private static void asPostgres(String tool, String... args) throws Exception {
        List<String> command = new ArrayList<>();
        if (ROOT) {
            command.addAll(List.of("runuser", "-u", "postgres", "--"));
        }
        command.add(BIN.resolve(tool).toString());
        command.addAll(List.of(args));
        run(true, command);
    }

    static String run(boolean mustSucceed, List<String> command) throws Exception {
        List<String> full = new ArrayList<>(command);
        if (ROOT && full.get(0).endsWith("pg_ctl")) {
            full.addAll(0, List.of("runuser", "-u", "postgres", "--"));
        }
        Process process = new ProcessBuilder(full).redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
        byte[] output = process.getInputStream().readAllBytes();
        if (!process.waitFor(120, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException("timed out: " + full);
        }
        String text = new String(output, StandardCharsets.UTF_8);
        if (mustSucceed && process.exitValue() != 0) {
            throw new IllegalStateException(String.join(" ", full) + " exited " + process.exitValue() + ": " + text);
        }
        return text;
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}

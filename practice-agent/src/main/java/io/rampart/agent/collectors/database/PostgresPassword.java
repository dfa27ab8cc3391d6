package io.rampart.agent.collectors.database;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Hands a PostgreSQL password to psql or pg_restore through their environment, never the command line. */
public final class PostgresPassword {

    private PostgresPassword() {
    }

    /** A pgpass file (lines of host:port:db:user:password) goes in PGPASSFILE, a bare password in PGPASSWORD. */
    public static void into(Optional<Path> passwordFile, Map<String, String> environment) throws IOException {
        if (passwordFile.isEmpty()) {
            return;
        }
        Path file = passwordFile.get();
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8).stream()
                .filter(line -> !line.isBlank() && !line.startsWith("#")).toList();
        if (lines.size() == 1 && lines.get(0).replace("\\:", "").chars().filter(c -> c == ':').count() < 4) {
            environment.put("PGPASSWORD", lines.get(0).strip());
        } else {
            environment.put("PGPASSFILE", file.toAbsolutePath().toString());
        }
    }
}

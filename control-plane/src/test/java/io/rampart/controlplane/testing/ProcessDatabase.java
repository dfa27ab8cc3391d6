package io.rampart.controlplane.testing;

import java.net.ServerSocket;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import io.rampart.controlplane.agents.Secrets;

/**
 * Seeds and reads the database of a control plane run as a process (ControlPlaneProcess), which
 * runs without Keycloak: rows are written as an administrator's REST calls would write them.
 */
public final class ProcessDatabase {

    private final String jdbcUrl;

    public ProcessDatabase(String jdbcUrl) {
        this.jdbcUrl = jdbcUrl;
    }

    /** A provider, a group requiring nas-copy, and a practice in it. */
    public UUID seedPractice(String name) throws Exception {
        UUID provider = UUID.randomUUID();
        UUID group = UUID.randomUUID();
        UUID practice = UUID.randomUUID();
        try (Connection db = connect()) {
            execute(db, "insert into provider (id, name, created_at) values (?, ?, now())", provider, "Provider of " + name);
            execute(db, "insert into practice_group (id, provider_id, name, created_at) values (?, ?, ?, now())", group, provider,
                    "Group of " + name);
            execute(db, "insert into check_definition (provider_id, group_id, check_id, kind, interval_seconds, settings)"
                    + " values (?, ?, 'nas-copy', 'BACKUP_FOLDER', 900, '{\"maxAge\": \"93600s\", \"minSizeBytes\": \"1\"}')", provider, group);
            execute(db, "insert into practice (id, provider_id, group_id, name, created_at) values (?, ?, ?, ?, now())",
                    practice, provider, group, name);
        }
        return practice;
    }

    /** A provider and a group with {@code count} practices, written in one transaction so they all appear at once. */
    public List<UUID> seedPractices(String name, int count) throws Exception {
        UUID provider = UUID.randomUUID();
        UUID group = UUID.randomUUID();
        List<UUID> practices = new ArrayList<>();
        try (Connection db = connect()) {
            db.setAutoCommit(false);
            execute(db, "insert into provider (id, name, created_at) values (?, ?, now())", provider, "Provider of " + name);
            execute(db, "insert into practice_group (id, provider_id, name, created_at) values (?, ?, ?, now())", group, provider,
                    "Group of " + name);
            try (PreparedStatement insert = db.prepareStatement(
                    "insert into practice (id, provider_id, group_id, name, created_at) values (?, ?, ?, ?, now())")) {
                for (int i = 0; i < count; i++) {
                    UUID practice = UUID.randomUUID();
                    practices.add(practice);
                    insert.setObject(1, practice);
                    insert.setObject(2, provider);
                    insert.setObject(3, group);
                    insert.setString(4, name + " " + i);
                    insert.addBatch();
                }
                insert.executeBatch();
            }
            db.commit();
        }
        return practices;
    }

    /** The practice's IT contact at {@code email}, who is sent its failure and recovery emails. */
    public void addContact(UUID practiceId, String email) throws Exception {
        try (Connection db = connect()) {
            execute(db, "insert into contact (id, provider_id, group_id, practice_id, name, email, role, created_by, created_at)"
                    + " select ?, provider_id, group_id, id, 'IT service desk', ?, 'IT_CONTACT', 'test', now() from practice where id = ?",
                    UUID.randomUUID(), email, practiceId);
        }
    }

    /** A single-use enrolment token for the practice, valid for an hour. */
    public String issueToken(UUID practiceId) throws Exception {
        String token = "rpe_it-" + UUID.randomUUID();
        try (Connection db = connect()) {
            execute(db, "insert into enrolment_token (id, provider_id, group_id, practice_id, token_hash, created_at, expires_at)"
                    + " select ?, provider_id, group_id, id, ?, now(), now() + interval '1 hour' from practice where id = ?",
                    UUID.randomUUID(), Secrets.hash(token), practiceId);
        }
        return token;
    }

    /** The first column of every row the query returns, as text. */
    public List<String> column(String sql, Object... parameters) throws Exception {
        List<String> values = new ArrayList<>();
        try (Connection db = connect(); PreparedStatement statement = prepare(db, sql, parameters); var rows = statement.executeQuery()) {
            while (rows.next()) {
                values.add(rows.getString(1));
            }
        }
        return values;
    }

    public static int freePort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private Connection connect() throws Exception {
        return DriverManager.getConnection(jdbcUrl, "postgres", "postgres");
    }

    private static void execute(Connection db, String sql, Object... parameters) throws Exception {
        try (PreparedStatement statement = prepare(db, sql, parameters)) {
            statement.executeUpdate();
        }
    }

    private static PreparedStatement prepare(Connection db, String sql, Object... parameters) throws Exception {
        PreparedStatement statement = db.prepareStatement(sql);
        for (int i = 0; i < parameters.length; i++) {
            statement.setObject(i + 1, parameters[i]);
        }
        return statement;
    }
}

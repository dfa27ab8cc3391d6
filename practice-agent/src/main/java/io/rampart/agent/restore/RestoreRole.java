package io.rampart.agent.restore;

import java.util.ArrayList;
import java.util.List;

import io.rampart.agent.config.LocalChecks;

/**
 * The server-side half of "a restore never runs what a backup contains": the role a dump is restored as must be able
 * to create databases and nothing more, so that whatever SQL a dump holds can only act inside its own scratch database.
 *
 * <p>Checked in the fresh scratch database, before the dump is opened. Refused: a superuser; CREATEROLE (in PostgreSQL
 * 15 such a role may grant itself pg_execute_server_program); membership in any other role (pg_execute_server_program,
 * pg_read_server_files and pg_write_server_files run programs and read or write the server's files as its operating
 * system user; any other role could own a real database, which a dump's DROP DATABASE would then drop); ownership of a
 * database other than a scratch one; EXECUTE on the file functions (pg_read_file, pg_read_binary_file, pg_ls_dir,
 * pg_stat_file, lo_import, lo_export); from PostgreSQL 15, SET or ALTER SYSTEM granted on a server setting (ALTER
 * SYSTEM SET archive_command runs a program). What stays refused then is the server's own doing: COPY ... PROGRAM or
 * to/from a file, untrusted languages (C, plpython3u, plperlu), CREATE EXTENSION of untrusted extensions (dblink,
 * postgres_fdw, file_fdw), LOAD outside $libdir/plugins, SET ROLE and SET SESSION AUTHORIZATION.
 */
final class RestoreRole {

    static final String SUGGESTED_ROLE = "rampart_restore";
    private static final String FILE_FUNCTIONS =
            "'pg_read_file','pg_read_binary_file','pg_ls_dir','pg_stat_file','lo_import','lo_export'";
    private static final String RIGHTS = """
            select 'version ' || current_setting('server_version_num')
            union all select 'role ' || current_user
            union all select 'is a superuser' from pg_roles where rolname = current_user and rolsuper
            union all select 'has CREATEROLE' from pg_roles where rolname = current_user and rolcreaterole
            union all select 'has REPLICATION' from pg_roles where rolname = current_user and rolreplication
            union all select 'is a member of ' || m.rolname || case when m.rolsuper then ' (a superuser)' else '' end
                from pg_roles m where m.rolname not in (current_user, 'pg_database_owner') and pg_has_role(current_user, m.oid, 'MEMBER')
            union all select 'owns the database ' || d.datname from pg_database d join pg_roles r on r.oid = d.datdba
                where r.rolname = current_user and d.datname not like 'rampart\\_restore\\_%'
            union all select distinct 'may run ' || p.proname || '()' from pg_proc p
                where p.pronamespace = 'pg_catalog'::regnamespace and p.proname in (""" + FILE_FUNCTIONS + """
            ) and has_function_privilege(p.oid, 'EXECUTE')
            """;
    private static final String SETTINGS = """
            select 'may change the server setting ' || name from pg_settings
                where has_parameter_privilege(name, 'ALTER SYSTEM')
                   or (context in ('superuser', 'superuser-backend') and has_parameter_privilege(name, 'SET'))
            """;

    private RestoreRole() {
    }

    /**
     * Refuses the restore when the configured role may act outside {@code database}.
     *
     * @throws RestoreProblem naming what the role may do and the SQL that creates a role fit for restoring
     */
    static void check(ScratchServer server, String database) throws RestoreProblem {
        List<String> rows = server.query(database, RIGHTS, "tell what the restore role may do");
        List<String> reasons = new ArrayList<>();
        int version = 0;
        String role = server.user.orElse("");
        for (String row : rows) {
            if (row.startsWith("version ")) {
                version = Integer.parseInt(row.substring("version ".length()).strip());
            } else if (row.startsWith("role ")) {
                role = row.substring("role ".length()).strip();
            } else if (!row.isBlank()) {
                reasons.add(row.strip());
            }
        }
        if (reasons.contains("is a superuser")) {
            reasons = List.of("is a superuser");
        } else if (version >= 150000) {
            reasons.addAll(server.query(database, SETTINGS, "tell what the restore role may do"));
        }
        if (reasons.isEmpty()) {
            return;
        }
        String userProperty = LocalChecks.propertyFor(server.checkId, "user");
        String passwordProperty = LocalChecks.propertyFor(server.checkId, "password-file");
        throw new RestoreProblem("the restore role " + role + " on the scratch server " + server + " " + String.join(", ", reasons)
                + ", so a hostile dump could run programs, read files or drop databases there as it: " + DumpRefusals.NEVER_RUNS
                + ", and restores only as a role that may create databases and nothing more. As a superuser on " + server
                + " run: CREATE ROLE " + SUGGESTED_ROLE + " LOGIN CREATEDB NOSUPERUSER NOCREATEROLE NOREPLICATION PASSWORD '<a new password>';"
                + " then set " + userProperty + "=" + SUGGESTED_ROLE + " and put the password in the file named by " + passwordProperty);
    }
}

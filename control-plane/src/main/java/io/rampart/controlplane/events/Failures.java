package io.rampart.controlplane.events;

import java.sql.SQLException;
import java.util.Set;

/**
 * What a failed application of records says about its cause. PostgreSQL names the kind of every
 * error by its SQLSTATE class (https://www.postgresql.org/docs/current/errcodes-appendix.html):
 * some classes can only be the server's or the schema's state, never one record's content, and
 * a record failing with one of them is never dead-lettered.
 */
public final class Failures {

    /**
     * 08 connection, 40 transaction rollback (deadlock, serialization), 53 insufficient resources
     * (disk full, too many connections), 55 object not in prerequisite state (lock not available),
     * 57 operator intervention (shutdown, statement timeout), 58 system error, 42 a missing or
     * renamed table or a permission (the schema, not the record), XX internal error.
     */
    private static final Set<String> SERVER_STATE_CLASSES = Set.of("08", "40", "53", "55", "57", "58", "42", "XX");
    private static final int MAX_REASON_CHARS = 1000;

    private Failures() {
    }

    /** True when the failure says the database or Kafka cannot take anything now: the poll is retried, nothing is dead-lettered. */
    public static boolean isServerState(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof EventLogUnavailable) {
                return true;
            }
            if (cause instanceof SQLException sql && sql.getSQLState() != null && sql.getSQLState().length() >= 2
                    && SERVER_STATE_CLASSES.contains(sql.getSQLState().substring(0, 2))) {
                return true;
            }
            if (cause.getClass().getName().equals("org.hibernate.exception.JDBCConnectionException")) {
                return true;
            }
        }
        return false;
    }

    /** True when the failure is the record's own (it cannot be read at all): retrying it is pointless. */
    public static boolean isUnreadable(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof UnreadableRecord) {
                return true;
            }
        }
        return false;
    }

    /**
     * The innermost cause worth showing: the database's own error when there is one (the deepest SQLException, and of
     * a batch the server's error behind it, not the driver's message quoting the statement and its values), else the
     * root cause.
     */
    public static Throwable cause(Throwable failure) {
        Throwable root = failure;
        SQLException deepest = null;
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            root = cause;
            if (cause instanceof UnreadableRecord) {
                return cause;
            }
            if (cause instanceof SQLException sql) {
                deepest = sql;
            }
        }
        if (deepest == null) {
            return root;
        }
        while (deepest.getNextException() != null && deepest.getNextException() != deepest) {
            deepest = deepest.getNextException();
        }
        return deepest;
    }

    /**
     * The reason shown where more people may look than the operator (readiness data): the cause's class, the first line
     * of its message and the SQLSTATE, never PostgreSQL's "Detail" line, which quotes the row's values.
     */
    public static String summary(Throwable failure) {
        Throwable cause = cause(failure);
        String message = cause.getMessage() == null ? "(no message)" : cause.getMessage().lines().findFirst().orElse("").strip();
        if (cause instanceof SQLException sql && sql.getSQLState() != null) {
            message = message + " (SQLSTATE " + sql.getSQLState() + ")";
        }
        String summary = (cause.getClass().getSimpleName() + ": " + message).replace('\u0000', ' ');
        return summary.length() <= MAX_REASON_CHARS ? summary : summary.substring(0, MAX_REASON_CHARS - 1) + "…";
    }

    /** The reason a person reads: the cause's class and message, one line, at most 1000 characters, no NULs. */
    public static String reason(Throwable failure) {
        Throwable cause = cause(failure);
        String message = cause.getMessage() == null ? "(no message)" : cause.getMessage();
        if (cause instanceof SQLException sql && sql.getSQLState() != null) {
            message = message + " (SQLSTATE " + sql.getSQLState() + ")";
        }
        String reason = (cause.getClass().getSimpleName() + ": " + message).replace('\u0000', ' ').replaceAll("\\s*\\R\\s*", " ");
        return reason.length() <= MAX_REASON_CHARS ? reason : reason.substring(0, MAX_REASON_CHARS - 1) + "…";
    }
}

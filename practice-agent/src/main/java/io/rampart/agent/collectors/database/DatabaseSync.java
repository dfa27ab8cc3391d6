package io.rampart.agent.collectors.database;

import io.rampart.agent.config.LocalChecks;

/**
 * A primary database and its secondary, as one engine sees them (PostgreSQL streaming replication and log
 * shipping; the facts are PostgreSQL's: WAL positions, replay, the WAL receiver). Every call asks the servers afresh.
 */
public interface DatabaseSync {

    /** "postgresql", as reported in the observation. */
    String engine();

    /** host:port of the primary, for summaries. */
    String primary();

    /** host:port of the secondary, for summaries. */
    String secondary();

    /** Where the primary's WAL is now: asked first, so the secondary is measured against a position it may already have. */
    PrimaryPosition readPrimary() throws Unreachable, QueryFailed;

    /** The secondary's recovery: whether it is a standby at all, what it has replayed, its WAL receiver. */
    StandbyState readSecondary() throws Unreachable, QueryFailed;

    /** Runs the verification query on the secondary and returns what it answered. */
    String verifySecondary() throws Unreachable, QueryFailed;

    /** The server could not be reached or would not let the agent in; the message names it (host:port). */
    final class Unreachable extends Exception {
        private static final long serialVersionUID = 1L;

        public Unreachable(String message) {
            super(message);
        }
    }

    /** The server answered, but the query failed. */
    final class QueryFailed extends Exception {
        private static final long serialVersionUID = 1L;

        public QueryFailed(String message) {
            super(message);
        }
    }

    /** The local settings of the check do not describe a database pair this agent can check. */
    final class NotConfigured extends Exception {
        private static final long serialVersionUID = 1L;

        public NotConfigured(String message) {
            super(message);
        }
    }

    /** The engine the local settings of a check ask for ({@code check.<id>.engine}, default postgresql). */
    static DatabaseSync configured(String checkId, LocalChecks settings) throws NotConfigured {
        String engine = settings.setting(checkId, "engine").orElse(PostgresSync.ENGINE);
        if (engine.equalsIgnoreCase(PostgresSync.ENGINE) || engine.equalsIgnoreCase("postgres")) {
            return PostgresSync.configured(checkId, settings);
        }
        throw new NotConfigured(LocalChecks.propertyFor(checkId, "engine") + "=" + engine
                + " is not an engine this agent knows (postgresql)");
    }
}

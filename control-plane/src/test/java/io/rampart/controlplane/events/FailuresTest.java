package io.rampart.controlplane.events;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.SQLException;

import org.junit.jupiter.api.Test;

import com.google.protobuf.InvalidProtocolBufferException;

/** What a failure says about its cause: the server's state (retry, never dead-letter) or possibly the record's. */
class FailuresTest {

    @Test
    void theDatabaseAwayOrItsSchemaOrLocksAreTheServersStateNeverARecords() {
        for (String state : new String[] { "08006", "08001", "40001", "40P01", "53100", "55P03", "57P01", "57014", "58030", "42P01",
                "42501", "XX000" }) {
            assertThat(Failures.isServerState(new RuntimeException("wrapped", new SQLException("refused", state)))).as(state).isTrue();
        }
        assertThat(Failures.isServerState(new RuntimeException(new EventLogUnavailable("no acknowledgement within 30 s", null)))).isTrue();
    }

    @Test
    void dataTheDatabaseRefusesMayBeTheRecords() {
        for (String state : new String[] { "22021", "22P05", "22008", "23505", "23514", "P0001" }) {
            assertThat(Failures.isServerState(new RuntimeException(new SQLException("refused", state)))).as(state).isFalse();
        }
        assertThat(Failures.isServerState(new IllegalArgumentException("Invalid UUID string: x"))).isFalse();
    }

    @Test
    void theReasonIsTheDatabasesOwnErrorOnOneLineWithItsSqlState() {
        RuntimeException failure = new RuntimeException("could not execute statement",
                new SQLException("ERROR: invalid byte sequence for encoding \"UTF8\": 0x00\n  Where: unnamed portal parameter $9", "22021"));
        assertThat(Failures.reason(failure)).isEqualTo(
                "SQLException: ERROR: invalid byte sequence for encoding \"UTF8\": 0x00 Where: unnamed portal parameter $9 (SQLSTATE 22021)");
        assertThat(Failures.cause(failure)).isInstanceOf(SQLException.class);
    }

    @Test
    void theSummaryShownInReadinessLeavesOutTheRowPostgresQuotes() {
        RuntimeException failure = new RuntimeException(new SQLException("ERROR: new row for relation \"event_history\" violates check "
                + "constraint \"summary_text\"\n  Detail: Failing row contains (a8c2, Dr Smith's drive).", "23514"));
        assertThat(Failures.summary(failure)).isEqualTo(
                "SQLException: ERROR: new row for relation \"event_history\" violates check constraint \"summary_text\" (SQLSTATE 23514)");
        assertThat(Failures.reason(failure)).contains("Detail: Failing row contains");
    }

    @Test
    void ofABatchTheServersErrorIsShownNotTheDriversQuoteOfTheStatementAndItsValues() {
        java.sql.BatchUpdateException batch = new java.sql.BatchUpdateException("Batch entry 0 insert into alert (reason) values "
                + "('Dr Smith') was aborted: ERROR: invalid byte sequence for encoding \"UTF8\": 0x00", "22021", new int[0]);
        batch.setNextException(new SQLException("ERROR: invalid byte sequence for encoding \"UTF8\": 0x00", "22021"));
        RuntimeException failure = new RuntimeException("could not execute batch", batch);
        assertThat(Failures.summary(failure)).isEqualTo("SQLException: ERROR: invalid byte sequence for encoding \"UTF8\": 0x00 (SQLSTATE 22021)");
        assertThat(Failures.reason(failure)).doesNotContain("Dr Smith");
    }

    @Test
    void anUnreadableRecordIsTheRecordsOwnAndItsReasonSaysWhichRecord() {
        RuntimeException failure = new RuntimeException(new UnreadableRecord("compliance", 2, 17,
                new InvalidProtocolBufferException("Protocol message contained an invalid tag (zero).")));
        assertThat(Failures.isUnreadable(failure)).isTrue();
        assertThat(Failures.reason(failure))
                .isEqualTo("UnreadableRecord: record compliance-2@17 is not readable: Protocol message contained an invalid tag (zero).");
    }

    @Test
    void aReasonNeverCarriesANulAndIsAtMostAThousandCharacters() {
        assertThat(Failures.reason(new IllegalStateException("label USB\u0000X"))).isEqualTo("IllegalStateException: label USB X");
        assertThat(Failures.reason(new IllegalStateException("x".repeat(5000)))).hasSize(1000).endsWith("…");
    }
}

package io.rampart.agent.collectors.database;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** PostgreSQL's LSNs and transaction snapshots as the agent reads them from psql. */
class WalPositionsTest {

    @Test
    void readsAnLsnAsPostgresPrintsItAndCountsTheBytesBetweenTwo() {
        Lsn primary = Lsn.parse("1/3016E68");
        Lsn replayed = Lsn.parse("0/FF000EA8");

        assertThat(primary.value()).isEqualTo(0x1_03016E68L);
        assertThat(primary.toString()).isEqualTo("1/3016E68");
        assertThat(primary.bytesAfter(replayed)).isEqualTo(0x1_03016E68L - 0xFF000EA8L);
        assertThat(replayed.bytesAfter(primary)).isZero();
    }

    @Test
    void refusesTextThatIsNoLsn() {
        assertThatThrownBy(() -> Lsn.parse("3016E68")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Lsn.parse("0/XYZ")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aStandbyThatHasSeenTheSameTransactionsFinishLacksNothing() {
        assertThat(XidSnapshot.parse("725:725:").hasFinishedAllOf(XidSnapshot.parse("725:725:"))).isTrue();
        assertThat(XidSnapshot.parse("730:731:").hasFinishedAllOf(XidSnapshot.parse("725:731:725,730"))).isTrue();
    }

    @Test
    void aStandbyBehindTheCommitsOfThePrimaryLacksThem() {
        assertThat(XidSnapshot.parse("725:725:").hasFinishedAllOf(XidSnapshot.parse("726:726:"))).isFalse();
    }

    @Test
    void transactionsStillRunningOnThePrimaryAreNotMissing() {
        assertThat(XidSnapshot.parse("725:725:").hasFinishedAllOf(XidSnapshot.parse("725:727:725,726"))).isTrue();
    }

    @Test
    void aTransactionThePrimaryFinishedOutOfOrderButTheStandbyStillSeesRunningIsMissing() {
        // 725 committed after 726 on the primary; the standby has replayed 726's commit but not 725's
        assertThat(XidSnapshot.parse("725:727:725").hasFinishedAllOf(XidSnapshot.parse("727:727:"))).isFalse();
    }
}

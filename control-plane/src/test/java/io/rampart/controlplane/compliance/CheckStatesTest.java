package io.rampart.controlplane.compliance;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import io.rampart.controlplane.fleet.CheckOutcome;
import io.rampart.controlplane.fleet.CheckState;
import io.rampart.protocol.agent.v1.CheckResult;

class CheckStatesTest {

    private static CheckState state(String futureDated) {
        CheckState state = new CheckState();
        state.checkId = "nas-copy";
        state.kind = "BACKUP_FOLDER";
        state.status = CheckOutcome.WARN;
        state.summary = "clock problem";
        state.details = "{\"path\": \"/mnt/nas\", \"newestFile\": \"2026-11-23.bak\"}";
        state.futureDated = futureDated;
        return state;
    }

    @Test
    void theRulesSeeTheBackupsTheAgentFoundDatedInTheFuture() {
        CheckResult result = CheckStates.toResult(state("[{\"name\": \"touched.bak\", \"datedAt\": \"2027-11-30T00:00:00Z\"}]"));

        assertThat(result.getFutureDatedList()).singleElement().satisfies(item -> {
            assertThat(item.getName()).isEqualTo("touched.bak");
            assertThat(item.getDatedAt().getSeconds()).isEqualTo(1827532800L);
        });
        assertThat(result.getBackupFolder().getNewestFile()).isEqualTo("2026-11-23.bak");
    }

    @Test
    void aStateWithoutThemOrWithUnreadableOnesHasNone() {
        assertThat(CheckStates.toResult(state("[]")).getFutureDatedCount()).isZero();
        assertThat(CheckStates.toResult(state(null)).getFutureDatedCount()).isZero();
        assertThat(CheckStates.toResult(state("[{\"datedAt\": \"not a time\"}]")).getFutureDatedCount()).isZero();
    }
}

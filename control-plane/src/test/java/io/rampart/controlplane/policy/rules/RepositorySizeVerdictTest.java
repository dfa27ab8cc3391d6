package io.rampart.controlplane.policy.rules;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import com.google.protobuf.util.JsonFormat;

import io.rampart.protocol.agent.v1.CheckKind;
import io.rampart.protocol.agent.v1.CheckResult;
import io.rampart.protocol.agent.v1.CheckStatus;
import io.rampart.protocol.agent.v1.RepositoryObservation;

/** The rule's reading of the sizes the agent measured, as the projections store and give them back. */
class RepositorySizeVerdictTest {

    private static final String LATEST = "1a2b3c4d" + "0".repeat(56);
    private static final String PREVIOUS = "9f8e7d6c" + "0".repeat(56);

    @Test
    void anEmptySnapshotStaysEmptyThroughTheProjectionsJson() throws Exception {
        RepositoryObservation empty = observation(0, 0).setPreviousSnapshotId(PREVIOUS).setPreviousSizeBytes(3_435_973_836L)
                .setPreviousFileCount(1204).build();
        // as FleetProjection prints the details and CheckStates reads them back
        String json = JsonFormat.printer().omittingInsignificantWhitespace().print(empty);
        RepositoryObservation.Builder read = RepositoryObservation.newBuilder();
        JsonFormat.parser().ignoringUnknownFields().merge(json, read);

        assertThat(RepositorySizeVerdict.judge("cloud-copy", result(read)))
                .contains(RuleVerdict.fail("cloud-copy", "latest snapshot 1a2b3c4d is empty: 0 files, 0 bytes, where the previous 9f8e7d6c "
                        + "held 1,204 files, 3.2 GB; check that the folder or share it backs up is mounted"));
    }

    @Test
    void anArchiveUnderTheMinimumFailsNamingTheMinimum() {
        RepositoryObservation.Builder small = observation(2048, 3).setMinSizeBytes(1024 * 1024).setLatestSnapshotId("pc-2026-11-29");

        assertThat(RepositorySizeVerdict.judge("nas-copy", result(small).toBuilder().setKind(CheckKind.CHECK_KIND_BORG_REPOSITORY).build()))
                .contains(RuleVerdict.fail("nas-copy", "latest archive pc-2026-11-29 holds only 3 files, 2.0 KB (at least 1.0 MB expected)"));
    }

    @Test
    void aShareOtherThanHalfIsSaidAsAPercentage() {
        RepositoryObservation.Builder shrunk = observation(600, 60).setMinSizeRatio(0.8).setPreviousSnapshotId(PREVIOUS)
                .setPreviousSizeBytes(1000).setPreviousFileCount(100);

        assertThat(RepositorySizeVerdict.judge("cloud-copy", result(shrunk)))
                .contains(RuleVerdict.fail("cloud-copy", "latest snapshot 1a2b3c4d holds 60 files, 600 bytes, under 80% of the previous "
                        + "9f8e7d6c (100 files, 1000 bytes)"));
    }

    @Test
    void saysNothingWithoutSizesOrWithinTheLimits() {
        RepositoryObservation.Builder unknown = RepositoryObservation.newBuilder().setLatestSnapshotId(LATEST);
        RepositoryObservation.Builder fine = observation(900, 95).setMinSizeRatio(0.5).setPreviousSnapshotId(PREVIOUS)
                .setPreviousSizeBytes(1000).setPreviousFileCount(100);

        assertThat(RepositorySizeVerdict.judge("cloud-copy", result(unknown))).isEmpty();
        assertThat(RepositorySizeVerdict.judge("cloud-copy", result(fine))).isEmpty();
    }

    private static RepositoryObservation.Builder observation(long bytes, long files) {
        return RepositoryObservation.newBuilder().setLatestSnapshotId(LATEST).setLatestSizeBytes(bytes).setLatestFileCount(files)
                .setMinSizeBytes(1);
    }

    private static CheckResult result(RepositoryObservation.Builder observation) {
        return CheckResult.newBuilder().setCheckId("cloud-copy").setKind(CheckKind.CHECK_KIND_RESTIC_REPOSITORY)
                .setStatus(CheckStatus.CHECK_STATUS_FAIL).setRepository(observation).build();
    }
}

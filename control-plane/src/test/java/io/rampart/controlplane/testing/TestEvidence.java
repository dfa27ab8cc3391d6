package io.rampart.controlplane.testing;

import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.quarkus.narayana.jta.QuarkusTransaction;

import io.rampart.controlplane.compliance.ComplianceEvaluation;
import io.rampart.controlplane.events.AgentEventLog;
import io.rampart.controlplane.events.EventLogUnavailable;
import io.rampart.controlplane.events.OutboxBacklog;
import io.rampart.controlplane.fleet.CheckState;
import io.rampart.controlplane.tenancy.Practice;
import io.rampart.protocol.ProtoTime;
import io.rampart.protocol.agent.v1.AgentEvent;
import io.rampart.protocol.agent.v1.BackupFolderObservation;
import io.rampart.protocol.agent.v1.CheckKind;
import io.rampart.protocol.agent.v1.CheckResult;
import io.rampart.protocol.agent.v1.CheckStatus;
import io.rampart.protocol.agent.v1.Heartbeat;
import io.rampart.protocol.agent.v1.RecordedEvent;

/**
 * Evidence as agents report it, through the real agent-events topic and fleet projection, and the
 * compliance evaluation driven at the times a test chooses.
 */
@ApplicationScoped
public class TestEvidence {

    @Inject
    AgentEventLog eventLog;
    @Inject
    ComplianceEvaluation evaluation;
    @Inject
    OutboxBacklog backlog;

    /** A heartbeat and a nas-copy result whose newest backup was written at {@code newestBackup}; returns once projected. */
    public void reportNasCopy(Practice practice, Instant at, Instant newestBackup) {
        UUID agentId = UUID.randomUUID();
        AgentEvent heartbeat = event(practice, at).setHeartbeat(Heartbeat.newBuilder().setHostname("server").setAgentVersion("test")).build();
        AgentEvent check = event(practice, at).setCheckResult(CheckResult.newBuilder().setCheckId("nas-copy")
                .setKind(CheckKind.CHECK_KIND_BACKUP_FOLDER).setStatus(CheckStatus.CHECK_STATUS_PASS).setSummary("newest backup ok")
                .setBackupFolder(BackupFolderObservation.newBuilder().setPath("/mnt/nas").setNewestFile("clinical.bak")
                        .setNewestModifiedAt(ProtoTime.timestamp(newestBackup)).setNewestSizeBytes(2048).setFileCount(1)))
                .build();
        try {
            eventLog.append(List.of(recorded(practice, agentId, heartbeat, at), recorded(practice, agentId, check, at)));
        } catch (EventLogUnavailable e) {
            throw new IllegalStateException(e);
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> QuarkusTransaction.requiringNew().call(() -> CheckState
                .<CheckState> find("practiceId = ?1 and eventId = ?2", practice.id, UUID.fromString(check.getEventId())).count() == 1));
    }

    /** A heartbeat and these check results, all at {@code at}, as one agent's batch; returns once every result is projected. */
    public void reportChecks(Practice practice, Instant at, List<CheckResult> results) {
        UUID agentId = UUID.randomUUID();
        List<RecordedEvent> events = new java.util.ArrayList<>();
        events.add(recorded(practice, agentId,
                event(practice, at).setHeartbeat(Heartbeat.newBuilder().setHostname("server").setAgentVersion("test")).build(), at));
        List<UUID> checkEvents = new java.util.ArrayList<>();
        for (CheckResult result : results) {
            AgentEvent check = event(practice, at).setCheckResult(result).build();
            checkEvents.add(UUID.fromString(check.getEventId()));
            events.add(recorded(practice, agentId, check, at));
        }
        try {
            eventLog.append(events);
        } catch (EventLogUnavailable e) {
            throw new IllegalStateException(e);
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> QuarkusTransaction.requiringNew().call(() -> CheckState
                .<CheckState> find("practiceId = ?1 and eventId in ?2", practice.id, checkEvents).count() == checkEvents.size()));
    }

    /**
     * A heartbeat of the practice's agent at {@code at}, so that a test which moves the evaluation a day on is about
     * its rules, not about an agent gone silent; returns once projected (the practice's last heartbeat is {@code at}).
     */
    public void reportHeartbeat(Practice practice, Instant at) {
        reportHeartbeat(practice, at, Heartbeat.newBuilder().setHostname("server").setAgentVersion("test").build());
    }

    /** This heartbeat (e.g. with events set aside) of an agent of the practice at {@code at}; returns once projected. */
    public void reportHeartbeat(Practice practice, Instant at, Heartbeat sent) {
        AgentEvent heartbeat = event(practice, at).setHeartbeat(sent).build();
        try {
            eventLog.append(List.of(recorded(practice, UUID.randomUUID(), heartbeat, at)));
        } catch (EventLogUnavailable e) {
            throw new IllegalStateException(e);
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> QuarkusTransaction.requiringNew().call(() -> lastHeartbeat(practice))
                .filter(last -> !last.isBefore(at)).isPresent());
    }

    private static java.util.Optional<Instant> lastHeartbeat(Practice practice) {
        return io.rampart.controlplane.fleet.AgentPresence.<io.rampart.controlplane.fleet.AgentPresence> find("practiceId", practice.id)
                .stream().map(presence -> presence.lastSeenAt).filter(java.util.Objects::nonNull).max(Instant::compareTo);
    }

    /** Evaluates, in batches of {@code batch}, every practice due at {@code now}; returns how many. */
    public int drain(Instant now, int batch) {
        int total = 0;
        int evaluated;
        do {
            evaluated = evaluation.evaluateDue(now, batch);
            total += evaluated;
        } while (evaluated > 0);
        return total;
    }

    /** Evaluates every practice due at {@code now} and returns once its changes are on the compliance topic (the outbox is empty). */
    public void evaluateAllDue(Instant now) {
        drain(now, 50);
        awaitOutboxRelayed();
    }

    /** Returns once the outbox relay has sent everything committed so far to Kafka. */
    public void awaitOutboxRelayed() {
        await().atMost(Duration.ofSeconds(60)).until(() -> backlog.measure().depth() == 0);
    }

    private static AgentEvent.Builder event(Practice practice, Instant at) {
        return AgentEvent.newBuilder().setEventId(UUID.randomUUID().toString()).setPracticeId(practice.id.toString())
                .setOccurredAt(ProtoTime.timestamp(at));
    }

    private static RecordedEvent recorded(Practice practice, UUID agentId, AgentEvent event, Instant at) {
        return RecordedEvent.newBuilder().setEvent(event).setAgentId(agentId.toString()).setPracticeId(practice.id.toString())
                .setGroupId(practice.groupId.toString()).setProviderId(practice.providerId.toString()).setReceivedAt(ProtoTime.timestamp(at))
                .build();
    }
}

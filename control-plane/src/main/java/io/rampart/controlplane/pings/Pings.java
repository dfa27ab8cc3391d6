package io.rampart.controlplane.pings;

import java.sql.PreparedStatement;
import java.sql.Types;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;

import org.hibernate.Session;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

import io.rampart.controlplane.RampartConfig;
import io.rampart.controlplane.agents.EventBatchValidator;
import io.rampart.controlplane.agents.StorableValues;
import io.rampart.controlplane.events.EventOutbox;
import io.rampart.controlplane.events.KafkaClients;
import io.rampart.controlplane.policy.CheckDefinition;
import io.rampart.controlplane.policy.ConfiguredChecks;
import io.rampart.controlplane.policy.DesiredConfiguration;
import io.rampart.controlplane.shared.NotFound;
import io.rampart.controlplane.tenancy.Practice;
import io.rampart.protocol.ProtoTime;
import io.rampart.protocol.agent.v1.AgentEvent;
import io.rampart.protocol.agent.v1.RecordedEvent;

/**
 * Takes one ping in one short transaction: finds its live URL, applies the ping (PingRuns), keeps it in ping_log and
 * puts the check's new result on the agent-events topic through the transactional outbox, where the fleet projection
 * makes it the check's state like an agent's result; rules, alerts and emails follow from there, asynchronously, so a
 * ping is answered at once (borgmatic 1.7.7 waits for the answer without a timeout).
 */
@ApplicationScoped
public class Pings {

    /** Pings of one URL kept in ping_log; older ones are deleted as new ones come. */
    static final int KEPT = 50;

    private static final Pattern RID = Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

    @Inject
    RampartConfig config;
    @Inject
    Clock clock;
    @Inject
    EntityManager entityManager;
    @Inject
    EventOutbox outbox;
    @Inject
    KafkaClients clients;
    @Inject
    ConfiguredChecks configuredChecks;
    @Inject
    MeterRegistry meters;

    /** A ping as the HTTP request carried it, before any of it is checked. */
    public record Request(UUID pingId, PingRuns.Action action, Long exitStatus, String rid, byte[] body, String method,
            String remoteAddress, String userAgent) {
    }

    /** What to answer. */
    public interface Outcome {
    }

    /** 200 "OK". */
    public record Accepted() implements Outcome {
    }

    /** 404 "not found": no live URL has this id, or its check is gone or no longer a reported job. */
    public record NotFound() implements Outcome {
    }

    /** 400 with the text (healthchecks' words: "invalid url format", "invalid uuid format"). */
    public record Invalid(String text) implements Outcome {
    }

    /**
     * Applies the ping; nothing is kept unless the answer is Accepted. PingRateLimiter has admitted it already: the
     * URL's row is locked only for pings that got a token, and the check's expected run time is read before the lock.
     */
    @Transactional
    public Outcome ping(Request request) {
        Optional<PingUrl> found = PingUrl.<PingUrl> find("pingId = ?1 and revokedAt is null", request.pingId()).firstResultOptional();
        Practice practice = found.map(url -> Practice.<Practice> findById(url.practiceId)).orElse(null);
        Optional<Duration> maxRunTime = practice == null || practice.decommissioned() ? Optional.empty()
                : maxRunTime(practice, found.get().checkId);
        if (maxRunTime.isEmpty()) {
            return refused(new NotFound(), "not_found");
        }
        // checked after the lookup, as healthchecks does: an unknown id is 404 whatever its path
        if (request.exitStatus() != null && request.exitStatus() > 255) {
            return refused(new Invalid("invalid url format"), "invalid");
        }
        if (request.rid() != null && !RID.matcher(request.rid()).matches()) {
            return refused(new Invalid("invalid uuid format"), "invalid");
        }
        // locked: two pings of one URL at once (a start and a quick finish) apply one after the other
        entityManager.refresh(found.get(), LockModeType.PESSIMISTIC_WRITE);
        if (!found.get().live()) {
            return refused(new NotFound(), "not_found");
        }
        PingUrl url = found.get();
        Instant now = clock.instant();
        PingRuns.Action action = request.exitStatus() == null ? request.action()
                : request.exitStatus() == 0 ? PingRuns.Action.SUCCESS : PingRuns.Action.FAIL;
        UUID rid = request.rid() == null ? null : UUID.fromString(request.rid());
        PingRuns.Ping ping = new PingRuns.Ping(action, request.exitStatus() == null ? null : request.exitStatus().intValue(), rid,
                request.body(), now);
        PingRuns.apply(url, ping, config.pings().excerptChars());
        keep(url, ping, request);
        if (action != PingRuns.Action.LOG) {
            publish(url, practice, PingRuns.result(url, maxRunTime.get()), now);
        }
        Counter.builder("rampart.pings.received").description("Pings taken, by what they said (success, start, fail, log)")
                .tag("action", action.name().toLowerCase(java.util.Locale.ROOT)).register(meters).increment();
        return new Accepted();
    }

    /** The check's expected run time when the practice runs it as a reported job; empty when it does not (any more). */
    private Optional<Duration> maxRunTime(Practice practice, String checkId) {
        return configuredChecks.of(practice).stream().map(ConfiguredChecks.Configured::definition)
                .filter(d -> d.checkId.equals(checkId) && "REPORTED_JOB".equals(d.kind)).findFirst()
                .map(Pings::maxRunTime);
    }

    static Duration maxRunTime(CheckDefinition definition) {
        var settings = DesiredConfiguration.toProto(definition).getReportedJob();
        Duration set = settings.hasMaxRunTime() ? ProtoTime.duration(settings.getMaxRunTime()) : Duration.ZERO;
        return set.isZero() || set.isNegative() ? PingRuns.DEFAULT_MAX_RUN_TIME : set;
    }

    private Outcome refused(Outcome outcome, String reason) {
        refusedCounter(meters, reason).increment();
        return outcome;
    }

    /**
     * {@code rampart.pings.refused{reason}}: pings answered 404, 400, 429 or 503 that changed nothing. The reasons are
     * snake_case, as ingest's are: {@code not_found}, {@code invalid}, {@code not_found_remembered}, {@code busy},
     * {@code rate_limited}, {@code rate_limited_address}.
     */
    static Counter refusedCounter(MeterRegistry meters, String reason) {
        return Counter.builder("rampart.pings.refused").description("Pings answered 404, 400, 429 or 503, which changed nothing")
                .tag("reason", reason).register(meters);
    }

    private void keep(PingUrl url, PingRuns.Ping ping, Request request) {
        entityManager.unwrap(Session.class).doWork(connection -> {
            try (PreparedStatement insert = connection.prepareStatement("""
                    insert into ping_log (ping_url_id, received_at, action, exit_status, method, remote_addr, user_agent, run_id, body)
                    values (?, ?, ?, ?, ?, ?, ?, ?, ?)""")) {
                insert.setObject(1, url.id);
                insert.setObject(2, OffsetDateTime.ofInstant(ping.at(), ZoneOffset.UTC));
                insert.setString(3, ping.action().name());
                insert.setObject(4, ping.exitStatus(), Types.INTEGER);
                insert.setString(5, request.method());
                insert.setString(6, request.remoteAddress());
                insert.setString(7, request.userAgent());
                insert.setObject(8, ping.rid(), Types.OTHER);
                insert.setBytes(9, ping.body());
                insert.executeUpdate();
            }
            try (PreparedStatement trim = connection.prepareStatement("""
                    delete from ping_log where ping_url_id = ? and id < (
                        select id from ping_log where ping_url_id = ? order by id desc offset ? limit 1)""")) {
                trim.setObject(1, url.id);
                trim.setObject(2, url.id);
                trim.setInt(3, KEPT - 1);
                trim.executeUpdate();
            }
        });
    }

    /** The check's result as an event of the practice, sent by the ping URL (its row id in place of an agent's). */
    private void publish(PingUrl url, Practice practice, io.rampart.protocol.agent.v1.CheckResult result, Instant now) {
        UUID eventId = UUID.randomUUID();
        AgentEvent event = AgentEvent.newBuilder().setEventId(eventId.toString()).setPracticeId(practice.id.toString())
                .setOccurredAt(ProtoTime.timestamp(now)).setCheckResult(result).build();
        RecordedEvent recorded = RecordedEvent.newBuilder().setEvent(event).setAgentId(url.id.toString())
                .setPracticeId(practice.id.toString()).setGroupId(practice.groupId.toString())
                .setProviderId(practice.providerId.toString()).setReceivedAt(ProtoTime.timestamp(now)).setSentByPing(true).build();
        // the same rules as an agent's event: what the projection, the rules and the email read must be storable
        List<StorableValues.Problem> problems = EventBatchValidator.problemsOf(event, now);
        if (!problems.isEmpty()) {
            throw new Unstorable(problems.stream().map(p -> p.path() + ": " + p.words()).collect(Collectors.joining("; ")));
        }
        outbox.add(List.of(new EventOutbox.Entry(clients.agentEventsTopic(), practice.id.toString(), eventId, recorded.toByteArray())));
    }

    /**
     * The check result a ping made cannot be stored (a bug of Rampart's, never of the job): the transaction rolls back,
     * nothing of the ping is kept, and the caller is answered 500 so that curl --retry, runitor and borgmatic say so.
     */
    public static final class Unstorable extends RuntimeException {
        Unstorable(String problems) {
            super("the check result of a ping cannot be stored: " + problems);
        }
    }
}

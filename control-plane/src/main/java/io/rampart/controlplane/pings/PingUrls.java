package io.rampart.controlplane.pings;

import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import io.rampart.controlplane.RampartConfig;
import io.rampart.controlplane.audit.AuditLog;
import io.rampart.controlplane.policy.CheckDefinition;
import io.rampart.controlplane.policy.ChecksFedFromOutside;
import io.rampart.controlplane.policy.ConfigurationChanges;
import io.rampart.controlplane.policy.ConfiguredChecks;
import io.rampart.controlplane.shared.Caller;
import io.rampart.controlplane.shared.Conflict;
import io.rampart.controlplane.shared.NotFound;
import io.rampart.controlplane.tenancy.Practice;
import io.rampart.controlplane.tenancy.PracticeRepository;

/**
 * A provider admin's side of ping URLs: show a reported-job check's URL with examples, create or rotate it (the old id
 * then answers 404), revoke it. While a check has a live ping URL the practice's agents are not told to run it (its
 * results come from the pings, DesiredConfiguration), so each change that adds or removes one is a configuration change.
 */
@ApplicationScoped
public class PingUrls implements ChecksFedFromOutside {

    @Inject
    PracticeRepository practices;
    @Inject
    ConfiguredChecks configuredChecks;
    @Inject
    ConfigurationChanges configurationChanges;
    @Inject
    AuditLog audit;
    @Inject
    PingRateLimiter limiter;
    @Inject
    RampartConfig config;
    @Inject
    Clock clock;

    /** The ping URL of a check, its last pings and examples; live false when it has none. */
    public record PingUrlView(String checkId, boolean live, @Schema(nullable = true) String pingUrl, @Schema(nullable = true) Instant createdAt,
            @Schema(nullable = true) String createdBy, @Schema(nullable = true) Instant lastPingAt, @Schema(nullable = true) Instant runStartedAt,
            long maxRunTimeSeconds, @Schema(nullable = true) Examples examples) {
    }

    /** Ready-to-paste uses of the URL. */
    public record Examples(String cron, String borgmatic, String powershell) {
    }

    /** What the audit log keeps of a URL: never the secret. */
    record Audited(UUID pingUrlId, String checkId, Instant createdAt, Instant revokedAt, String revokedBecause) {
        static Audited of(PingUrl url) {
            return of(url, null);
        }

        /** @param why why Rampart revoked it (its check is gone or of another kind); null when a person did */
        static Audited of(PingUrl url, String why) {
            return url == null ? null : new Audited(url.id, url.checkId, url.createdAt, url.revokedAt, why);
        }
    }

    /**
     * The check ids of the practice that have a live ping URL: their results come from pings, not from its agents
     * (DesiredConfiguration still sends a check of another kind than REPORTED_JOB; PingUrlsFollowTheirChecks revokes
     * such a URL in the change's own transaction).
     */
    @Override
    public Set<String> of(UUID practiceId) {
        return liveCheckIds(practiceId);
    }

    static Set<String> liveCheckIds(UUID practiceId) {
        return PingUrl.<PingUrl> list("practiceId = ?1 and revokedAt is null", practiceId).stream().map(url -> url.checkId)
                .collect(Collectors.toSet());
    }

    @Transactional
    public PingUrlView view(Caller caller, UUID practiceId, String checkId) {
        Practice practice = practices.findIn(caller.scope(), practiceId).orElseThrow(io.rampart.controlplane.tenancy.NotVisible::practice);
        CheckDefinition check = reportedJob(practice, checkId);
        return view(check, live(practice.id, checkId).orElse(null));
    }

    /** A new ping id for the check; the one it had (if any) is revoked at once, and its run state carries over. */
    @Transactional
    public PingUrlView rotate(Caller caller, UUID practiceId, String checkId) {
        Practice practice = practices.liveIn(caller.scope(), practiceId);
        // two rotations at once (a double click, two admins, two replicas) take turns instead of both inserting a live URL,
        // the second of which would break ping_url_live and answer 500
        Practice.getEntityManager().lock(practice, LockModeType.PESSIMISTIC_WRITE);
        CheckDefinition check = reportedJob(practice, checkId);
        Instant now = clock.instant();
        Optional<PingUrl> old = live(practice.id, checkId);
        PingUrl url = new PingUrl();
        url.id = UUID.randomUUID();
        url.pingId = UUID.randomUUID();
        url.providerId = practice.providerId;
        url.practiceId = practice.id;
        url.checkId = checkId;
        url.createdAt = now;
        url.createdBy = caller.username();
        old.ifPresent(previous -> {
            previous.revokedAt = now;
            previous.revokedBy = caller.username();
            previous.flush();
            limiter.forget(previous.pingId);
            url.runStartedAt = previous.runStartedAt;
            url.runId = previous.runId;
            url.lastFinishedAt = previous.lastFinishedAt;
            url.lastFailed = previous.lastFailed;
            url.lastExitStatus = previous.lastExitStatus;
            url.lastMessage = previous.lastMessage;
            url.lastDurationMs = previous.lastDurationMs;
            url.lastPingAt = previous.lastPingAt;
        });
        url.persist();
        if (old.isEmpty()) {
            // the agents stop running the check: its results come from the pings now
            configurationChanges.practiceChanged(practice.providerId, practice.groupId, practice.id);
        }
        audit.record(caller, new AuditLog.Change(old.isEmpty() ? "ping-url.created" : "ping-url.rotated", "ping-url",
                practice.id + "/" + checkId, practice.tenancy(), Audited.of(old.orElse(null)), Audited.of(url)));
        return view(check, url);
    }

    /** The check's ping URL stops working (404); its agents run the check again. */
    @Transactional
    public PingUrlView revoke(Caller caller, UUID practiceId, String checkId) {
        Practice practice = practices.liveIn(caller.scope(), practiceId);
        CheckDefinition check = reportedJob(practice, checkId);
        PingUrl url = live(practice.id, checkId).orElseThrow(() -> new NotFound("Check \"" + checkId + "\" has no ping URL"));
        Audited before = Audited.of(url);
        url.revokedAt = clock.instant();
        url.revokedBy = caller.username();
        limiter.forget(url.pingId);
        configurationChanges.practiceChanged(practice.providerId, practice.groupId, practice.id);
        audit.record(caller, new AuditLog.Change("ping-url.revoked", "ping-url", practice.id + "/" + checkId, practice.tenancy(),
                before, Audited.of(url)));
        return view(check, null);
    }

    private static Optional<PingUrl> live(UUID practiceId, String checkId) {
        return PingUrl.<PingUrl> find("practiceId = ?1 and checkId = ?2 and revokedAt is null", practiceId, checkId).firstResultOptional();
    }

    /** The practice's check of this id: 404 when it runs none, 409 when it is not a reported job. */
    private CheckDefinition reportedJob(Practice practice, String checkId) {
        CheckDefinition check = configuredChecks.of(practice).stream().map(ConfiguredChecks.Configured::definition)
                .filter(d -> d.checkId.equals(checkId)).findFirst()
                .orElseThrow(() -> new NotFound("The practice runs no check \"" + checkId + "\""));
        if (!"REPORTED_JOB".equals(check.kind)) {
            throw new Conflict("Only checks of kind REPORTED_JOB have a ping URL; \"" + checkId + "\" is " + check.kind);
        }
        return check;
    }

    private PingUrlView view(CheckDefinition check, PingUrl url) {
        long maxRunTime = Pings.maxRunTime(check).toSeconds();
        if (url == null) {
            return new PingUrlView(check.checkId, false, null, null, null, null, null, maxRunTime, null);
        }
        String address = config.agents().publicHttpUrl().replaceAll("/+$", "") + "/ping/" + url.pingId;
        return new PingUrlView(check.checkId, true, address, url.createdAt, url.createdBy, url.lastPingAt, url.runStartedAt, maxRunTime,
                examples(address));
    }

    /** A cron line (curl), borgmatic's healthchecks hook and a script for a Windows scheduled task (Invoke-RestMethod). */
    static Examples examples(String url) {
        // the last 100000 bytes of the log: where a job's error is, and within the Ping-Body-Limit and the request size limit
        // POST only: a GET is what link scanners and chat unfurlers send to a URL pasted somewhere; the log in a file of
        // its own (mktemp), never a predictable name in /tmp written as root
        String cron = "# crontab -e: start, then the job's exit status with the end of its output as the log\n"
                + "30 2 * * * log=$(mktemp) || exit 1; curl -fsS -m 10 --retry 5 -d '' -o /dev/null " + url + "/start; "
                + "/usr/local/bin/backup.sh > \"$log\" 2>&1; rc=$?; tail -c 100000 \"$log\" | "
                + "curl -fsS -m 10 --retry 5 --data-binary @- -o /dev/null " + url + "/$rc; rm -f \"$log\"";
        String borgmatic = "# borgmatic 1.7 (/etc/borgmatic/config.yaml); from borgmatic 1.8 on, healthchecks: goes at the top level\n"
                + "hooks:\n"
                + "    healthchecks:\n"
                + "        ping_url: " + url + "\n";
        String powershell =
                "# C:\\Scripts\\backup.ps1, run by a scheduled task: powershell.exe -NoProfile -ExecutionPolicy Bypass -File C:\\Scripts\\backup.ps1\n"
                        + "[Net.ServicePointManager]::SecurityProtocol = [Net.SecurityProtocolType]::Tls12\n"
                        + "Invoke-RestMethod -Uri \"" + url + "/start\" -Method Post -TimeoutSec 10\n"
                        + "$log = & C:\\Scripts\\run-backup.cmd 2>&1 | Out-String\n"
                        + "$code = $LASTEXITCODE\n"
                        + "if ($log.Length -gt 100000) { $log = $log.Substring($log.Length - 100000) }\n"
                        + "Invoke-RestMethod -Uri \"" + url + "/$code\" -Method Post -Body $log -TimeoutSec 10\n";
        return new Examples(cron, borgmatic, powershell);
    }
}

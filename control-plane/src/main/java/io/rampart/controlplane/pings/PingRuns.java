package io.rampart.controlplane.pings;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Objects;
import java.util.UUID;

import io.rampart.protocol.ProtoTime;
import io.rampart.protocol.agent.v1.CheckKind;
import io.rampart.protocol.agent.v1.CheckResult;
import io.rampart.protocol.agent.v1.CheckStatus;
import io.rampart.protocol.agent.v1.JobReport;

/**
 * How a ping changes a ping URL's state, with healthchecks' semantics (hc/api/models.py Check.ping): a start opens a run
 * (a second start restarts it); a success or fail closes it when the rids match (the run's duration is then known), and
 * also when they do not but the finish is a fail or carries no rid; a log changes nothing. And the check result that state
 * is, as the rules read it (a JobReport).
 */
public final class PingRuns {

    /** A run that has not finished this long after its start ping is hung, unless the check sets its own maxRunTime. */
    public static final Duration DEFAULT_MAX_RUN_TIME = Duration.ofHours(6);

    private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("d MMM HH:mm:ss 'UTC'", Locale.ENGLISH)
            .withZone(ZoneOffset.UTC);

    /** What a ping says, from its path: /ping/&lt;id&gt; (success), /start, /fail, /log or /&lt;exit status&gt;. */
    public enum Action {
        SUCCESS, START, FAIL, LOG
    }

    /**
     * One ping as it came.
     *
     * @param exitStatus 0-255 from /ping/&lt;id&gt;/&lt;n&gt;, null when the path gave none
     * @param rid the run id of ?rid=, null when none
     * @param body the first Ping-Body-Limit bytes of the request body
     */
    public record Ping(Action action, Integer exitStatus, UUID rid, byte[] body, Instant at) {
    }

    private PingRuns() {
    }

    /** Folds the ping into the URL's state. */
    static void apply(PingUrl url, Ping ping, int excerptChars) {
        url.lastPingAt = ping.at();
        switch (ping.action()) {
            case LOG -> {
                // recorded only: a log neither finishes nor starts a run
            }
            case START -> {
                url.runStartedAt = ping.at();
                url.runId = ping.rid();
            }
            case SUCCESS, FAIL -> {
                Long durationMs = null;
                if (url.runStartedAt != null) {
                    if (Objects.equals(url.runId, ping.rid())) {
                        durationMs = Duration.between(url.runStartedAt, ping.at()).toMillis();
                        closeRun(url);
                    } else if (ping.action() == Action.FAIL || ping.rid() == null) {
                        // another run's fail, or a finish that names no run: the open run is over all the same
                        closeRun(url);
                    }
                    // a success of another run (rid B while run A is open) leaves run A open: it can still hang
                }
                url.lastFinishedAt = ping.at();
                url.lastFailed = ping.action() == Action.FAIL;
                url.lastExitStatus = ping.exitStatus();
                url.lastMessage = excerpt(ping.body(), excerptChars);
                url.lastDurationMs = durationMs;
            }
        }
    }

    private static void closeRun(PingUrl url) {
        url.runStartedAt = null;
        url.runId = null;
    }

    /**
     * The check result the URL's state is: PASS after a success, FAIL after a fail (with its log excerpt as the job's
     * message), WARN while the first run of all is open (a start is no backup); the open run's start and the expected run time go along, so
     * the rules can call a run hung once the time has passed (JobRuns in policy/rules).
     */
    static CheckResult result(PingUrl url, Duration maxRunTime) {
        JobReport.Builder job = JobReport.newBuilder().setMaxRunTime(ProtoTime.duration(maxRunTime));
        if (url.runStartedAt != null) {
            job.setStartedAt(ProtoTime.timestamp(url.runStartedAt));
        }
        boolean failed = Boolean.TRUE.equals(url.lastFailed);
        if (url.lastFinishedAt != null) {
            job.setFinishedAt(ProtoTime.timestamp(url.lastFinishedAt)).setMessage(message(url));
            if (url.lastExitStatus != null) {
                job.setExitStatus(url.lastExitStatus);
            }
        }
        // before any finish a start vouches for no copy: WARN, never PASS (the rules say "still running")
        CheckStatus status = url.lastFinishedAt == null ? CheckStatus.CHECK_STATUS_WARN
                : failed ? CheckStatus.CHECK_STATUS_FAIL : CheckStatus.CHECK_STATUS_PASS;
        return CheckResult.newBuilder().setCheckId(url.checkId).setKind(CheckKind.CHECK_KIND_REPORTED_JOB)
                .setStatus(status)
                .setSummary(summary(url)).setJobReport(job).build();
    }

    /** "failed at 30 Nov 13:40:02 UTC (exit status 2); a run started at ... has not finished yet". */
    static String summary(PingUrl url) {
        StringBuilder text = new StringBuilder("ping: ");
        if (url.lastFinishedAt == null) {
            text.append("no run has finished yet");
        } else {
            text.append(Boolean.TRUE.equals(url.lastFailed) ? "failed" : "succeeded").append(" at ").append(WHEN.format(url.lastFinishedAt));
            if (url.lastExitStatus != null) {
                text.append(" (exit status ").append(url.lastExitStatus).append(')');
            }
            if (url.lastDurationMs != null) {
                text.append(", ").append(url.lastDurationMs / 1000).append(" s after its start");
            }
        }
        if (url.runStartedAt != null) {
            text.append("; a run started at ").append(WHEN.format(url.runStartedAt)).append(" has not finished yet");
        }
        return text.toString();
    }

    /** The job's message: for a fail, its exit status and log excerpt, which the alert and its email show. */
    private static String message(PingUrl url) {
        String log = url.lastMessage == null ? "" : url.lastMessage;
        if (!Boolean.TRUE.equals(url.lastFailed)) {
            return log;
        }
        String how = url.lastExitStatus != null ? "exit status " + url.lastExitStatus : "reported by a fail ping";
        return how + (log.isEmpty() ? ", with no log" : ", log:\n" + log);
    }

    /**
     * The body as text a person reads: UTF-8 (bytes that are not UTF-8 become U+FFFD), control characters other than
     * newline and tab dropped, trailing blank lines trimmed, and at most {@code maxChars} characters: the last ones,
     * from a line start, after "...\n" (where a job's error is, as borgmatic cuts its own logs).
     */
    static String excerpt(byte[] body, int maxChars) {
        String text = new String(body, StandardCharsets.UTF_8).replace("\r\n", "\n")
                .replaceAll("[\\p{Cntrl}&&[^\n\t]]", "").stripTrailing();
        if (text.length() <= maxChars) {
            return text;
        }
        int cut = text.length() - (maxChars - 4);
        if (Character.isLowSurrogate(text.charAt(cut))) {
            // never half a character (an emoji, a CJK supplement): an unpaired surrogate has no UTF-8 form to store
            cut++;
        }
        String tail = text.substring(cut);
        int lineStart = tail.indexOf('\n');
        if (lineStart >= 0 && lineStart < tail.length() - 1) {
            tail = tail.substring(lineStart + 1);
        }
        return "...\n" + tail;
    }
}

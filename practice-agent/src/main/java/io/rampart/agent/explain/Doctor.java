package io.rampart.agent.explain;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import io.rampart.agent.collectors.HumanText;
import io.rampart.agent.config.AgentHome;
import io.rampart.agent.config.AgentState;
import io.rampart.agent.config.CentralSources;
import io.rampart.agent.config.DesiredConfiguration;
import io.rampart.agent.config.EnrolledIdentity;
import io.rampart.agent.config.FileOwner;
import io.rampart.agent.identity.AgentCertificate;

/**
 * {@code rampart-agent doctor}: whether this agent can do its work, as a checklist of findings. Looks, and changes
 * nothing (a probe file in the home is made and removed): enrolment, the certificate's validity (days left), each
 * step to the control plane, this computer's clock, the home's room, and what each configured check needs here
 * ({@link CheckReadiness}). Never prints a secret.
 */
public final class Doctor {

    /** Fewer days than this left on the certificate is a problem even before renewal is overdue. */
    static final Duration CERTIFICATE_WARNING = Duration.ofDays(7);
    /** The running agent tries renewing hourly once a third of the validity is left; a day later it should have. */
    static final Duration RENEWAL_OVERDUE = Duration.ofDays(1);
    /** Less room than this next to the outbox and the restore scratch folder is a problem. */
    static final long MIN_FREE_BYTES = 1024L * 1024 * 1024;
    /** More apart than this from the control plane's clock is a problem (ages of backups would be measured wrong). */
    static final Duration MAX_CLOCK_SKEW = Duration.ofMinutes(2);
    /** A certificate's issue time is the control plane's clock; allow that much slack before calling ours behind. */
    private static final Duration ISSUE_SLACK = Duration.ofMinutes(5);

    private final AgentHome home;
    private final Clock clock;
    private final Duration networkTimeout;

    public Doctor(AgentHome home, Clock clock, Duration networkTimeout) {
        this.home = home;
        this.clock = clock;
        this.networkTimeout = networkTimeout;
    }

    /** Every finding, in the order a person fixes them. */
    public List<Finding> examine() {
        List<Finding> findings = new ArrayList<>();
        Instant now = clock.instant();
        String user = Optional.ofNullable(System.getProperty("user.name")).orElse("the agent's user");
        Optional<EnrolledIdentity> identity;
        try {
            identity = home.readIdentity();
        } catch (RuntimeException e) {
            identity = Optional.empty();
            findings.add(Finding.problem("enrolled", e.getMessage(), "enrol the agent again with a new token from your IT provider"));
        }
        if (identity.isEmpty() && findings.isEmpty()) {
            findings.add(Finding.problem("enrolled", "no agent.properties in " + home.directory(),
                    "run the install command from your IT provider, or `rampart-agent enroll --server URL --token TOKEN --ca-file FILE`"));
        }
        AgentState state = readState(findings);
        Optional<X509Certificate> certificate = Optional.empty();
        if (identity.isPresent()) {
            EnrolledIdentity id = identity.get();
            findings.add(Finding.ok("enrolled", "agent " + id.agentId() + " of practice "
                    + (id.practiceName().isBlank() ? id.practiceId() : id.practiceName() + " (" + id.practiceId() + ")") + ", control plane " + id.server()));
            certificate = certificate(findings, now);
            ControlPlaneReach.Answer answer = new ControlPlaneReach.Answer(Optional.empty(), Optional.empty());
            if (certificate.isPresent()) {
                answer = new ControlPlaneReach(id, home, networkTimeout).examine(findings, state.configuration().version());
            }
            findings.add(clock(now, answer.serverTime(), certificate, state));
        }
        homeRoom(findings, user);
        DesiredConfiguration configuration = state.configuration();
        if (configuration.version() == 0) {
            findings.add(Finding.problem("configuration", "none received from the control plane yet, so nothing is checked",
                    "start the agent service; it fetches its configuration once it reaches the control plane"));
        } else {
            findings.add(Finding.ok("configuration", "version " + configuration.version() + " with " + configuration.checks().size()
                    + (configuration.checks().size() == 1 ? " check" : " checks") + ": "
                    + String.join(", ", configuration.checks().stream().map(c -> c.getCheckId() + " (" + ResultWords.kind(c.getKind()) + ")").toList())));
            try {
                findings.addAll(
                        new CheckReadiness(CentralSources.settings(configuration.proto(), home), home.directory(), user).examine(configuration.checks()));
            } catch (RuntimeException e) {
                findings.add(Finding.problem("checks.properties", "cannot be read: " + e.getMessage(),
                        "give " + user + " read access to " + home.checksFile()));
            }
        }
        return findings;
    }

    private AgentState readState(List<Finding> findings) {
        try {
            return home.readState();
        } catch (RuntimeException e) {
            findings.add(Finding.problem("state", "cannot read " + home.stateFile() + ": " + e.getMessage(),
                    "give the agent's user read access to its home"));
            return AgentState.initial();
        }
    }

    private Optional<X509Certificate> certificate(List<Finding> findings, Instant now) {
        X509Certificate certificate;
        try {
            AgentCertificate loaded = home.certificate();
            certificate = loaded.certificate();
        } catch (RuntimeException e) {
            findings.add(Finding.problem("certificate", e.getMessage(), "enrol the agent again with a new token from your IT provider"));
            return Optional.empty();
        }
        Instant notBefore = certificate.getNotBefore().toInstant();
        Instant notAfter = certificate.getNotAfter().toInstant();
        Duration left = Duration.between(now, notAfter);
        Duration validity = Duration.between(notBefore, notAfter);
        Instant renewalFrom = notAfter.minus(validity.dividedBy(3));
        if (!now.isBefore(notAfter)) {
            findings.add(Finding.problem("certificate", "expired " + days(left.negated()) + " ago, at " + notAfter
                    + ": the control plane no longer accepts this agent",
                    "ask your IT provider for a new enrolment token and run `rampart-agent enroll` again (if the date is wrong, fix this computer's clock)"));
        } else if (now.isBefore(notBefore.minus(ISSUE_SLACK))) {
            findings.add(Finding.problem("certificate", "not valid before " + notBefore + ", and this computer's clock says " + now,
                    "this computer's clock is behind: enable time synchronisation (e.g. `timedatectl set-ntp true`)"));
        } else if (left.compareTo(CERTIFICATE_WARNING) < 0 || now.isAfter(renewalFrom.plus(RENEWAL_OVERDUE))) {
            findings.add(Finding.problem("certificate", "expires in " + days(left) + ", at " + notAfter + ", and was not renewed"
                    + " (the running agent renews it from " + renewalFrom + ")",
                    "make sure the agent service runs and reaches the control plane (see the lines above and `journalctl -u rampart-agent`); "
                            + "once expired, the agent must be enrolled again"));
        } else {
            findings.add(Finding.ok("certificate",
                    "valid for " + (left.toDays() >= 2 ? left.toDays() + " more days" : HumanText.duration(left) + " more") + ", until " + notAfter
                            + " (renewed automatically from " + renewalFrom + ")"));
        }
        return Optional.of(certificate);
    }

    private Finding clock(Instant now, Optional<Instant> serverTime, Optional<X509Certificate> certificate, AgentState state) {
        if (serverTime.isPresent()) {
            // the date header has whole seconds
            Duration skew = Duration.between(serverTime.get(), now.truncatedTo(java.time.temporal.ChronoUnit.SECONDS));
            String apart = HumanText.duration(skew.abs()) + (skew.isNegative() ? " behind" : " ahead of");
            if (skew.abs().compareTo(MAX_CLOCK_SKEW) > 0) {
                return Finding.problem("clock", "this computer's clock (" + now + ") is " + apart + " "
                        + "the control plane's (" + serverTime.get() + ")",
                        "enable time synchronisation (e.g. `timedatectl set-ntp true`): backups' ages are measured with this clock");
            }
            return Finding.ok("clock", now + ", within " + HumanText.duration(skew.abs()) + " of the control plane's");
        }
        if (certificate.isPresent() && now.isBefore(certificate.get().getNotBefore().toInstant().minus(ISSUE_SLACK))) {
            return Finding.problem("clock", "this computer's clock (" + now + ") is before the time its certificate was issued ("
                    + certificate.get().getNotBefore().toInstant() + ")", "enable time synchronisation (e.g. `timedatectl set-ntp true`)");
        }
        if (state.lastDeliveryAt().filter(at -> now.isBefore(at.minus(ISSUE_SLACK))).isPresent()) {
            return Finding.problem("clock", "this computer's clock (" + now + ") is before the agent's last delivery ("
                    + state.lastDeliveryAt().get() + "): it went back", "enable time synchronisation (e.g. `timedatectl set-ntp true`)");
        }
        return Finding.ok("clock", now + " (plausible: not before this agent's certificate was issued nor its last delivery; "
                + "the control plane's answer carried no time to compare with)");
    }

    private void homeRoom(List<Finding> findings, String user) {
        Path directory = home.directory();
        if (!Files.isDirectory(directory)) {
            findings.add(Finding.problem("home", directory + " does not exist", "run the install command, or pass --home"));
            return;
        }
        Path probe = directory.resolve(".doctor-" + ProcessHandle.current().pid() + ".probe");
        try {
            Files.writeString(probe, "rampart-agent doctor");
            Files.delete(probe);
            String owner = FileOwner.of(directory).name();
            findings.add(Finding.ok("home", directory + " is writable by " + user + (owner.isEmpty() ? "" : " (owner " + owner + ")")));
        } catch (IOException e) {
            findings.add(Finding.problem("home", directory + " is not writable by " + user + " (" + e.getClass().getSimpleName() + ")",
                    "give the home back to the service's user: `chown -R " + FileOwner.of(directory).name() + " " + directory + "`"));
        }
        long free = Disk.usableBytes(directory);
        if (free >= 0 && free < MIN_FREE_BYTES) {
            findings.add(Finding.problem("disk", "only " + HumanText.bytes(free) + " free for " + directory,
                    "free at least " + HumanText.bytes(MIN_FREE_BYTES) + ": the outbox keeps results here while the control plane is away"));
        } else {
            findings.add(Finding.ok("disk", Disk.free(directory) + " free for " + directory));
        }
    }

    private static String days(Duration left) {
        return left.toDays() >= 2 ? left.toDays() + " days" : HumanText.duration(left);
    }
}

package io.rampart.agent.cli;

import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;

import io.rampart.agent.Enrolment;
import io.rampart.agent.PracticeAgent;
import io.rampart.agent.ThisComputer;
import io.rampart.agent.collectors.BoundedResult;
import io.rampart.agent.collectors.HumanText;
import io.rampart.agent.config.AgentHome;
import io.rampart.agent.config.AgentState;
import io.rampart.agent.config.EnrolledIdentity;
import io.rampart.agent.config.ReportedJobs;
import io.rampart.agent.explain.Doctor;
import io.rampart.agent.explain.Finding;
import io.rampart.agent.outbox.Outbox;
import io.rampart.agent.schedule.RunningChecks;
import io.rampart.agent.transport.ControlPlaneClient;
import io.rampart.protocol.agent.v1.AgentEvent;
import io.rampart.protocol.agent.v1.CheckKind;
import io.rampart.protocol.agent.v1.CheckResult;
import io.rampart.protocol.agent.v1.CheckStatus;
import io.rampart.protocol.agent.v1.JobReport;
import io.rampart.protocol.identity.Pem;

/** The {@code rampart-agent} command: enroll, run, status, report, set-aside, check, doctor. */
public final class Main {

    static final int OK = 0;
    static final int NOT_ENROLLED_OR_FAILED = 1;
    static final int TOKEN_REFUSED = 2;
    /** EX_USAGE from sysexits.h, what service managers and scripts expect for a wrong command line. */
    static final int USAGE = 64;

    static final String USAGE_TEXT = """
            usage: rampart-agent <command> [options]

              enroll --server URL --token TOKEN --ca-file FILE [--home DIR]
                  exchange an enrolment token from your IT provider for this agent's own
                  certificate (URL like https://rampart.example:9000; FILE: the control
                  plane's CA certificate, which the install command writes for you)
              run [--home DIR]
                  check the backups and report to the control plane until stopped
              status [--home DIR]
                  show this agent's identity, outbox, events set aside, checks running now
                  and last delivery
              report --check ID --status ok|warn|failed [--message TEXT] [--software NAME] [--home DIR]
                  record how a job of other software (imaging, cloud sync) ended, e.g. from its
                  post-job script; the running agent delivers it, and reports silence as a failure.
                  Run as root, the files it writes are given to the owner of the agent's home
              set-aside list [--home DIR]
                  list the events the agent set aside instead of sending: those the control plane
                  refused (a text or date it can never store), those over 256 KiB, and outbox
                  files the agent cannot read; each with when and why. They are kept, never sent
                  on their own; status and every heartbeat count them
              set-aside retry [--event ID] [--home DIR]
                  put them (or the one with event id ID) back into the outbox once the cause is
                  fixed (control plane updated, file given to the agent's user); run as root it
                  also gives each file back to the owner of the agent's home

              check [--only CHECK_ID] [--json] [--report] [--home DIR]
                  run every check of the configuration the agent last received (or only one) now,
                  with this computer's settings, and print each result: PASS, WARN, FAIL or UNKNOWN
                  (could not check), the summary and what to do next. Results are not sent unless
                  --report (then queued in the outbox for the running agent to deliver). It never
                  runs a check the running agent is running, and restic/borg checks take turns with it.
                  Exit 0 all passed, 1 a warning or a check not run now, 2 a failure or UNKNOWN,
                  3 not enrolled or no checks configured yet, 64 wrong command line
              doctor [--home DIR]
                  a checklist of what the agent needs: the control plane (DNS, TCP, TLS with its
                  certificate, a real call), the certificate's days left, the clock, the home's room,
                  each configured folder, password file, server and tool (with its version).
                  Exit 0 when all is OK, 1 when a line says PROBLEM (with the fix)

              check and doctor run as root switch to the owner of the agent's home (setpriv), so
              they see what the service sees and leave no root-owned files. Neither prints a secret.
              --home defaults to $RAMPART_AGENT_HOME, else /var/lib/rampart-agent
            """;

    private final PrintStream out;
    private final PrintStream err;
    private final Map<String, String> environment;
    private final Clock clock;

    Main(PrintStream out, PrintStream err, Map<String, String> environment) {
        this(out, err, environment, Clock.systemUTC());
    }

    Main(PrintStream out, PrintStream err, Map<String, String> environment, Clock clock) {
        this.out = out;
        this.err = err;
        this.environment = environment;
        this.clock = clock;
    }

    public static void main(String[] args) {
        // one line per record; set before the first logger so the console handler picks it up
        if (System.getProperty("java.util.logging.SimpleFormatter.format") == null) {
            System.setProperty("java.util.logging.SimpleFormatter.format", "%1$tFT%1$tT.%1$tL%1$tz %4$s [%3$s] %5$s%6$s%n");
        }
        System.exit(new Main(System.out, System.err, System.getenv()).run(args));
    }

    int run(String... args) {
        CommandLine commandLine;
        try {
            commandLine = CommandLine.parse(Arrays.asList(args));
        } catch (CommandLine.UsageException e) {
            err.println("rampart-agent: " + e.getMessage());
            err.print(USAGE_TEXT);
            return USAGE;
        }
        AgentHome home = commandLine.option("home").map(dir -> AgentHome.at(Path.of(dir)))
                .orElseGet(() -> AgentHome.fromEnvironment(environment));
        return switch (commandLine.command()) {
            case "enroll" -> enroll(home, commandLine.option("server").orElseThrow(), commandLine.option("token").orElseThrow(),
                    commandLine.option("ca-file").orElseThrow());
            case "run" -> runUntilStopped(home);
            case "status" -> status(home);
            case "report" -> report(home, commandLine);
            case "set-aside" -> new SetAsideCommand(out, err).run(home, commandLine);
            case "check", "doctor" -> asHomeOwner(home, Arrays.asList(args)).orElseGet(() -> explain(home, commandLine));
            default -> throw new IllegalStateException("parsed an unknown command: " + commandLine.command());
        };
    }

    /** Run as root for a home another user owns: the command's exit code, run as that user (see AsHomeOwner). */
    private Optional<Integer> asHomeOwner(AgentHome home, List<String> args) {
        return AsHomeOwner.otherOwner(home, environment).flatMap(owner -> {
            Optional<Integer> exit = AsHomeOwner.runAs(owner, home, args, environment, out, err);
            if (exit.isEmpty()) {
                // no setpriv/runuser: run here as root, then give back what was made
                err.println("rampart-agent: neither setpriv nor runuser is installed, so this runs as root, not as " + owner.name()
                        + ": folders are judged as root can read them; what it makes in the home is given back to " + owner.name());
                int here = explain(home, CommandLine.parse(args));
                AsHomeOwner.giveBack(home);
                return Optional.of(here);
            }
            return exit;
        });
    }

    private int explain(AgentHome home, CommandLine commandLine) {
        if (commandLine.command().equals("check")) {
            return new CheckCommand(out, err, clock).run(home, commandLine);
        }
        List<Finding> findings = new Doctor(home, clock, DOCTOR_NETWORK_TIMEOUT).examine();
        out.println("rampart-agent doctor: home " + home.directory() + ", looked at as user " + System.getProperty("user.name"));
        for (Finding finding : findings) {
            out.println(String.format("%-8s %s: %s", finding.ok() ? "OK" : "PROBLEM", finding.item(), finding.found()));
            if (!finding.ok()) {
                out.println("         fix: " + finding.fix());
            }
        }
        long problems = findings.stream().filter(f -> !f.ok()).count();
        out.println(problems == 0 ? "all " + findings.size() + " OK" : problems + (problems == 1 ? " problem" : " problems") + " of " + findings.size());
        return problems == 0 ? OK : NOT_ENROLLED_OR_FAILED;
    }

    private static final Duration DOCTOR_NETWORK_TIMEOUT = Duration.ofSeconds(10);

    private int enroll(AgentHome home, String server, String token, String caFile) {
        URI serverUri;
        try {
            serverUri = URI.create(server);
            ControlPlaneClient.requireHttps(serverUri);
        } catch (IllegalArgumentException e) {
            err.println("rampart-agent: --server must look like https://host:port, not " + server);
            return USAGE;
        }
        List<X509Certificate> ca;
        try {
            ca = Pem.readCertificates(Path.of(caFile));
            if (ca.isEmpty()) {
                throw new IllegalArgumentException("it holds no certificate");
            }
        } catch (RuntimeException e) {
            err.println("rampart-agent: --ca-file " + caFile + " is not the control plane's CA certificate (PEM): " + e.getMessage());
            return USAGE;
        }
        try {
            EnrolledIdentity identity = Enrolment.enroll(home, serverUri, token, ThisComputer.hostname(), ca);
            out.println("enrolled agent " + identity.agentId() + " into practice "
                    + (identity.practiceName().isBlank() ? identity.practiceId() : identity.practiceName() + " (" + identity.practiceId() + ")"));
            out.println("identity written to " + home.identityFile());
            return OK;
        } catch (StatusRuntimeException e) {
            if (e.getStatus().getCode() == Status.Code.UNAUTHENTICATED) {
                err.println("rampart-agent: the enrolment token is unknown, expired or already used: ask your IT provider for a new one");
                return TOKEN_REFUSED;
            }
            err.println("rampart-agent: enrolment failed at " + serverUri + ": " + e.getStatus().getCode()
                    + Optional.ofNullable(e.getStatus().getDescription()).map(d -> " (" + d + ")").orElse(""));
            return NOT_ENROLLED_OR_FAILED;
        } catch (RuntimeException e) {
            err.println("rampart-agent: enrolment failed: " + e.getMessage());
            return NOT_ENROLLED_OR_FAILED;
        }
    }

    private int runUntilStopped(AgentHome home) {
        PracticeAgent agent;
        try {
            agent = PracticeAgent.open(home, Clock.systemUTC());
        } catch (IllegalStateException e) {
            err.println("rampart-agent: " + e.getMessage());
            return NOT_ENROLLED_OR_FAILED;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        // SIGTERM (systemd stop) and Ctrl-C both run shutdown hooks: close cleanly, the outbox keeps the rest
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            agent.close();
            // java.util.logging may already be shut down by its own hook, so say it plainly
            err.println("rampart-agent: stopped; " + agent.outboxSize() + " events wait in the outbox for the next run");
            stopped.countDown();
        }, "rampart-agent-shutdown"));
        agent.start();
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return OK;
    }

    private int status(AgentHome home) {
        Optional<EnrolledIdentity> identity = home.readIdentity();
        if (identity.isEmpty()) {
            err.println("rampart-agent: not enrolled: run `rampart-agent enroll ...` first (home " + home.directory() + ")");
            return NOT_ENROLLED_OR_FAILED;
        }
        AgentState state = home.readState();
        EnrolledIdentity id = identity.get();
        out.println("agent id:         " + id.agentId());
        out.println("practice id:      " + id.practiceId() + (id.practiceName().isBlank() ? "" : " (" + id.practiceName() + ")"));
        out.println("server:           " + id.server());
        out.println("certificate:      " + certificateStatus(home));
        Outbox outbox = Outbox.open(home.outboxDirectory());
        out.println("outbox depth:     " + outbox.size());
        SetAsideCommand.status(out, outbox.setAsideEvents());
        runningChecks(home);
        out.println("last delivery:    " + state.lastDeliveryAt().map(Object::toString).orElse("never"));
        out.println("configuration:    " + (state.configuration().version() == 0 ? "none received yet (defaults)"
                : "version " + state.configuration().version()));
        return OK;
    }

    /** The checks the running agent has not finished, from what it wrote (see RunningChecks). */
    private void runningChecks(AgentHome home) {
        RunningChecks.Snapshot snapshot = RunningChecks.read(home.runningChecksFile());
        if (snapshot.runs().isEmpty()) {
            out.println("checks running:   none");
            return;
        }
        Instant now = clock.instant();
        String label = "checks running:   ";
        for (RunningChecks.Run run : snapshot.runs()) {
            String age = HumanText.duration(Duration.between(run.since(), now).isNegative() ? Duration.ZERO : Duration.between(run.since(), now));
            out.println(label + run.checkId() + (run.running() ? " running since " : " waiting for a free check thread since ") + run.since()
                    + " (" + age + ")" + (run.dueAgain() > 0 ? "; came due " + run.dueAgain() + (run.dueAgain() == 1 ? " time" : " times")
                            + " meanwhile, not started twice" : ""));
            label = "                  ";
        }
        snapshot.writtenAt().ifPresent(at -> out.println("                  (as the running agent wrote at " + at + ")"));
    }

    private String certificateStatus(AgentHome home) {
        try {
            return "valid until " + home.certificate().certificate().getNotAfter().toInstant() + " (renewed automatically)";
        } catch (RuntimeException e) {
            return "unusable: " + e.getMessage();
        }
    }

    private int report(AgentHome home, CommandLine commandLine) {
        String checkId = commandLine.option("check").orElseThrow().trim();
        if (!CHECK_ID.matcher(checkId).matches()) {
            err.println("rampart-agent: --check must be the id of a check (letters, digits, '.', '-', '_'), not " + checkId);
            return USAGE;
        }
        String statusWord = commandLine.option("status").orElseThrow();
        Optional<ReportedJobs.Outcome> outcome = ReportedJobs.Outcome.parse(statusWord);
        if (outcome.isEmpty()) {
            err.println("rampart-agent: --status must be ok, warn or failed, not " + statusWord);
            return USAGE;
        }
        Optional<EnrolledIdentity> identity;
        try {
            identity = home.readIdentity();
        } catch (RuntimeException e) {
            err.println("rampart-agent: " + e.getMessage());
            return NOT_ENROLLED_OR_FAILED;
        }
        if (identity.isEmpty()) {
            err.println("rampart-agent: not enrolled: run `rampart-agent enroll ...` first (home " + home.directory() + ")");
            return NOT_ENROLLED_OR_FAILED;
        }
        String software = commandLine.option("software").orElse("").trim();
        String message = commandLine.option("message").orElse("").trim();
        Instant now = clock.instant();
        com.google.protobuf.Timestamp at = com.google.protobuf.Timestamp.newBuilder()
                .setSeconds(now.getEpochSecond()).setNanos(now.getNano()).build();
        CheckStatus status = switch (outcome.get()) {
            case OK -> CheckStatus.CHECK_STATUS_PASS;
            case WARN -> CheckStatus.CHECK_STATUS_WARN;
            case FAILED -> CheckStatus.CHECK_STATUS_FAIL;
        };
        String summary = message.isEmpty()
                ? (software.isEmpty() ? checkId : software) + " reported " + outcome.get().word()
                : message;
        AgentEvent event = AgentEvent.newBuilder()
                .setEventId(UUID.randomUUID().toString())
                .setPracticeId(identity.get().practiceId())
                .setOccurredAt(at)
                // a post-job script may pass a whole log as --message: never an event too large to deliver
                .setCheckResult(BoundedResult.of(CheckResult.newBuilder()
                        .setCheckId(checkId)
                        .setKind(CheckKind.CHECK_KIND_REPORTED_JOB)
                        .setStatus(status)
                        .setSummary(summary)
                        .setJobReport(JobReport.newBuilder().setSoftware(software).setFinishedAt(at).setMessage(message)).build()))
                .build();
        try {
            Outbox.open(home.outboxDirectory()).append(event);
            ReportedJobs.in(home).record(new ReportedJobs.Report(checkId, outcome.get(), now, software, message));
        } catch (RuntimeException e) {
            err.println("rampart-agent: cannot record the report: " + e.getMessage());
            return NOT_ENROLLED_OR_FAILED;
        }
        out.println("reported " + outcome.get().word() + " for " + checkId + " (event " + event.getEventId() + ")");
        return OK;
    }

    // at most as long as the control plane takes (EventLimits.MAX_CHECK_ID_CHARS)
    private static final java.util.regex.Pattern CHECK_ID = java.util.regex.Pattern.compile("[A-Za-z0-9._-]{1,100}");
}

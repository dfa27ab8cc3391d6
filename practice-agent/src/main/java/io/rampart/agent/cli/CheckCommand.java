package io.rampart.agent.cli;

import java.io.PrintStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.ListValue;
import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import com.google.protobuf.util.JsonFormat;

import io.rampart.agent.collectors.HumanText;
import io.rampart.agent.config.AgentHome;
import io.rampart.agent.config.CentralSources;
import io.rampart.agent.config.DesiredConfiguration;
import io.rampart.agent.config.EnrolledIdentity;
import io.rampart.agent.config.LocalChecks;
import io.rampart.agent.explain.ResultWords;
import io.rampart.agent.outbox.Outbox;
import io.rampart.agent.schedule.CheckRunner;
import io.rampart.agent.schedule.RepositoryTurn;
import io.rampart.agent.schedule.RunningChecks;
import io.rampart.protocol.ProtoTime;
import io.rampart.protocol.agent.v1.AgentEvent;
import io.rampart.protocol.agent.v1.CheckDefinition;
import io.rampart.protocol.agent.v1.CheckResult;

/**
 * {@code rampart-agent check [--only ID] [--json] [--report]}: runs every check of the configuration the agent last
 * received (saved in its home), with this computer's settings from checks.properties, once and now, with the same
 * collectors as the service, and prints each result as a person reads it.
 * <p>
 * Beside a running service it disturbs nothing: it never writes the service's state or running-checks file; a check the
 * service is running at this moment is not run a second time; restic, borg and restore-test checks take the same
 * {@link RepositoryTurn} as the service (an OS lock), and one whose turn the service has is not run now rather than
 * waited for; a check that would lock a repository inside the backup window waits as the service's would. Results go
 * to the control plane only with {@code --report}: then they are queued in the outbox, which the service delivers.
 * <p>
 * Exit codes: 0 every check passed; 1 a warning, or a check not run now; 2 a failure, or a check the agent could not
 * run (UNKNOWN); 3 not enrolled, or no configuration received yet, or it has no checks; 64 a wrong command line.
 */
final class CheckCommand {

    static final int ALL_PASSED = 0;
    static final int WARNING = 1;
    static final int FAILURE = 2;
    static final int NOTHING_TO_CHECK = 3;
    /** A running-checks entry older than the longest run any collector allows (6 h) plus slack is a crashed service's. */
    private static final Duration RUNNING_ENTRY_TRUSTED_FOR = Duration.ofHours(7);

    /** One configured check: its result, or why it was not run now. */
    private record Outcome(CheckDefinition check, Optional<CheckResult> result, String notRunBecause) {
        int exitCode() {
            if (result.isEmpty()) {
                return WARNING;
            }
            return switch (result.get().getStatus()) {
                case CHECK_STATUS_PASS -> ALL_PASSED;
                case CHECK_STATUS_WARN -> WARNING;
                default -> FAILURE;
            };
        }

        String status() {
            return result.map(r -> ResultWords.status(r.getStatus())).orElse("NOT RUN");
        }
    }

    private final PrintStream out;
    private final PrintStream err;
    private final Clock clock;

    CheckCommand(PrintStream out, PrintStream err, Clock clock) {
        this.out = out;
        this.err = err;
        this.clock = clock;
    }

    int run(AgentHome home, CommandLine commandLine) {
        Optional<EnrolledIdentity> identity;
        try {
            identity = home.readIdentity();
        } catch (RuntimeException e) {
            err.println("rampart-agent: " + e.getMessage());
            return NOTHING_TO_CHECK;
        }
        if (identity.isEmpty()) {
            err.println("rampart-agent: not enrolled: run `rampart-agent enroll ...` first (home " + home.directory() + ")");
            return NOTHING_TO_CHECK;
        }
        DesiredConfiguration configuration = home.readState().configuration();
        if (configuration.version() == 0) {
            err.println("rampart-agent: no configuration received from the control plane yet, so the agent does not know what to check: "
                    + "start the agent service (it fetches one within seconds of reaching the control plane); "
                    + "`rampart-agent doctor` says whether it can");
            return NOTHING_TO_CHECK;
        }
        List<CheckDefinition> checks = configuration.checks();
        if (checks.isEmpty()) {
            err.println("rampart-agent: configuration version " + configuration.version()
                    + " has no checks: your IT provider has not chosen the checks for this practice yet");
            return NOTHING_TO_CHECK;
        }
        Optional<String> only = commandLine.option("only").map(String::trim);
        if (only.isPresent()) {
            checks = checks.stream().filter(c -> c.getCheckId().equals(only.get())).toList();
            if (checks.isEmpty()) {
                err.println("rampart-agent: configuration version " + configuration.version() + " has no check " + only.get() + "; it has: "
                        + configuration.checks().stream().map(CheckDefinition::getCheckId).collect(Collectors.joining(", ")));
                return Main.USAGE;
            }
        }
        boolean json = commandLine.flag("json");
        if (!json) {
            out.println("checking " + checks.size() + (checks.size() == 1 ? " check" : " checks") + " of configuration version "
                    + configuration.version() + " for practice " + practice(identity.get()) + ", now, on this computer");
            out.println();
        }
        String who = "agent " + identity.get().agentId() + " (practice " + identity.get().practiceId() + ")";
        LocalChecks settings = CentralSources.settings(configuration.proto(), home);
        CheckRunner runner = new CheckRunner(home, () -> settings, clock, who);
        RepositoryTurn turn = RepositoryTurn.in(home);
        Map<String, RunningChecks.Run> runningNow = runningInTheService(home);
        List<Outcome> outcomes = new ArrayList<>();
        for (CheckDefinition check : checks) {
            Outcome outcome = runOne(check, runner, turn, runningNow);
            outcomes.add(outcome);
            if (!json) {
                print(outcome);
            }
        }
        int exit = outcomes.stream().mapToInt(Outcome::exitCode).max().orElse(ALL_PASSED);
        String delivery;
        if (commandLine.flag("report")) {
            try {
                int queued = queue(home, identity.get(), outcomes);
                delivery = "queued " + queued + (queued == 1 ? " result" : " results") + " in the outbox; the running agent delivers them";
            } catch (RuntimeException e) {
                err.println("rampart-agent: cannot queue the results in the outbox: " + e.getMessage());
                delivery = "not queued (see above)";
            }
        } else {
            delivery = "not sent to the control plane (add --report to queue them for the running agent to deliver)";
        }
        if (json) {
            printJson(identity.get(), configuration, outcomes, exit, commandLine.flag("report"));
        } else {
            out.println(tally(outcomes) + "; exit code " + exit);
            out.println("results " + delivery);
        }
        return exit;
    }

    private Outcome runOne(CheckDefinition check, CheckRunner runner, RepositoryTurn turn, Map<String, RunningChecks.Run> runningNow) {
        RunningChecks.Run running = runningNow.get(check.getCheckId());
        if (running != null) {
            return new Outcome(check, Optional.empty(), "the running agent has been " + (running.running() ? "running" : "waiting to run")
                    + " this check since " + running.since() + "; it reports the result itself (`rampart-agent status` shows it)");
        }
        Optional<Instant> later = runner.deferredUntil(check);
        if (later.isPresent()) {
            return new Outcome(check, Optional.empty(), "it would lock its repository inside the practice's backup window, so it waits until "
                    + later.get() + " (in " + HumanText.duration(Duration.between(clock.instant(), later.get())) + "), as the running agent's does");
        }
        boolean takesTurns = RepositoryTurn.takesTurns(check.getKind());
        if (takesTurns && !turn.tryTake()) {
            return new Outcome(check, Optional.empty(), "the running agent is using a restic or borg repository right now (repository "
                    + "checks take turns, so a repository lock never meets another); run this again when `rampart-agent status` shows "
                    + "no repository check running");
        }
        try {
            return new Outcome(check, Optional.of(runner.run(check)), "");
        } finally {
            if (takesTurns) {
                turn.give();
            }
        }
    }

    private Map<String, RunningChecks.Run> runningInTheService(AgentHome home) {
        Instant now = clock.instant();
        try {
            return RunningChecks.read(home.runningChecksFile()).runs().stream()
                    .filter(run -> run.since().plus(RUNNING_ENTRY_TRUSTED_FOR).isAfter(now))
                    .collect(Collectors.toMap(RunningChecks.Run::checkId, Function.identity(), (a, b) -> a));
        } catch (RuntimeException e) {
            return Map.of();
        }
    }

    private void print(Outcome outcome) {
        CheckDefinition check = outcome.check();
        String head = String.format("%-8s %s (%s)", outcome.status(), check.getCheckId(), ResultWords.kind(check.getKind()));
        if (outcome.result().isEmpty()) {
            out.println(head + ": not run now");
            out.println("         because " + outcome.notRunBecause());
            out.println();
            return;
        }
        CheckResult result = outcome.result().get();
        String took = result.hasDuration() ? ", took " + HumanText.duration(ProtoTime.duration(result.getDuration())) : "";
        out.println(head + ": " + ResultWords.meaning(result.getStatus()) + took);
        out.println("         " + result.getSummary());
        for (String step : ResultWords.nextSteps(result, clock.instant())) {
            out.println("         what to do: " + step);
        }
        out.println();
    }

    private static String tally(List<Outcome> outcomes) {
        Map<String, Long> by = outcomes.stream().collect(Collectors.groupingBy(Outcome::status, Collectors.counting()));
        List<String> parts = new ArrayList<>();
        for (String[] word : new String[][] { { "PASS", "passed" }, { "WARN", "warned" }, { "FAIL", "failed" },
                { "UNKNOWN", "could not be checked" }, { "NOT RUN", "not run now" } }) {
            long n = by.getOrDefault(word[0], 0L);
            if (n > 0) {
                parts.add(n + " " + word[1]);
            }
        }
        return outcomes.size() + (outcomes.size() == 1 ? " check: " : " checks: ") + String.join(", ", parts);
    }

    private int queue(AgentHome home, EnrolledIdentity identity, List<Outcome> outcomes) {
        Outbox outbox = Outbox.open(home.outboxDirectory());
        int queued = 0;
        for (Outcome outcome : outcomes) {
            if (outcome.result().isEmpty()) {
                continue;
            }
            outbox.append(AgentEvent.newBuilder().setEventId(UUID.randomUUID().toString()).setPracticeId(identity.practiceId())
                    .setOccurredAt(ProtoTime.timestamp(clock.instant())).setCheckResult(outcome.result().get()).build());
            queued++;
        }
        return queued;
    }

    private void printJson(EnrolledIdentity identity, DesiredConfiguration configuration, List<Outcome> outcomes, int exit, boolean queued) {
        ListValue.Builder checks = ListValue.newBuilder();
        for (Outcome outcome : outcomes) {
            Struct.Builder check = Struct.newBuilder()
                    .putFields("check_id", text(outcome.check().getCheckId()))
                    .putFields("kind", text(ResultWords.kind(outcome.check().getKind())))
                    .putFields("status", text(outcome.status()));
            if (outcome.result().isPresent()) {
                CheckResult result = outcome.result().get();
                ListValue.Builder steps = ListValue.newBuilder();
                ResultWords.nextSteps(result, clock.instant()).forEach(step -> steps.addValues(text(step)));
                check.putFields("meaning", text(ResultWords.meaning(result.getStatus())))
                        .putFields("summary", text(result.getSummary()))
                        .putFields("next_steps", Value.newBuilder().setListValue(steps).build())
                        .putFields("result", asValue(result));
            } else {
                check.putFields("not_run_because", text(outcome.notRunBecause()));
            }
            checks.addValues(Value.newBuilder().setStructValue(check));
        }
        Struct root = Struct.newBuilder()
                .putFields("agent_id", text(identity.agentId()))
                .putFields("practice_id", text(identity.practiceId()))
                .putFields("configuration_version", Value.newBuilder().setNumberValue(configuration.version()).build())
                .putFields("checked_at", text(clock.instant().toString()))
                .putFields("exit_code", Value.newBuilder().setNumberValue(exit).build())
                .putFields("queued_for_the_control_plane", Value.newBuilder().setBoolValue(queued).build())
                .putFields("checks", Value.newBuilder().setListValue(checks).build())
                .build();
        try {
            out.println(JsonFormat.printer().print(root));
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Value text(String text) {
        return Value.newBuilder().setStringValue(text).build();
    }

    /** The result as protobuf's JSON mapping has it (snake_case field names, enum names), inside the report. */
    private static Value asValue(CheckResult result) {
        try {
            Value.Builder value = Value.newBuilder();
            JsonFormat.parser().merge(JsonFormat.printer().preservingProtoFieldNames().print(result), value);
            return value.build();
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String practice(EnrolledIdentity identity) {
        return identity.practiceName().isBlank() ? identity.practiceId() : identity.practiceName() + " (" + identity.practiceId() + ")";
    }
}

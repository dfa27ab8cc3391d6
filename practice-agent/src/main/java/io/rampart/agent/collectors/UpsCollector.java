package io.rampart.agent.collectors;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Set;

import io.rampart.agent.collectors.ups.SelfTestMemory;
import io.rampart.agent.collectors.ups.SelfTestResults;
import io.rampart.agent.collectors.ups.SelfTestRuns;
import io.rampart.agent.collectors.ups.SelfTestWindow;
import io.rampart.agent.collectors.ups.UpsJudgement;
import io.rampart.agent.collectors.ups.UpsStatusFlags;
import io.rampart.agent.config.AgentHome;
import io.rampart.agent.config.BackupWindow;
import io.rampart.agent.config.DesiredConfiguration;
import io.rampart.agent.config.LocalChecks;
import io.rampart.agent.nut.NutClient;
import io.rampart.agent.nut.NutException;
import io.rampart.protocol.ProtoTime;
import io.rampart.protocol.agent.v1.CheckDefinition;
import io.rampart.protocol.agent.v1.CheckKind;
import io.rampart.protocol.agent.v1.CheckResult;
import io.rampart.protocol.agent.v1.CheckStatus;
import io.rampart.protocol.agent.v1.UpsCondition;
import io.rampart.protocol.agent.v1.UpsConditionSeverity;
import io.rampart.protocol.agent.v1.UpsObservation;
import io.rampart.protocol.agent.v1.UpsSelfTest;
import io.rampart.protocol.agent.v1.UpsSelfTestOutcome;
import io.rampart.protocol.agent.v1.UpsSettings;
import io.rampart.protocol.agent.v1.UpsStatus;

/**
 * Checks a UPS through Network UPS Tools: asks upsd (local settings {@code check.<id>.host}, default
 * localhost, {@code check.<id>.port}, default 3493, {@code check.<id>.ups}, the UPS name, optional
 * {@code check.<id>.username} and {@code check.<id>.password-file}) for the UPS's variables, classifies
 * ups.status and ups.alarm ({@link UpsStatusFlags}) and ups.test.result ({@link SelfTestResults}) once, and
 * fails when the servers are not protected (on battery, bypass, overload, alarm...), the battery would not
 * last until the servers have shut down, or the self-test failed or is overdue. With a user allowed
 * {@code instcmds = test.battery.start.quick} and {@code check.<id>.self-test-window} (e.g. {@code Tue 10:00-11:00})
 * it starts the self-test itself when one is due ({@link SelfTestRuns}).
 */
public final class UpsCollector implements Collector {

    static final String HOST = "host";
    static final String PORT = "port";
    static final String UPS = "ups";
    static final String USERNAME = "username";
    static final String PASSWORD_FILE = "password-file";
    static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);

    static final String SELF_TEST_WINDOW = "self-test-window";

    /** How often and how many times the agent looks at a UPS right after starting its self-test. */
    static final Duration WATCH_EVERY = Duration.ofSeconds(2);
    static final int WATCH_LOOKS = 15;

    /** Waits between looks at a UPS under test; tests move their clock instead. */
    @FunctionalInterface
    interface Pause {
        void pause(Duration duration) throws InterruptedException;
    }

    private final AgentHome home;
    private final LocalChecks bindings;
    private final Clock clock;
    private final Duration timeout;
    private final Pause pause;

    /**
     * @param home where the agent remembers each UPS's self-tests ({@link SelfTestMemory#FILE})
     * @param bindings the practice's checks.properties
     */
    public UpsCollector(AgentHome home, LocalChecks bindings, Clock clock) {
        this(home, bindings, clock, DEFAULT_TIMEOUT);
    }

    UpsCollector(AgentHome home, LocalChecks bindings, Clock clock, Duration timeout) {
        this(home, bindings, clock, timeout, d -> Thread.sleep(d.toMillis()));
    }

    UpsCollector(AgentHome home, LocalChecks bindings, Clock clock, Duration timeout, Pause pause) {
        this.home = home;
        this.bindings = bindings;
        this.clock = clock;
        this.timeout = timeout;
        this.pause = pause;
    }

    @Override
    public CheckKind kind() {
        return CheckKind.CHECK_KIND_UPS;
    }

    @Override
    public CheckResult run(CheckDefinition check) {
        Instant started = clock.instant();
        CheckResult.Builder result = CheckResult.newBuilder().setCheckId(check.getCheckId()).setKind(kind());
        examine(check, result);
        return result.setDuration(DesiredConfiguration.toProto(Duration.between(started, clock.instant()))).build();
    }

    private void examine(CheckDefinition check, CheckResult.Builder result) {
        String id = check.getCheckId();
        Optional<String> ups = bindings.setting(id, UPS);
        if (ups.isEmpty()) {
            error(result, "this computer does not know which UPS check " + id + " is about: set "
                    + LocalChecks.propertyFor(id, UPS) + "=<name of the UPS in upsd> in checks.properties");
            return;
        }
        if (!NutClient.isValidUpsName(ups.get())) {
            error(result, LocalChecks.propertyFor(id, UPS) + " is not a NUT UPS name (letters, digits, '.', '-', '_')");
            return;
        }
        String host = bindings.setting(id, HOST).orElse("localhost");
        int port;
        try {
            port = Integer.parseInt(bindings.setting(id, PORT).orElse(Integer.toString(NutClient.DEFAULT_PORT)));
            if (port < 1 || port > 65535) {
                throw new NumberFormatException();
            }
        } catch (NumberFormatException e) {
            error(result, LocalChecks.propertyFor(id, PORT) + " must be a TCP port number (default " + NutClient.DEFAULT_PORT + ")");
            return;
        }
        Optional<NutClient.Credentials> credentials;
        try {
            credentials = credentials(id);
        } catch (IOException e) {
            error(result, "cannot read the password file set in " + LocalChecks.propertyFor(id, PASSWORD_FILE) + ": "
                    + e.getClass().getSimpleName());
            return;
        }

        Optional<SelfTestWindow> window;
        try {
            window = bindings.setting(id, SELF_TEST_WINDOW).map(SelfTestWindow::parse);
        } catch (IllegalArgumentException e) {
            error(result, LocalChecks.propertyFor(id, SELF_TEST_WINDOW) + ": " + e.getMessage());
            return;
        }
        BackupWindow backupWindow;
        try {
            backupWindow = bindings.backupWindow();
        } catch (IllegalArgumentException e) {
            error(result, e.getMessage());
            return;
        }

        UpsObservation.Builder observation = UpsObservation.newBuilder().setUpsName(ups.get());
        NutClient client = new NutClient(host, port, timeout);
        String upsName = ups.get();
        SelfTestRuns.Rights rights = new SelfTestRuns.Rights(credentials.isPresent(), window, backupWindow, clock.getZone(),
                () -> client.instantCommand(upsName, SelfTestRuns.COMMAND, credentials.orElseThrow()));
        Map<String, String> variables;
        try {
            variables = client.listVariables(ups.get(), credentials);
        } catch (NutException e) {
            result.setStatus(CheckStatus.CHECK_STATUS_ERROR).setSummary(describe(e, id, client.address(), ups.get()));
            if (e.kind() == NutException.Kind.UNREACHABLE || e.kind() == NutException.Kind.TIMEOUT) {
                observation.setStatus(UpsStatus.UPS_STATUS_UNREACHABLE);
            }
            result.setUps(observation);
            return;
        }
        judge(id, client.address(), check.getUps(), variables, observation, result, rights,
                () -> client.listVariables(upsName, credentials));
    }

    private static String describe(NutException e, String id, String address, String ups) {
        String where = " (set in " + LocalChecks.propertyFor(id, HOST) + " and " + LocalChecks.propertyFor(id, PORT) + ")";
        return switch (e.kind()) {
            case UNREACHABLE -> "upsd at " + address + " is unreachable" + where + ": " + e.getMessage();
            case TIMEOUT -> "upsd at " + address + " did not answer in time" + where;
            case UNKNOWN_UPS -> "upsd at " + address + " knows no UPS named " + ups + " (set in "
                    + LocalChecks.propertyFor(id, UPS) + "; `upsc -l " + address + "` lists the names)";
            case ACCESS_DENIED -> "upsd at " + address + " refused the login of " + LocalChecks.propertyFor(id, USERNAME)
                    + " (" + e.nutError() + ")";
            case NO_DATA -> e.getMessage() + ": is the UPS connected and its NUT driver running?";
            case COMMAND_NOT_SUPPORTED -> e.getMessage();
            case PROTOCOL -> e.getMessage() + where;
        };
    }

    private Optional<NutClient.Credentials> credentials(String id) throws IOException {
        Optional<String> username = bindings.setting(id, USERNAME);
        if (username.isEmpty()) {
            return Optional.empty();
        }
        Optional<String> passwordFile = bindings.setting(id, PASSWORD_FILE);
        String password = passwordFile.isEmpty() ? ""
                : Files.readString(Path.of(passwordFile.get()), StandardCharsets.UTF_8).strip();
        return Optional.of(new NutClient.Credentials(username.get(), password));
    }

    private void judge(String id, String address, UpsSettings settings, Map<String, String> variables,
            UpsObservation.Builder observation, CheckResult.Builder result, SelfTestRuns.Rights rights, Reread reread) {
        Instant now = clock.instant();
        String raw = variables.getOrDefault("ups.status", "").trim();
        Set<String> flags = Arrays.stream(raw.split("\\s+")).filter(f -> !f.isEmpty()).collect(java.util.stream.Collectors.toSet());
        // the coarse status of events before conditions existed, kept for their readers
        observation.setRawStatus(raw).setStatus(flags.contains("LB") ? UpsStatus.UPS_STATUS_LOW_BATTERY
                : flags.contains("OB") ? UpsStatus.UPS_STATUS_ON_BATTERY
                : flags.contains("OL") ? UpsStatus.UPS_STATUS_ONLINE : UpsStatus.UPS_STATUS_UNSPECIFIED);
        OptionalDouble charge = number(variables.get("battery.charge"));
        charge.ifPresent(observation::setChargePercent);
        observation.setChargeReported(charge.isPresent());
        OptionalDouble runtimeSeconds = number(variables.get("battery.runtime"));
        runtimeSeconds.ifPresent(r -> observation.setRuntime(ProtoTime.duration(Duration.ofSeconds(Math.round(r)))));
        observation.setRuntimeReported(runtimeSeconds.isPresent());
        List<UpsCondition> conditions = UpsStatusFlags.classify(raw, Optional.ofNullable(variables.get("ups.alarm")), charge);
        observation.addAllConditions(conditions).setClassified(true);

        String testResult = variables.getOrDefault("ups.test.result", "").trim();
        String testDate = variables.getOrDefault("ups.test.date", "").trim();
        Optional<Instant> reportedDate = parseTestDate(testDate, clock.getZone());
        // a UPS whose clock runs ahead never proves a recent test: its date is ignored, the result dated as if it had none
        reportedDate.filter(at -> FutureDates.isFuture(at, now))
                .ifPresent(at -> result.addFutureDated(FutureDates.item("UPS self-test (ups.test.date " + testDate + ")", at, now)));
        Optional<Instant> testedAt = reportedDate.filter(at -> !FutureDates.isFuture(at, now));
        observation.setSelfTestResult(testResult);
        testedAt.ifPresent(at -> observation.setSelfTestAt(ProtoTime.timestamp(at)));

        Optional<Duration> minRuntime = positive(settings.hasMinRuntime() ? ProtoTime.duration(settings.getMinRuntime()) : null);
        Optional<Duration> maxTestAge = positive(settings.hasMaxSelfTestAge() ? ProtoTime.duration(settings.getMaxSelfTestAge()) : null);
        Duration grace = settings.hasSelfTestGrace() ? ProtoTime.duration(settings.getSelfTestGrace()) : Duration.ZERO;

        // remembered per UPS: another UPS behind the same check (a new name, host or serial number) starts afresh
        String serial = variables.getOrDefault("ups.serial", variables.getOrDefault("device.serial", "")).trim();
        SelfTestMemory memory = SelfTestMemory.read(home.directory(), id + "." + observation.getUpsName() + "@" + address
                + (serial.isEmpty() ? "" : "#" + serial));
        boolean running = SelfTestResults.classify(testResult) == UpsSelfTestOutcome.UPS_SELF_TEST_OUTCOME_IN_PROGRESS
                || flags.contains("TEST") || flags.contains("TIP");
        SelfTestMemory.Test latest = SelfTestRuns.latest(memory, testResult, testDate, testedAt, running, now);
        boolean healthy = flags.contains("OL") && conditions.stream()
                .allMatch(c -> c.getSeverity() == UpsConditionSeverity.UPS_CONDITION_SEVERITY_NOTICE)
                && (charge.isEmpty() || charge.getAsDouble() >= SelfTestRuns.MIN_CHARGE_PERCENT);
        SelfTestRuns.Decision decision = SelfTestRuns.maybeStart(memory, rights, latest, maxTestAge, healthy, running, testResult,
                testDate, now);
        latest = decision.latest();
        memory.started().filter(s -> s.at().equals(now) && !s.confirmed()).ifPresent(s -> watch(s, memory, reread));
        try {
            memory.write();
        } catch (java.io.UncheckedIOException e) {
            error(result, "cannot record what this UPS's self-tests showed in " + home.directory().resolve(SelfTestMemory.FILE)
                    + ": " + e.getCause().getMessage() + " (without it, a UPS that reports no test date cannot prove one)");
            result.setUps(observation);
            return;
        }

        observation.setLatestSelfTest(proto(latest)).setSelfTestControl(decision.control());
        memory.lastPassed().ifPresent(passed -> observation.setLastPassedSelfTest(proto(passed)));
        result.setUps(observation);

        UpsJudgement judgement = UpsJudgement.of(observation.build(), minRuntime, maxTestAge, grace, now);
        result.setStatus(judgement.status()).setSummary(judgement.summary());
    }

    /** Reads the UPS's variables again. */
    @FunctionalInterface
    private interface Reread {
        Map<String, String> variables() throws NutException;
    }

    /**
     * Looks at the UPS for up to half a minute after starting its self-test, so that a quick test that ends in the
     * same words as the last one (usbhid-ups: "Done and passed" again) is still known to have run.
     */
    private void watch(SelfTestMemory.Started started, SelfTestMemory memory, Reread reread) {
        for (int look = 0; look < WATCH_LOOKS; look++) {
            try {
                pause.pause(WATCH_EVERY);
                Map<String, String> variables = reread.variables();
                String result = variables.getOrDefault("ups.test.result", "").trim();
                Set<String> flags = Set.of(variables.getOrDefault("ups.status", "").trim().split("\\s+"));
                boolean running = SelfTestResults.classify(result) == UpsSelfTestOutcome.UPS_SELF_TEST_OUTCOME_IN_PROGRESS
                        || flags.contains("TEST") || flags.contains("TIP");
                if (SelfTestRuns.showsTestUnderWay(started, result, variables.getOrDefault("ups.test.date", "").trim(), running)) {
                    memory.started(started.confirm());
                    return;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (NutException e) {
                // upsd away for a moment: the next check run looks again
                return;
            }
        }
    }

    private static UpsSelfTest proto(SelfTestMemory.Test test) {
        return UpsSelfTest.newBuilder().setOutcome(test.outcome()).setResult(test.result()).setAt(ProtoTime.timestamp(test.at()))
                .setTimeSource(test.source()).build();
    }

    private static final List<DateTimeFormatter> DATE_TIMES = List.of(
            DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm[:ss]"),
            DateTimeFormatter.ofPattern("uuuu/MM/dd HH:mm[:ss]"),
            DateTimeFormatter.ofPattern("MM/dd/uuuu HH:mm[:ss]"),
            DateTimeFormatter.ISO_LOCAL_DATE_TIME);
    private static final List<DateTimeFormatter> DATES = List.of(
            DateTimeFormatter.ISO_LOCAL_DATE,
            DateTimeFormatter.ofPattern("uuuu/MM/dd"),
            // APC and most US firmware: month first
            DateTimeFormatter.ofPattern("MM/dd/uuuu"),
            DateTimeFormatter.ofPattern("MM/dd/uu"),
            DateTimeFormatter.ofPattern("dd.MM.uuuu"));

    /** ups.test.date comes in whatever form the firmware likes; what cannot be read stays unknown. */
    static Optional<Instant> parseTestDate(String value, ZoneId zone) {
        if (value == null || value.isBlank()) {
            return Optional.empty();
        }
        String v = value.trim();
        try {
            return Optional.of(OffsetDateTime.parse(v).toInstant());
        } catch (DateTimeParseException e) {
            // not with an offset; try the local forms
        }
        for (DateTimeFormatter format : DATE_TIMES) {
            try {
                return Optional.of(LocalDateTime.parse(v, format).atZone(zone).toInstant());
            } catch (DateTimeParseException e) {
                // next form
            }
        }
        for (DateTimeFormatter format : DATES) {
            try {
                return Optional.of(LocalDate.parse(v, format).atStartOfDay(zone).toInstant());
            } catch (DateTimeParseException e) {
                // next form
            }
        }
        return Optional.empty();
    }

    private static OptionalDouble number(String value) {
        if (value == null || value.isBlank()) {
            return OptionalDouble.empty();
        }
        try {
            double d = Double.parseDouble(value.trim());
            return Double.isFinite(d) ? OptionalDouble.of(d) : OptionalDouble.empty();
        } catch (NumberFormatException e) {
            return OptionalDouble.empty();
        }
    }

    private static Optional<Duration> positive(Duration d) {
        return Optional.ofNullable(d).filter(x -> !x.isZero() && !x.isNegative());
    }

    private static void error(CheckResult.Builder result, String summary) {
        result.setStatus(CheckStatus.CHECK_STATUS_ERROR).setSummary(summary);
    }
}

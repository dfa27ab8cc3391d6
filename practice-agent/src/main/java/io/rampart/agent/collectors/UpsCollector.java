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
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Set;

import com.google.protobuf.Timestamp;

import io.rampart.agent.config.DesiredConfiguration;
import io.rampart.agent.config.LocalChecks;
import io.rampart.agent.nut.NutClient;
import io.rampart.agent.nut.NutException;
import io.rampart.protocol.agent.v1.CheckDefinition;
import io.rampart.protocol.agent.v1.CheckKind;
import io.rampart.protocol.agent.v1.CheckResult;
import io.rampart.protocol.agent.v1.CheckStatus;
import io.rampart.protocol.agent.v1.UpsObservation;
import io.rampart.protocol.agent.v1.UpsSettings;
import io.rampart.protocol.agent.v1.UpsStatus;

/**
 * Checks a UPS through Network UPS Tools: asks upsd (local settings {@code check.<id>.host}, default
 * localhost, {@code check.<id>.port}, default 3493, {@code check.<id>.ups}, the UPS name, optional
 * {@code check.<id>.username} and {@code check.<id>.password-file}) for the UPS's variables and fails
 * when the practice runs on battery, the battery would not last until the servers have shut down, or
 * the self-test failed or is overdue.
 */
public final class UpsCollector implements Collector {

    static final String HOST = "host";
    static final String PORT = "port";
    static final String UPS = "ups";
    static final String USERNAME = "username";
    static final String PASSWORD_FILE = "password-file";
    static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);

    private static final DateTimeFormatter DAY = DateTimeFormatter.ISO_LOCAL_DATE;

    private final LocalChecks bindings;
    private final Clock clock;
    private final Duration timeout;

    public UpsCollector(LocalChecks bindings, Clock clock) {
        this(bindings, clock, DEFAULT_TIMEOUT);
    }

    UpsCollector(LocalChecks bindings, Clock clock, Duration timeout) {
        this.bindings = bindings;
        this.clock = clock;
        this.timeout = timeout;
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

        UpsObservation.Builder observation = UpsObservation.newBuilder().setUpsName(ups.get());
        NutClient client = new NutClient(host, port, timeout);
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
        judge(check.getUps(), variables, observation, result);
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

    private void judge(UpsSettings settings, Map<String, String> variables, UpsObservation.Builder observation,
            CheckResult.Builder result) {
        String raw = variables.getOrDefault("ups.status", "").trim();
        Set<String> flags = Arrays.stream(raw.split("\\s+")).filter(f -> !f.isEmpty()).collect(java.util.stream.Collectors.toSet());
        boolean onBattery = flags.contains("OB");
        boolean lowBattery = flags.contains("LB");
        observation.setRawStatus(raw).setStatus(lowBattery ? UpsStatus.UPS_STATUS_LOW_BATTERY
                : onBattery ? UpsStatus.UPS_STATUS_ON_BATTERY
                : flags.contains("OL") ? UpsStatus.UPS_STATUS_ONLINE : UpsStatus.UPS_STATUS_UNSPECIFIED);
        OptionalDouble charge = number(variables.get("battery.charge"));
        charge.ifPresent(observation::setChargePercent);
        OptionalDouble runtimeSeconds = number(variables.get("battery.runtime"));
        Optional<Duration> runtime = runtimeSeconds.isPresent()
                ? Optional.of(Duration.ofSeconds(Math.round(runtimeSeconds.getAsDouble()))) : Optional.empty();
        runtime.ifPresent(r -> observation.setRuntime(DesiredConfiguration.toProto(r)));
        String testResult = variables.getOrDefault("ups.test.result", "").trim();
        Optional<Instant> testedAt = parseTestDate(variables.get("ups.test.date"), clock.getZone());
        observation.setSelfTestResult(testResult);
        testedAt.ifPresent(at -> observation.setSelfTestAt(Timestamp.newBuilder().setSeconds(at.getEpochSecond()).setNanos(at.getNano())));
        result.setUps(observation);

        Optional<Duration> minRuntime = positive(settings.hasMinRuntime() ? DesiredConfiguration.toDuration(settings.getMinRuntime()) : null);
        Optional<Duration> maxTestAge = positive(settings.hasMaxSelfTestAge()
                ? DesiredConfiguration.toDuration(settings.getMaxSelfTestAge()) : null);

        String state = raw.isEmpty() ? "status unknown"
                : onBattery || lowBattery ? (onBattery ? "on battery" : "battery") + (lowBattery ? ", battery low" : "")
                : flags.contains("OL") ? "online" : "status " + raw;
        String facts = state + charge.stream().mapToObj(c -> ", charge " + percent(c)).findFirst().orElse("")
                + runtime.map(r -> ", runtime " + HumanDuration.of(r)).orElse("");

        List<String> problems = new ArrayList<>();
        List<String> doubts = new ArrayList<>();
        if (onBattery || lowBattery) {
            problems.add(state + charge.stream().mapToObj(c -> ", charge " + percent(c)).findFirst().orElse(""));
        }
        if (flags.contains("RB")) {
            problems.add("the UPS says its battery needs replacing");
        }
        if (minRuntime.isPresent()) {
            if (runtime.isEmpty()) {
                doubts.add("the UPS does not report its runtime on battery, so the " + HumanDuration.of(minRuntime.get())
                        + " the servers need cannot be checked");
            } else if (runtime.get().compareTo(minRuntime.get()) < 0) {
                problems.add("runtime on battery " + HumanDuration.of(runtime.get()) + ", the servers need "
                        + HumanDuration.of(minRuntime.get()) + " to shut down");
            }
        }

        SelfTest test = SelfTest.of(testResult);
        String when = testedAt.map(at -> " on " + DAY.format(at.atZone(clock.getZone()))).orElse("");
        String selfTest = switch (test) {
            case PASSED -> "self-test passed" + when;
            case FAILED -> "self-test failed" + when + " (" + testResult + ")";
            case NEVER -> "no self-test on record";
            case OTHER -> "self-test: " + testResult + when;
        };
        if (test == SelfTest.FAILED) {
            problems.add(selfTest);
        }
        if (maxTestAge.isPresent()) {
            Duration limit = maxTestAge.get();
            if (test == SelfTest.NEVER) {
                problems.add("no self-test on record (one is due every " + HumanDuration.of(limit) + ")");
            } else if (testedAt.isPresent()) {
                Duration age = Duration.between(testedAt.get(), clock.instant());
                if (age.compareTo(limit) > 0) {
                    problems.add("last self-test" + when + " is " + HumanDuration.of(age) + " old (limit " + HumanDuration.of(limit) + ")");
                }
            } else if (test != SelfTest.FAILED) {
                doubts.add("the UPS does not say when its self-test ran, so its age (limit " + HumanDuration.of(limit)
                        + ") cannot be checked");
            }
        }

        if (!problems.isEmpty()) {
            result.setStatus(CheckStatus.CHECK_STATUS_FAIL).setSummary(String.join("; ", problems));
        } else if (!doubts.isEmpty()) {
            result.setStatus(CheckStatus.CHECK_STATUS_WARN).setSummary(facts + "; " + selfTest + "; " + String.join("; ", doubts));
        } else {
            result.setStatus(CheckStatus.CHECK_STATUS_PASS).setSummary(facts + "; " + selfTest);
        }
    }

    private enum SelfTest {
        PASSED, FAILED, NEVER, OTHER;

        static SelfTest of(String result) {
            String r = result.toLowerCase(Locale.ROOT);
            if (r.isEmpty() || r.contains("no test") || r.equals("none")) {
                return NEVER;
            }
            if (r.contains("fail") || r.contains("error") || r.contains("bad")) {
                return FAILED;
            }
            if (r.contains("pass") || r.equals("ok") || r.contains("done and ok")) {
                return PASSED;
            }
            return OTHER;
        }
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

    private static String percent(double value) {
        return (value == Math.rint(value) ? Long.toString((long) value) : String.format(Locale.ROOT, "%.1f", value)) + "%";
    }

    private static Optional<Duration> positive(Duration d) {
        return Optional.ofNullable(d).filter(x -> !x.isZero() && !x.isNegative());
    }

    private static void error(CheckResult.Builder result, String summary) {
        result.setStatus(CheckStatus.CHECK_STATUS_ERROR).setSummary(summary);
    }
}

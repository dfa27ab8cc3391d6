package io.rampart.agent.collectors.ups;

import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.Properties;

import io.rampart.agent.config.AtomicFile;
import io.rampart.protocol.agent.v1.UpsSelfTestControl;
import io.rampart.protocol.agent.v1.UpsSelfTestOutcome;
import io.rampart.protocol.agent.v1.UpsSelfTestTimeSource;

/**
 * What the agent remembers about one UPS's self-tests between check runs and restarts, in
 * {@code ups-self-tests.properties} under the agent's home (keys prefixed by the check id and the UPS's name, upsd
 * address and serial number, so that another UPS starts afresh): the ups.test.result value
 * last seen and since when, the newest passed test, a test the agent started and is waiting for, and whether upsd let
 * it start one. Without it a USB UPS, which never reports ups.test.date, could never prove a test's age.
 */
public final class SelfTestMemory {

    /** The file under the agent's home. */
    public static final String FILE = "ups-self-tests.properties";

    /** A self-test as remembered: outcome, the UPS's words, when, and how the agent knows when. */
    public record Test(UpsSelfTestOutcome outcome, String result, Instant at, UpsSelfTestTimeSource source) {
    }

    /**
     * A test the agent started and waits for: when, what the UPS said before it (result and ups.test.date), and whether
     * the UPS was seen running it (In progress, TEST flag, or a new value), which lets a result in the same words as
     * before count as this test's.
     */
    public record Started(Instant at, String resultBefore, String dateBefore, boolean confirmed) {
        public Started confirm() {
            return new Started(at, resultBefore, dateBefore, true);
        }
    }

    private final Path file;
    private final String prefix;
    private final Properties all;

    private SelfTestMemory(Path file, String key, Properties all) {
        this.file = file;
        this.prefix = key + ".";
        this.all = all;
    }

    /**
     * Reads the memory of one UPS; a missing or unreadable file is an empty memory (nothing seen yet).
     *
     * @param key the check id and what identifies the UPS, e.g. "ups.smart1500@localhost:3493#AS1234"
     */
    public static SelfTestMemory read(Path home, String key) {
        Path file = home.resolve(FILE);
        Properties all = new Properties();
        if (Files.exists(file)) {
            try (Reader reader = new StringReader(Files.readString(file, StandardCharsets.UTF_8))) {
                all.load(reader);
            } catch (IOException | IllegalArgumentException e) {
                // a damaged file costs the memory, never the check
                all.clear();
            }
        }
        return new SelfTestMemory(file, key, all);
    }

    /** Writes the memory atomically (old or new content after a power cut, never half). */
    public void write() {
        StringWriter text = new StringWriter();
        try {
            all.store(text, "Rampart agent: what it saw of each UPS's self-tests (rewritten by the agent)");
            AtomicFile.write(file, text.toString().getBytes(StandardCharsets.UTF_8), false);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    /** The ups.test.result value last seen, with when and how it is dated; empty before the first look. */
    public Optional<Test> current() {
        return test("current");
    }

    public void current(Test test) {
        test("current", test);
    }

    /** The newest self-test known to have passed. */
    public Optional<Test> lastPassed() {
        return test("passed");
    }

    public void lastPassed(Test test) {
        test("passed", test);
    }

    /** Whether a running test (In progress, TEST flag) was seen since the current value: the next value is new. */
    public boolean runningSeen() {
        return Boolean.parseBoolean(get("running-seen").orElse("false"));
    }

    public void runningSeen(boolean seen) {
        set("running-seen", Boolean.toString(seen));
    }

    public Optional<Started> started() {
        return instant("started.at").map(at -> new Started(at, get("started.result-before").orElse(""),
                get("started.date-before").orElse(""), Boolean.parseBoolean(get("started.confirmed").orElse("false"))));
    }

    public void started(Started started) {
        set("started.at", started.at().toString());
        set("started.result-before", started.resultBefore());
        set("started.date-before", started.dateBefore());
        set("started.confirmed", Boolean.toString(started.confirmed()));
    }

    public void clearStarted() {
        remove("started.at");
        remove("started.result-before");
        remove("started.date-before");
        remove("started.confirmed");
    }

    /** When the agent last asked upsd to start a test (successfully or not): one attempt a day at most. */
    public Optional<Instant> lastAttemptAt() {
        return instant("last-attempt-at");
    }

    public void lastAttemptAt(Instant at) {
        set("last-attempt-at", at.toString());
    }

    /** What upsd answered the last time the agent asked to start a test. */
    public Optional<UpsSelfTestControl> control() {
        return get("control").flatMap(name -> {
            try {
                return Optional.of(UpsSelfTestControl.valueOf(name));
            } catch (IllegalArgumentException e) {
                return Optional.empty();
            }
        });
    }

    public void control(UpsSelfTestControl control) {
        set("control", control.name());
    }

    private Optional<Test> test(String key) {
        Optional<Instant> at = instant(key + ".at");
        Optional<String> outcome = get(key + ".outcome");
        Optional<String> source = get(key + ".source");
        if (at.isEmpty() || outcome.isEmpty() || source.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(new Test(UpsSelfTestOutcome.valueOf(outcome.get()), get(key + ".result").orElse(""), at.get(),
                    UpsSelfTestTimeSource.valueOf(source.get())));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private void test(String key, Test test) {
        set(key + ".outcome", test.outcome().name());
        set(key + ".result", test.result());
        set(key + ".at", test.at().toString());
        set(key + ".source", test.source().name());
    }

    private Optional<Instant> instant(String key) {
        return get(key).flatMap(value -> {
            try {
                return Optional.of(Instant.parse(value));
            } catch (DateTimeParseException e) {
                return Optional.empty();
            }
        });
    }

    private Optional<String> get(String key) {
        return Optional.ofNullable(all.getProperty(prefix + key));
    }

    private void set(String key, String value) {
        all.setProperty(prefix + key, value);
    }

    private void remove(String key) {
        all.remove(prefix + key);
    }
}

package io.rampart.agent.cli;

import java.io.OutputStream;
import java.io.PrintStream;
import java.util.Map;

/** Runs the {@code rampart-agent} command in this JVM, for tests outside this package. */
public final class MainForTests {

    private MainForTests() {
    }

    /** Runs {@code args} with this output (errors discarded) and environment; returns the exit code. */
    public static int run(PrintStream out, Map<String, String> environment, String... args) {
        return new Main(out, new PrintStream(OutputStream.nullOutputStream()), environment).run(args);
    }
}

package io.rampart.agent.cli;

/**
 * The JVM options the installed agent runs with: the one place the Linux installer (install.sh), the Windows
 * installer (install.ps1) and the footprint benchmark (practice-agent-bench's AgentFootprint) take them from. The
 * installers ask the jar they just downloaded ({@code java -cp rampart-agent.jar io.rampart.agent.cli.JvmOptions
 * linux|windows} prints one line, options separated by single spaces), so options and jar always come together.
 *
 * <p>Each option was measured with AgentFootprint (idle resident memory, CPU; README, "Footprint of an idle agent"):
 * a 32 MB heap with a 2 MB young generation and the serial collector (the fingerprint store is bounded to fit it),
 * 192 KB thread stacks, no hsperfdata file, and no Java list of public CAs (the agent trusts only the CA it was
 * enrolled with). Linux adds C1 only with one compiler thread and a 16 MB code cache (big files are hashed by
 * sha256sum or openssl there, so C2's SHA-256 intrinsic is not needed), compiling a method only after ten times the
 * usual number of calls or loop turns (an idle agent's code that runs now and then stays interpreted: 1.8 MB less JIT
 * code and compiler memory; a loop over a file's bytes still compiles within a fraction of a second), and glibc's
 * native heap trimmed every 30 s (Java 17.0.9 or later; older ones ignore it). Windows keeps C2, whose SHA-256 intrinsic the agent's own hashing uses.
 */
public final class JvmOptions {

    /** What every platform's agent runs with. */
    public static final String COMMON = "-Xms8m -Xmx32m -Xmn2m -XX:+UseSerialGC -XX:MaxMetaspaceSize=64m -Xss192k -XX:-UsePerfData"
            + " -Djavax.net.ssl.trustStore=NONE";
    /** The Linux service and CLI (install.sh's wrapper). */
    public static final String LINUX = COMMON + " -XX:TieredStopAtLevel=1 -XX:CICompilerCount=1 -XX:ReservedCodeCacheSize=16m"
            + " -XX:CompileThresholdScaling=10 -XX:+IgnoreUnrecognizedVMOptions -XX:TrimNativeHeapInterval=30000";
    /** The Windows service and CLI (install.ps1's rampart-agent.cmd and WinSW service). */
    public static final String WINDOWS = COMMON;

    private JvmOptions() {
    }

    /** Prints the options of the platform named by the one argument, {@code linux} or {@code windows}; exit 64 otherwise. */
    public static void main(String[] args) {
        String options = args.length != 1 ? null : switch (args[0]) {
            case "linux" -> LINUX;
            case "windows" -> WINDOWS;
            default -> null;
        };
        if (options == null) {
            System.err.println("usage: java -cp rampart-agent.jar io.rampart.agent.cli.JvmOptions linux|windows");
            System.exit(64);
        }
        System.out.println(options);
    }
}

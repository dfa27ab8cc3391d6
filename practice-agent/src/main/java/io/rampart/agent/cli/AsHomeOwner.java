package io.rampart.agent.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

import io.rampart.agent.config.AgentHome;
import io.rampart.agent.config.FileOwner;

/**
 * {@code check} and {@code doctor} run as root (an IT person's sudo) for a home that the service user owns: they run
 * again as that user, so that every file they make in the home (a collector's memory, restic's cache, the repository
 * turn, outbox events) is the service's, and so that "can the agent read this folder" is answered for the user the
 * service runs as rather than for root, who can read everything. The switch uses {@code setpriv} (util-linux; else
 * {@code runuser}), the same java and class path. Where neither is there, the command runs as root and afterwards
 * gives everything in the home to its owner ({@link FileOwner}).
 */
final class AsHomeOwner {

    /** Set in the command run as the owner, so it never tries to switch again. */
    static final String SWITCHED = "RAMPART_AGENT_AS_HOME_OWNER";

    private static final List<Path> SETPRIV = List.of(Path.of("/usr/bin/setpriv"), Path.of("/bin/setpriv"));
    private static final List<Path> RUNUSER = List.of(Path.of("/usr/sbin/runuser"), Path.of("/sbin/runuser"));

    /** The owner of the home as numbers and name, when this process runs as root and someone else owns the home. */
    record Owner(int uid, int gid, String name) {
    }

    private AsHomeOwner() {
    }

    /** The home's owner when this process is root (uid 0) and the home belongs to another user; else empty. */
    static Optional<Owner> otherOwner(AgentHome home, Map<String, String> environment) {
        if (environment.containsKey(SWITCHED)) {
            return Optional.empty();
        }
        try {
            Path self = Path.of("/proc/self");
            if (!Files.isDirectory(home.directory()) || !Files.exists(self)) {
                return Optional.empty();
            }
            // /proc/self belongs to the process's effective user
            int me = (Integer) Files.getAttribute(self, "unix:uid", LinkOption.NOFOLLOW_LINKS);
            int uid = (Integer) Files.getAttribute(home.directory(), "unix:uid");
            int gid = (Integer) Files.getAttribute(home.directory(), "unix:gid");
            if (me != 0 || uid == 0) {
                return Optional.empty();
            }
            return Optional.of(new Owner(uid, gid, FileOwner.of(home.directory()).name()));
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            return Optional.empty(); // not a POSIX system: nothing to switch
        }
    }

    /**
     * Runs {@code args} (with {@code --home} set to this home) as the owner in a JVM of its own, its output copied to
     * {@code out} and {@code err}; its exit code. Empty when no tool to switch users is installed or it cannot start.
     */
    static Optional<Integer> runAs(Owner owner, AgentHome home, List<String> args, Map<String, String> environment, PrintStream out,
            PrintStream err) {
        List<String> command = new ArrayList<>();
        Optional<Path> setpriv = SETPRIV.stream().filter(Files::isExecutable).findFirst();
        Optional<Path> runuser = RUNUSER.stream().filter(Files::isExecutable).findFirst();
        if (setpriv.isPresent()) {
            command.addAll(List.of(setpriv.get().toString(), "--reuid=" + owner.uid(), "--regid=" + owner.gid(),
                    owner.name().isEmpty() || owner.name().matches("\\d+") ? "--clear-groups" : "--init-groups", "--"));
        } else if (runuser.isPresent() && !owner.name().isEmpty()) {
            command.addAll(List.of(runuser.get().toString(), "-u", owner.name(), "--"));
        } else {
            return Optional.empty();
        }
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        // the wrapper's memory and GC options; never a debugger or agent, whose port or file the first JVM holds
        java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
                .filter(option -> option.startsWith("-X") && !option.startsWith("-Xdebug") && !option.startsWith("-Xrunjdwp"))
                .forEach(command::add);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), Main.class.getName()));
        command.addAll(withHome(args, home));
        ProcessBuilder builder = new ProcessBuilder(command).redirectInput(ProcessBuilder.Redirect.INHERIT);
        builder.environment().clear();
        builder.environment().putAll(environment);
        builder.environment().put(SWITCHED, "1");
        // tools that look in $HOME (psql's .pgpass, caches) must not reach into root's home
        builder.environment().put("HOME", home.directory().toString());
        if (!owner.name().isEmpty()) {
            builder.environment().put("USER", owner.name());
            builder.environment().put("LOGNAME", owner.name());
        }
        try {
            Process process = builder.start();
            Thread errors = new Thread(() -> copy(process.getErrorStream(), err), "rampart-agent-as-owner-stderr");
            errors.start();
            copy(process.getInputStream(), out);
            int exit = process.waitFor();
            errors.join();
            return Optional.of(exit);
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.of(1);
        }
    }

    /** After running as root without switching: everything in the home becomes its owner's again. */
    static void giveBack(AgentHome home) {
        FileOwner owner = FileOwner.of(home.directory());
        try (Stream<Path> files = Files.walk(home.directory())) {
            files.filter(p -> !p.equals(home.directory())).forEach(owner::adopt);
        } catch (IOException | UncheckedIOException e) {
            // adopt() warns with the chown to run for each file it could not give
        }
    }

    private static List<String> withHome(List<String> args, AgentHome home) {
        List<String> result = new ArrayList<>();
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            if (arg.equals("--home")) {
                i++;
            } else if (!arg.startsWith("--home=")) {
                result.add(arg);
            }
        }
        result.add("--home");
        result.add(home.directory().toString());
        return result;
    }

    private static void copy(InputStream from, PrintStream to) {
        try (from) {
            byte[] buffer = new byte[8192];
            int n;
            while ((n = from.read(buffer)) > 0) {
                to.write(buffer, 0, n);
            }
            to.flush();
        } catch (IOException e) {
            // the command ended
        }
    }
}

package io.rampart.agent.collectors;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.rampart.agent.collectors.ExternalCommand.Stop;

/**
 * Stops a tool that ran past its time limit the way restic and borg expect, so that they remove their lock: SIGINT to
 * the tool and every process it started ({@code kill -INT}), SIGTERM after the first grace, SIGKILL after the second.
 */
final class ProcessTreeStop {

    private ProcessTreeStop() {
    }

    /**
     * Stops the tool and everything it started: SIGINT, SIGTERM after the first grace, SIGKILL after the second.
     * The tree is taken before the first signal, because a child whose parent has exited is no longer a descendant.
     */
    static Stop stop(Process process, Duration interruptGrace, Duration terminateGrace) {
        List<ProcessHandle> tree = new ArrayList<>();
        tree.add(process.toHandle());
        process.descendants().forEach(tree::add);
        if (!interrupt(tree)) {
            tree.forEach(ProcessHandle::destroy);
        }
        if (awaitEnd(tree, interruptGrace)) {
            return Stop.INTERRUPTED;
        }
        refreshTree(process, tree);
        tree.forEach(ProcessHandle::destroy);
        if (awaitEnd(tree, terminateGrace)) {
            return Stop.TERMINATED;
        }
        refreshTree(process, tree);
        tree.forEach(ProcessHandle::destroyForcibly);
        awaitEnd(tree, Duration.ofSeconds(10));
        return Stop.KILLED;
    }

    /** Children started while the tool was being stopped are stopped too. */
    private static void refreshTree(Process process, List<ProcessHandle> tree) {
        process.descendants().filter(child -> !tree.contains(child)).forEach(tree::add);
    }

    /** {@code kill -INT <pid>...}; false when that could not be done (no kill command, e.g. on Windows). */
    private static boolean interrupt(List<ProcessHandle> tree) {
        List<String> kill = new ArrayList<>(List.of("kill", "-INT"));
        tree.stream().filter(ProcessHandle::isAlive).forEach(handle -> kill.add(Long.toString(handle.pid())));
        if (kill.size() == 2) {
            return true;
        }
        try {
            Process sender = new ProcessBuilder(kill).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start();
            // exit code 1 only means one of them had already gone
            return sender.waitFor(10, TimeUnit.SECONDS);
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Whether every process of the tree ended within the grace. */
    private static boolean awaitEnd(List<ProcessHandle> tree, Duration grace) {
        long deadline = System.nanoTime() + grace.toNanos();
        while (!tree.stream().allMatch(ProcessTreeStop::ended)) {
            if (System.nanoTime() >= deadline) {
                return false;
            }
            try {
                // a grandchild is not ours to wait for: look again shortly
                TimeUnit.MILLISECONDS.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return tree.stream().allMatch(ProcessTreeStop::ended);
            }
        }
        return true;
    }

    /**
     * Ended, or a zombie: a grandchild whose parent has gone is reaped by init when init gets to it, which in a
     * container can take seconds; it runs no more.
     */
    private static boolean ended(ProcessHandle handle) {
        if (!handle.isAlive()) {
            return true;
        }
        Path stat = Path.of("/proc", Long.toString(handle.pid()), "stat");
        try {
            String text = Files.readString(stat);
            int afterName = text.lastIndexOf(')');
            return afterName > 0 && text.length() > afterName + 2 && text.charAt(afterName + 2) == 'Z';
        } catch (IOException | RuntimeException e) {
            // no /proc (not Linux), or it has just gone
            return !handle.isAlive();
        }
    }
}

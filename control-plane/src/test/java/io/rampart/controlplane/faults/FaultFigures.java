package io.rampart.controlplane.faults;

import java.io.PrintStream;
import java.util.List;

/**
 * What one fault scenario measured: the fault, the load it ran under, events acknowledged to
 * agents against events in the fleet projection (counted by event id), how many of them reached
 * Kafka more than once (an agent sending a batch again whose answer it lost: at least once by
 * design, each applied once because every consumer keys on the event id), alerts and emails, and
 * the seconds from the end of the fault until /q/health/ready was UP and the projection held
 * every event acknowledged by then.
 */
record FaultFigures(String scenario, String injected, int agents, double offeredPerSecond, double eventsPerSecond, long acknowledged, long projected,
        long lost, long redelivered, long alerts, long alertsDoubled, long emails, long emailsDoubled, double recoverSeconds) {

    /** The one line a scenario prints. */
    String line() {
        return String.format(
                "FAULT %-22s | %s | load %d agents offering %.0f events/s (%.0f/s acknowledged on average) | acknowledged %d, projected %d, lost %d, on Kafka twice %d (applied once)"
                        + " | alerts %d (doubled %d), emails %d (doubled %d) | recovered in %.1f s",
                scenario, injected, agents, offeredPerSecond, eventsPerSecond, acknowledged, projected, lost, redelivered, alerts, alertsDoubled, emails,
                emailsDoubled, recoverSeconds);
    }

    /** A Markdown table of every scenario (the README's "Faults Rampart survives" has this shape). */
    static void printTable(PrintStream out, List<FaultFigures> figures, double suiteSeconds) {
        out.println();
        out.println(
                "| scenario | injected | load | acknowledged | projected | lost | on Kafka twice (applied once) | alerts opened | emails sent | recovered in |");
        out.println("|---|---|---|---|---|---|---|---|---|---|");
        for (FaultFigures f : figures) {
            out.printf(
                    "| %s | %s | %d agents offering %.0f events/s (%.0f/s acknowledged on average) | %,d | %,d | %d | %d | %d (%d twice) | %d (%d twice) | %.1f s |%n",
                    f.scenario, f.injected, f.agents, f.offeredPerSecond, f.eventsPerSecond, f.acknowledged, f.projected, f.lost, f.redelivered, f.alerts,
                    f.alertsDoubled, f.emails, f.emailsDoubled, f.recoverSeconds);
        }
        out.printf("fault-injection suite: %d scenarios in %.0f s%n", figures.size(), suiteSeconds);
    }
}

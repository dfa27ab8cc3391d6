package io.rampart.agent.cli;

import java.io.PrintStream;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.rampart.agent.config.AgentHome;
import io.rampart.agent.outbox.SetAside;

/**
 * {@code rampart-agent set-aside list|retry}: the events the agent set aside (refused by the control plane, too large,
 * unreadable) for the IT person to look at, and to put back into the outbox once the cause is fixed.
 */
final class SetAsideCommand {

    /** At most this many reasons in the status output; the list command shows all. */
    private static final int REASONS_IN_STATUS = 10;

    private final PrintStream out;
    private final PrintStream err;

    SetAsideCommand(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    int run(AgentHome home, CommandLine commandLine) {
        SetAside setAside = SetAside.of(home.outboxDirectory(), Clock.systemUTC());
        return switch (commandLine.action()) {
            case "list" -> list(setAside);
            case "retry" -> retry(setAside, commandLine.option("event").map(String::trim));
            default -> throw new IllegalStateException("parsed an unknown action: " + commandLine.action());
        };
    }

    private int list(SetAside setAside) {
        List<SetAside.Entry> entries = setAside.list();
        if (entries.isEmpty()) {
            out.println("no events set aside: every event goes to the control plane");
            return Main.OK;
        }
        out.println(entries.size() + (entries.size() == 1 ? " event" : " events") + " set aside in " + setAside.directory()
                + " (not sent until put back):");
        for (SetAside.Entry entry : entries) {
            out.println("  " + entry.eventId() + "  set aside " + entry.setAsideAt() + "  " + entry.sizeBytes() + " bytes  " + entry.fileName());
            out.println("      " + entry.reason());
        }
        out.println("once the cause is fixed, `rampart-agent set-aside retry` puts them back into the outbox"
                + " (`--event ID` for one); the running agent sends them within seconds");
        return Main.OK;
    }

    private int retry(SetAside setAside, Optional<String> eventId) {
        List<SetAside.Entry> putBack;
        try {
            putBack = setAside.putBack(eventId);
        } catch (RuntimeException e) {
            err.println("rampart-agent: " + e.getMessage());
            return Main.NOT_ENROLLED_OR_FAILED;
        }
        if (putBack.isEmpty()) {
            if (eventId.isPresent()) {
                err.println("rampart-agent: no set-aside event " + eventId.get() + ": `rampart-agent set-aside list` shows them");
                return Main.NOT_ENROLLED_OR_FAILED;
            }
            out.println("no events set aside: nothing to put back");
            return Main.OK;
        }
        out.println("put " + putBack.size() + (putBack.size() == 1 ? " event" : " events")
                + " back into the outbox: the running agent sends them within seconds; one the control plane still refuses is set aside again");
        return Main.OK;
    }

    /** The status lines about set-aside events: how many, since when, and why (each distinct reason with its count). */
    static void status(PrintStream out, SetAside setAside) {
        List<SetAside.Entry> entries = setAside.list();
        if (entries.isEmpty()) {
            out.println("set aside:        none");
            return;
        }
        out.println("set aside:        " + entries.size() + (entries.size() == 1 ? " event" : " events") + ", the oldest since "
                + entries.get(0).setAsideAt() + " (not sent: `rampart-agent set-aside list` shows them, `... retry` sends them again)");
        Map<String, Integer> reasons = new LinkedHashMap<>();
        entries.forEach(entry -> reasons.merge(entry.reason(), 1, Integer::sum));
        reasons.entrySet().stream().limit(REASONS_IN_STATUS).forEach(reason -> out.println("                  - "
                + (reason.getValue() > 1 ? reason.getValue() + " events: " : "") + reason.getKey()));
        if (reasons.size() > REASONS_IN_STATUS) {
            out.println("                  - and " + (reasons.size() - REASONS_IN_STATUS) + " more reasons");
        }
    }
}

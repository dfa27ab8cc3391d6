package io.rampart.controlplane.alerts;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/**
 * The daily digest: how every practice stands, what still needs someone, and what recovered,
 * in one email a manager can read over coffee. Pure text from the facts it is given.
 */
public final class DigestEmails {

    /** At most this many open alerts are listed; the rest are counted and one click away. */
    static final int MAX_LISTED = 100;
    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("EEE d MMM", Locale.ENGLISH);
    private static final DateTimeFormatter UNTIL = DateTimeFormatter.ofPattern("EEE d MMM, HH:mm zzz", Locale.ENGLISH);
    private static final DateTimeFormatter DAY_AND_TIME = DateTimeFormatter.ofPattern("EEE d MMM yyyy, HH:mm", Locale.ENGLISH);

    public record Digest(String subject, String body) {
    }

    /**
     * One alert as the digest lists it, with the names a reader knows; {@code planned}: it opened inside a maintenance window
     * that still covers its practice (planned work, emailed only if still failing when the window ends).
     */
    record Line(String groupName, String practiceName, Alert alert, boolean planned) {
        Line(String groupName, String practiceName, Alert alert) {
            this(groupName, practiceName, alert, false);
        }
    }

    /** A practice a maintenance window covers now: until when (shown in its group's {@code zone}) and why. */
    record InMaintenance(String groupName, String practiceName, Instant until, ZoneId zone, String reason) {
    }

    /** How many practices are in each overall state (PASS, AT_RISK, FAIL, UNKNOWN; null: not evaluated yet). */
    record Standing(int practices, Map<String, Integer> byStatus) {
        int count(String status) {
            return byStatus.getOrDefault(status, 0);
        }

        int notYetEvaluated() {
            return practices - byStatus.values().stream().mapToInt(Integer::intValue).sum();
        }
    }

    private DigestEmails() {
    }

    static Digest compose(String scopeName, Standing standing, List<Line> open, List<Line> recovered, Instant now, ZoneId zone, String url) {
        return compose(scopeName, standing, open, recovered, Map.of(), now, zone, url);
    }

    /**
     * The digest at {@code now} (shown in {@code zone}): {@code open} in the order to list them, with the silenced alerts of a
     * practice whose agent is not reporting (they are listed under its not-reporting line as unknown, not as failures) and the
     * planned ones (under its maintenance line); {@code recovered}: alerts someone could have heard of that resolved in the
     * last 24 hours; {@code maintenance}: the practices a window covers now, by practice id.
     */
    static Digest compose(String scopeName, Standing standing, List<Line> open, List<Line> recovered, Map<UUID, InMaintenance> maintenance,
            Instant now, ZoneId zone, String url) {
        List<Line> needing = open.stream().filter(line -> !line.alert().silenced && !line.planned()).toList();
        long unknown = open.stream().filter(line -> line.alert().silenced).count();
        long planned = open.stream().filter(line -> line.planned() && !line.alert().silenced).count();
        String subject = "[Rampart] Daily digest for " + scopeName + ", " + DAY.format(now.atZone(zone)) + ": "
                + headline(standing, needing);
        List<String> body = new ArrayList<>();
        body.add("How the backups of " + scopeName + "'s " + plural(standing.practices(), "practice") + " stand at "
                + DAY_AND_TIME.format(now.atZone(zone)) + " (" + zone.getId() + ").");
        body.add("");
        body.add("  Compliant: " + standing.count("PASS") + "   At risk: " + standing.count("AT_RISK") + "   Failing: " + standing.count("FAIL")
                + "   No data yet: " + standing.count("UNKNOWN") + "   Not evaluated yet: " + standing.notYetEvaluated());
        if (!maintenance.isEmpty()) {
            body.add("");
            body.add("In maintenance now (nothing about them is emailed until it ends):");
            maintenance.values().stream().sorted(Comparator.comparing(InMaintenance::groupName).thenComparing(InMaintenance::practiceName))
                    .forEach(m -> body.add("  - " + m.practiceName() + " until " + UNTIL.format(m.until().atZone(m.zone()))
                            + (m.reason() == null || m.reason().isBlank() ? "" : ": " + m.reason())));
        }
        body.add("");
        if (open.isEmpty()) {
            body.add("Nothing needs attention: no alert is open.");
        } else {
            long unacknowledged = needing.stream().filter(line -> line.alert().status == Alert.Status.OPEN).count();
            body.add("Needs attention: " + plural(needing.size(), "open alert") + ", " + unacknowledged + " not acknowledged by anyone"
                    + (unknown == 0 ? "" : "; " + plural(unknown, "more check") + " unknown while the agent is not reporting")
                    + (planned == 0 ? "" : "; " + plural(planned, "check") + " failing inside a maintenance window"));
            List<Entry> entries = entries(open, maintenance, now);
            listed(body, entries.subList(0, Math.min(entries.size(), MAX_LISTED)));
            if (entries.size() > MAX_LISTED) {
                body.add("  ... and " + (entries.size() - MAX_LISTED) + " more: see " + url);
            }
        }
        body.add("");
        if (recovered.isEmpty()) {
            body.add("Recovered in the last 24 hours: none.");
        } else {
            body.add("Recovered in the last 24 hours: " + recovered.size());
            listed(body, recovered.subList(0, Math.min(recovered.size(), MAX_LISTED)).stream()
                    .map(line -> new Entry(line.groupName(), recoveredLine(line, maintenance), List.of())).toList());
        }
        body.add("");
        body.add("Details: " + url);
        body.add("");
        body.add("You get this digest once a day as a manager of " + scopeName + " in Rampart.");
        body.add("");
        return new Digest(subject, String.join("\n", body));
    }

    /** One listed item, with the lines indented under it. */
    private record Entry(String groupName, String text, List<String> under) {
    }

    /**
     * Practice by practice (in the order given): its planned failures in one maintenance line, its other open alerts one
     * line each, and its silenced alerts named under its not-reporting line (or in one line of their own if that alert is
     * itself planned or already gone).
     */
    private static List<Entry> entries(List<Line> open, Map<UUID, InMaintenance> maintenance, Instant now) {
        // by practice (its id, or for lines made without one, its names), in the order given
        Map<Object, List<Line>> byPractice = new LinkedHashMap<>();
        open.forEach(line -> byPractice.computeIfAbsent(line.alert().practiceId != null ? line.alert().practiceId
                : List.of(line.groupName(), line.practiceName()), key -> new ArrayList<>()).add(line));
        List<Entry> entries = new ArrayList<>();
        for (List<Line> lines : byPractice.values()) {
            Line first = lines.get(0);
            InMaintenance window = windowOf(first, maintenance);
            String practice = first.practiceName() + (window == null ? "" : " " + inMaintenanceUntil(window));
            List<String> unknown = titles(lines.stream().filter(line -> line.alert().silenced));
            List<String> planned = titles(lines.stream().filter(line -> line.planned() && !line.alert().silenced));
            if (!planned.isEmpty()) {
                entries.add(new Entry(first.groupName(), practice + ": " + plural(planned.size(), "check") + " failing since its planned "
                        + "maintenance began" + (window == null || window.reason() == null || window.reason().isBlank() ? "" : " (" + window.reason() + ")")
                        + ", emailed only if still failing when it ends: " + String.join(", ", planned), List.of()));
            }
            boolean toldUnderSilence = false;
            for (Line line : lines) {
                if (line.alert().silenced || line.planned()) {
                    continue;
                }
                boolean silence = AgentSilence.isSilence(line.alert()) && !unknown.isEmpty();
                toldUnderSilence |= silence;
                entries.add(new Entry(line.groupName(), openLine(line, practice, now), silence ? List.of(unknownLine(unknown)) : List.of()));
            }
            if (!unknown.isEmpty() && !toldUnderSilence) {
                entries.add(new Entry(first.groupName(), practice + ": the Rampart agent is not reporting. " + unknownLine(unknown), List.of()));
            }
        }
        return entries;
    }

    private static InMaintenance windowOf(Line line, Map<UUID, InMaintenance> maintenance) {
        return line.alert().practiceId == null ? null : maintenance.get(line.alert().practiceId);
    }

    private static String unknownLine(List<String> titles) {
        return "Unknown while it is not reporting (nobody is emailed about these on their own): " + String.join(", ", titles);
    }

    private static List<String> titles(java.util.stream.Stream<Line> lines) {
        return lines.map(line -> AlertEmails.adviceFor(line.alert().ruleId).title()).toList();
    }

    /** "(in maintenance until Tue 1 Dec, 02:00 GMT)", in the zone of the practice's group. */
    static String inMaintenanceUntil(InMaintenance window) {
        return "(in maintenance until " + UNTIL.format(window.until().atZone(window.zone())) + ")";
    }

    private static String headline(Standing standing, List<Line> open) {
        int failing = standing.count("FAIL");
        if (failing > 0) {
            return failing + " of " + plural(standing.practices(), "practice") + " failing";
        }
        if (standing.count("AT_RISK") > 0) {
            return standing.count("AT_RISK") + " of " + plural(standing.practices(), "practice") + " at risk";
        }
        return open.isEmpty() ? "all " + plural(standing.practices(), "practice") + " compliant" : plural(open.size(), "open alert");
    }

    /** Entries grouped under their group's name when there are several groups. */
    private static void listed(List<String> body, List<Entry> entries) {
        boolean severalGroups = entries.stream().map(Entry::groupName).distinct().count() > 1;
        String group = null;
        for (Entry entry : entries) {
            if (severalGroups && !entry.groupName().equals(group)) {
                group = entry.groupName();
                body.add("  " + group);
            }
            body.add((severalGroups ? "    - " : "  - ") + entry.text());
            entry.under().forEach(text -> body.add((severalGroups ? "        " : "      ") + text));
        }
    }

    private static String openLine(Line line, String practice, Instant now) {
        Alert alert = line.alert();
        String state = alert.level == Alert.Level.AT_RISK ? "at risk for " : "failing for ";
        String who = alert.status == Alert.Status.ACKNOWLEDGED
                ? "acknowledged by " + alert.acknowledgedBy + (alert.acknowledgedNote == null || alert.acknowledgedNote.isEmpty() ? ""
                        : ": \"" + alert.acknowledgedNote + "\"")
                : "NOT ACKNOWLEDGED" + (alert.escalatedAt != null ? ", escalated to on-call" : "");
        if (AgentSilence.isSilence(alert)) {
            return practice + ": the Rampart agent is not reporting, for " + AlertEmails.human(Duration.between(alert.openedAt, now)) + " ("
                    + who + "). " + alert.reason;
        }
        return practice + ": " + AlertEmails.adviceFor(alert.ruleId).title() + ", " + state
                + AlertEmails.human(Duration.between(alert.openedAt, now)) + " (" + who + "). " + alert.reason;
    }

    private static String recoveredLine(Line line, Map<UUID, InMaintenance> maintenance) {
        Alert alert = line.alert();
        InMaintenance window = windowOf(line, maintenance);
        return line.practiceName() + (window == null ? "" : " " + inMaintenanceUntil(window)) + ": " + AlertEmails.adviceFor(alert.ruleId).title()
                + ", working again after "
                + AlertEmails.human(Duration.between(alert.openedAt, alert.resolvedAt));
    }

    private static String plural(long n, String noun) {
        return n + " " + noun + (n == 1 ? "" : "s");
    }
}

package io.rampart.agent.explain;

/**
 * One line of {@code rampart-agent doctor}'s checklist: what was looked at, whether it is fine, what was found (with
 * addresses, versions, numbers and units) and, for a problem, the fix. Never carries a secret: password files are
 * named by their setting, never read out.
 *
 * @param item  what was looked at, e.g. "control plane TLS", "tool restic", "path of nas-copy"
 * @param ok    false: a problem
 * @param found what was found, e.g. "restic 0.16.4 (for cloud-copy)"
 * @param fix   what to do about a problem; empty when ok
 */
public record Finding(String item, boolean ok, String found, String fix) {

    public static Finding ok(String item, String found) {
        return new Finding(item, true, found, "");
    }

    public static Finding problem(String item, String found, String fix) {
        return new Finding(item, false, found, fix);
    }
}

package io.rampart.agent.collectors.ups;

import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

import io.rampart.protocol.agent.v1.UpsSelfTestOutcome;

/**
 * The words NUT drivers put in {@code ups.test.result}, mapped to one outcome. The table is taken from the NUT driver
 * sources (networkupstools/nut, drivers/): usbhid-ups' test_read_info (apc, cps, mge, tripplite, belkin, liebert,
 * powercom, salicru, delta subdrivers) and bcmxcp ("Done and passed", "Done and warning", "Done and error", "Aborted",
 * "In progress", "No test initiated", "Test scheduled"); snmp-ups MIBs (ietf, mge, huawei, eaton-ats: the same in lower
 * case; apc and cyberpower: "Ok", "Failed", "InvalidTest", "TestInProgress"; compaq and eaton pw/pxg: "Unknown",
 * "Not supported", "Inhibited", "Scheduled"); apcsmart (the raw answer to 'X': "OK", "BT", "NG", "NO") and
 * apcupsd-ups (apcupsd's SELFTEST: also "WN", "IP", "??"); apc_modbus and apcmicrolink ("Passed, Source: Protocol":
 * the first part counts); belkin, belkinunv, tripplite, tripplitesu, al175, metasys, masterguard, oneac, powervar,
 * liebert-gxe. Words no driver uses are {@link UpsSelfTestOutcome#UPS_SELF_TEST_OUTCOME_UNRECOGNIZED} unless they
 * plainly say failure ("fail", "error", "bad", "replace").
 */
public final class SelfTestResults {

    private static final Map<String, UpsSelfTestOutcome> WORDS = Map.ofEntries(
            // passed
            Map.entry("done and passed", UpsSelfTestOutcome.UPS_SELF_TEST_OUTCOME_PASSED),
            Map.entry("passed", UpsSelfTestOutcome.UPS_SELF_TEST_OUTCOME_PASSED),
            Map.entry("test passed", UpsSelfTestOutcome.UPS_SELF_TEST_OUTCOME_PASSED),
            Map.entry("self test passed", UpsSelfTestOutcome.UPS_SELF_TEST_OUTCOME_PASSED),
            Map.entry("ok", UpsSelfTestOutcome.UPS_SELF_TEST_OUTCOME_PASSED),
            Map.entry("battery ok", UpsSelfTestOutcome.UPS_SELF_TEST_OUTCOME_PASSED),
            Map.entry("normal", UpsSelfTestOutcome.UPS_SELF_TEST_OUTCOME_PASSED),
            // warning
            Map.entry("done and warning", UpsSelfTestOutcome.UPS_SELF_TEST_OUTCOME_WARNING),
            Map.entry("warning", UpsSelfTestOutcome.UPS_SELF_TEST_OUTCOME_WARNING),
            Map.entry("wn", UpsSelfTestOutcome.UPS_SELF_TEST_OUTCOME_WARNING),
            // failed
            Map.entry("done and error", UpsSelfTestOutcome.UPS_SELF_TEST_OUTCOME_FAILED),
            Map.entry("failed", UpsSelfTestOutcome.UPS_SELF_TEST_OUTCOME_FAILED),
            Map.entry("fail", UpsSelfTestOutcome.UPS_SELF_TEST_OUTCOME_FAILED),
            Map.entry("test failed", UpsSelfTestOutcome.UPS_SELF_TEST_OUTCOME_FAILED),
            Map.entry("bt", UpsSelfTestOutcome.UPS_SELF_TEST_OUTCOME_FAILED),
            Map.entry("ng", UpsSelfTestOutcome.UPS_SELF_TEST_OUTCOME_FAILED),
            Map.entry("10s test failed", UpsSelfTestOutcome.UPS_SELF_TEST_OUTCOME_FAILED),
            Map.entry("deep test failed", UpsSelfTestOutcome.UPS_SELF_TEST_OUTCOME_FAILED),
            Map.entry("general test failed", UpsSelfTestOutcome.UPS_SELF_TEST_OUTCOME_FAILED),
            Map.entry("battery failed", UpsSelfTestOutcome.UPS_SELF_TEST_OUTCOME_FAILED),
            Map.entry("deep battery test failed", UpsSelfTestOutcome.UPS_SELF_TEST_OUTCOME_FAILED),
            Map.entry("battery bad (replace)", UpsSelfTestOutcome.UPS_SELF_TEST_OUTCOME_FAILED),
            Map.entry("bad inverter", UpsSelfTestOutcome.UPS_SELF_TEST_OUTCOME_FAILED),
            Map.entry("bad battery pack: replace", UpsSelfTestOutcome.UPS_SELF_TEST_OUTCOME_FAILED),
            Map.entry("ups internal failure", UpsSelfTestOutcome.UPS_SELF_TEST_OUTCOME_FAILED),
            Map.entry("change battery", UpsSelfTestOutcome.UPS_SELF_TEST_OUTCOME_FAILED),
            // in progress (a scheduled or pending test is on its way)
            Map.entry("in progress", UpsSelfTestOutcome.UPS_SELF_TEST_OUTCOME_IN_PROGRESS),
            Map.entry("inprogress", UpsSelfTestOutcome.UPS_SELF_TEST_OUTCOME_IN_PROGRESS),
            Map.entry("testinprogress", UpsSelfTestOutcome.UPS_SELF_TEST_OUTCOME_IN_PROGRESS),
            Map.entry("test in progress", UpsSelfTestOutcome.UPS_SELF_TEST_OUTCOME_IN_PROGRESS),
            Map.entry("ip", UpsSelfTestOutcome.UPS_SELF_TEST_OUTCOME_IN_PROGRESS),
            Map.entry("test scheduled", UpsSelfTestOutcome.UPS_SELF_TEST_OUTCOME_IN_PROGRESS),
            Map.entry("scheduled", UpsSelfTestOutcome.UPS_SELF_TEST_OUTCOME_IN_PROGRESS),
            Map.entry("pending", UpsSelfTestOutcome.UPS_SELF_TEST_OUTCOME_IN_PROGRESS),
            Map.entry("autonomy time calibration in progress", UpsSelfTestOutcome.UPS_SELF_TEST_OUTCOME_IN_PROGRESS),
            // none on record, or the UPS could not run one
            Map.entry("no test initiated", UpsSelfTestOutcome.UPS_SELF_TEST_OUTCOME_NONE),
            Map.entry("no test performed", UpsSelfTestOutcome.UPS_SELF_TEST_OUTCOME_NONE),
            Map.entry("no test in progress", UpsSelfTestOutcome.UPS_SELF_TEST_OUTCOME_NONE),
            Map.entry("no", UpsSelfTestOutcome.UPS_SELF_TEST_OUTCOME_NONE),
            Map.entry("none", UpsSelfTestOutcome.UPS_SELF_TEST_OUTCOME_NONE),
            Map.entry("idle", UpsSelfTestOutcome.UPS_SELF_TEST_OUTCOME_NONE),
            Map.entry("not yet done...", UpsSelfTestOutcome.UPS_SELF_TEST_OUTCOME_NONE),
            Map.entry("unknown", UpsSelfTestOutcome.UPS_SELF_TEST_OUTCOME_NONE),
            Map.entry("??", UpsSelfTestOutcome.UPS_SELF_TEST_OUTCOME_NONE),
            Map.entry("not supported", UpsSelfTestOutcome.UPS_SELF_TEST_OUTCOME_NONE),
            Map.entry("inhibited", UpsSelfTestOutcome.UPS_SELF_TEST_OUTCOME_NONE),
            Map.entry("invalidtest", UpsSelfTestOutcome.UPS_SELF_TEST_OUTCOME_NONE),
            Map.entry("refused", UpsSelfTestOutcome.UPS_SELF_TEST_OUTCOME_NONE),
            Map.entry("not possible", UpsSelfTestOutcome.UPS_SELF_TEST_OUTCOME_NONE),
            Map.entry("impossible to test", UpsSelfTestOutcome.UPS_SELF_TEST_OUTCOME_NONE),
            // aborted: the test did not complete and proves nothing
            Map.entry("aborted", UpsSelfTestOutcome.UPS_SELF_TEST_OUTCOME_ABORTED),
            Map.entry("test aborted", UpsSelfTestOutcome.UPS_SELF_TEST_OUTCOME_ABORTED));

    /** metasys reports the charge left after a passed test: "Battery charge: 60%". */
    private static final Pattern METASYS_CHARGE = Pattern.compile("battery charge: \\d+%");
    private static final Pattern SAYS_FAILURE = Pattern.compile("\\b(fail(ed|ure)?|error|bad|replace)\\b");

    private SelfTestResults() {
    }

    /**
     * The outcome of a ups.test.result value; {@code NONE} for an absent or empty value.
     *
     * @param result the driver's words, e.g. "Done and passed", "BT", "Failed, Source: LocalUI"
     */
    public static UpsSelfTestOutcome classify(String result) {
        String words = result == null ? "" : result.strip().toLowerCase(Locale.ROOT);
        if (words.isEmpty()) {
            return UpsSelfTestOutcome.UPS_SELF_TEST_OUTCOME_NONE;
        }
        UpsSelfTestOutcome known = WORDS.get(words);
        if (known != null) {
            return known;
        }
        // apc_modbus and apcmicrolink: "<result>, Source: <who>[, Modifier: <why>]"
        int comma = words.indexOf(',');
        if (comma > 0 && WORDS.containsKey(words.substring(0, comma).strip())) {
            return WORDS.get(words.substring(0, comma).strip());
        }
        if (METASYS_CHARGE.matcher(words).matches()) {
            return UpsSelfTestOutcome.UPS_SELF_TEST_OUTCOME_PASSED;
        }
        if (SAYS_FAILURE.matcher(words).find()) {
            return UpsSelfTestOutcome.UPS_SELF_TEST_OUTCOME_FAILED;
        }
        return UpsSelfTestOutcome.UPS_SELF_TEST_OUTCOME_UNRECOGNIZED;
    }

    /** Whether the outcome ends a test (a result to record), rather than none or one still running. */
    public static boolean isFinal(UpsSelfTestOutcome outcome) {
        return switch (outcome) {
            case UPS_SELF_TEST_OUTCOME_PASSED, UPS_SELF_TEST_OUTCOME_WARNING, UPS_SELF_TEST_OUTCOME_FAILED,
                    UPS_SELF_TEST_OUTCOME_ABORTED, UPS_SELF_TEST_OUTCOME_UNRECOGNIZED -> true;
            default -> false;
        };
    }
}

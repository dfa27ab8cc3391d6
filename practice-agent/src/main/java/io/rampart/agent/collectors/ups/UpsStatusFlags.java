package io.rampart.agent.collectors.ups;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Set;

import io.rampart.protocol.agent.v1.UpsCondition;
import io.rampart.protocol.agent.v1.UpsConditionKind;
import io.rampart.protocol.agent.v1.UpsConditionSeverity;

/**
 * NUT's {@code ups.status}: a set of space-separated flags (NUT docs/new-drivers.txt, "Status data": OL OB LB HB RB
 * CHRG DISCHRG BYPASS CAL OFF OVER TRIM BOOST FSD, ALARM added with ups.alarm, WAIT set by upsd before the driver's
 * first report; ECO and TEST used by some drivers) turned into conditions with a severity and words. Flags some
 * drivers invent for faults (belkinunv, microsol, masterguard, metasys) fail; any other token is shown as unknown,
 * never ignored.
 */
public final class UpsStatusFlags {

    private UpsStatusFlags() {
    }

    /**
     * The conditions of one ups.status value, in the order of importance (failures first).
     *
     * @param status the raw ups.status, e.g. "OL BYPASS ALARM"; empty when upsd has none
     * @param alarm ups.alarm when the UPS reports it (quoted for ALARM)
     * @param chargePercent battery.charge in percent when reported (shown with OB)
     */
    public static List<UpsCondition> classify(String status, Optional<String> alarm, OptionalDouble chargePercent) {
        Set<String> flags = new LinkedHashSet<>(Arrays.stream(status.trim().split("\\s+")).filter(f -> !f.isEmpty()).toList());
        List<UpsCondition> conditions = new ArrayList<>();
        if (flags.isEmpty()) {
            conditions.add(condition(UpsConditionKind.UPS_CONDITION_KIND_NO_STATUS, UpsConditionSeverity.UPS_CONDITION_SEVERITY_FAIL,
                    "", "upsd reports no ups.status for this UPS: is its driver running?"));
            return conditions;
        }
        boolean online = flags.contains("OL");
        boolean onBattery = flags.contains("OB");
        for (String flag : flags) {
            switch (flag) {
                case "OL" -> {
                    // the normal state; described by the status part of the verdict
                }
                case "ALARM" -> conditions.add(fail(UpsConditionKind.UPS_CONDITION_KIND_ALARM, flag,
                        alarm.map(String::strip).filter(a -> !a.isEmpty())
                                .map(a -> "alarm: " + a + " (ALARM)")
                                .orElse("alarm raised but the UPS does not say which (ALARM, no ups.alarm)")));
                case "OB" -> conditions.add(fail(UpsConditionKind.UPS_CONDITION_KIND_ON_BATTERY, flag,
                        "on battery, mains power is out (OB)" + charge(chargePercent)));
                case "LB" -> conditions.add(fail(UpsConditionKind.UPS_CONDITION_KIND_LOW_BATTERY, flag,
                        "battery low, the servers are about to be shut down (LB)"));
                case "RB" -> conditions.add(fail(UpsConditionKind.UPS_CONDITION_KIND_REPLACE_BATTERY, flag,
                        "the battery needs replacing (RB)"));
                case "BYPASS" -> conditions.add(fail(UpsConditionKind.UPS_CONDITION_KIND_BYPASS, flag,
                        "on bypass: mains power goes straight to the servers, no battery protection (BYPASS)"));
                case "OVER" -> conditions.add(fail(UpsConditionKind.UPS_CONDITION_KIND_OVERLOAD, flag,
                        "overloaded: the servers draw more than the UPS can carry (OVER)"));
                case "OFF" -> conditions.add(fail(UpsConditionKind.UPS_CONDITION_KIND_OFF, flag,
                        "off: the UPS does not supply power to the servers (OFF)"));
                case "FSD" -> conditions.add(fail(UpsConditionKind.UPS_CONDITION_KIND_FORCED_SHUTDOWN, flag,
                        "forced shutdown: the servers are being shut down (FSD)"));
                case "DISCHRG" -> {
                    if (!onBattery) {
                        conditions.add(warn(UpsConditionKind.UPS_CONDITION_KIND_DISCHARGING_ON_LINE, flag,
                                "the battery discharges although mains power is present (" + (online ? "OL " : "") + "DISCHRG)"));
                    }
                }
                case "CAL" -> conditions.add(warn(UpsConditionKind.UPS_CONDITION_KIND_CALIBRATING, flag,
                        "runtime calibration: the battery is being drained on purpose (CAL)"));
                case "HB" -> conditions.add(warn(UpsConditionKind.UPS_CONDITION_KIND_HIGH_BATTERY, flag,
                        "battery voltage too high (HB)"));
                case "WAIT" -> conditions.add(warn(UpsConditionKind.UPS_CONDITION_KIND_WAITING_FOR_DRIVER, flag,
                        "upsd is still waiting for the UPS driver's first report (WAIT)"));
                case "CHRG" -> conditions.add(notice(UpsConditionKind.UPS_CONDITION_KIND_CHARGING, flag, "charging"));
                case "TRIM" -> conditions.add(notice(UpsConditionKind.UPS_CONDITION_KIND_TRIMMING_VOLTAGE, flag,
                        "lowering a high mains voltage (TRIM)"));
                case "BOOST" -> conditions.add(notice(UpsConditionKind.UPS_CONDITION_KIND_BOOSTING_VOLTAGE, flag,
                        "raising a low mains voltage (BOOST)"));
                case "ECO" -> conditions.add(notice(UpsConditionKind.UPS_CONDITION_KIND_ECO_MODE, flag, "in ECO mode (ECO)"));
                case "TEST", "TIP" -> conditions.add(notice(UpsConditionKind.UPS_CONDITION_KIND_SELF_TEST_RUNNING, flag,
                        "self-test running (" + flag + ")"));
                case "OVERHEAT" -> conditions.add(vendorFault(flag, "overheated (OVERHEAT)"));
                case "COMMFAULT" -> conditions.add(vendorFault(flag, "the UPS reports a fault (COMMFAULT)"));
                case "DEPLETED" -> conditions.add(vendorFault(flag, "battery depleted (DEPLETED)"));
                case "ACFAIL" -> conditions.add(vendorFault(flag, "mains power failed (ACFAIL)"));
                case "SD" -> conditions.add(vendorFault(flag, "the UPS is shutting down (SD)"));
                case "BY" -> conditions.add(vendorFault(flag, "on bypass, no battery protection (BY)"));
                default -> conditions.add(warn(UpsConditionKind.UPS_CONDITION_KIND_UNKNOWN_FLAG, flag,
                        "unknown status flag " + flag + " (not one of NUT's; see the UPS's manual or display)"));
            }
        }
        Optional<String> alarmWords = alarm.map(String::strip).filter(a -> !a.isEmpty());
        if (!flags.contains("ALARM") && alarmWords.isPresent()) {
            // drivers older than NUT 2.8 set ups.alarm without the ALARM flag
            conditions.add(fail(UpsConditionKind.UPS_CONDITION_KIND_ALARM, "", "alarm: " + alarmWords.get() + " (ups.alarm)"));
        }
        if (!online && !onBattery && !flags.contains("OFF") && !flags.contains("WAIT")) {
            conditions.add(warn(UpsConditionKind.UPS_CONDITION_KIND_NEITHER_ON_LINE_NOR_ON_BATTERY, "",
                    "the UPS reports neither on line (OL) nor on battery (OB): ups.status is \"" + String.join(" ", flags) + "\""));
        }
        conditions.sort((a, b) -> Integer.compare(b.getSeverityValue(), a.getSeverityValue()));
        return conditions;
    }

    private static String charge(OptionalDouble chargePercent) {
        return chargePercent.isPresent() ? ", charge " + Percent.of(chargePercent.getAsDouble()) : "";
    }

    private static UpsCondition fail(UpsConditionKind kind, String flag, String words) {
        return condition(kind, UpsConditionSeverity.UPS_CONDITION_SEVERITY_FAIL, flag, words);
    }

    private static UpsCondition vendorFault(String flag, String words) {
        return fail(UpsConditionKind.UPS_CONDITION_KIND_VENDOR_FAULT, flag, words);
    }

    private static UpsCondition warn(UpsConditionKind kind, String flag, String words) {
        return condition(kind, UpsConditionSeverity.UPS_CONDITION_SEVERITY_WARN, flag, words);
    }

    private static UpsCondition notice(UpsConditionKind kind, String flag, String words) {
        return condition(kind, UpsConditionSeverity.UPS_CONDITION_SEVERITY_NOTICE, flag, words);
    }

    private static UpsCondition condition(UpsConditionKind kind, UpsConditionSeverity severity, String flag, String words) {
        return UpsCondition.newBuilder().setKind(kind).setSeverity(severity).setFlag(flag).setWords(words).build();
    }
}

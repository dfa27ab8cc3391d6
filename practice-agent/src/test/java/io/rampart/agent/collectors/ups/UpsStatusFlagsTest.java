package io.rampart.agent.collectors.ups;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import java.util.OptionalDouble;

import org.junit.jupiter.api.Test;

import io.rampart.protocol.agent.v1.UpsCondition;
import io.rampart.protocol.agent.v1.UpsConditionKind;
import io.rampart.protocol.agent.v1.UpsConditionSeverity;

/** What upsd itself or older drivers produce, beyond what dummy-ups can be made to serve. */
class UpsStatusFlagsTest {

    @Test
    void failsWhenUpsdReportsNoStatusAtAll() {
        assertThat(UpsStatusFlags.classify("", Optional.empty(), OptionalDouble.empty()))
                .extracting(UpsCondition::getKind, UpsCondition::getSeverity, UpsCondition::getWords)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(UpsConditionKind.UPS_CONDITION_KIND_NO_STATUS,
                        UpsConditionSeverity.UPS_CONDITION_SEVERITY_FAIL, "upsd reports no ups.status for this UPS: is its driver running?"));
    }

    @Test
    void quotesAnAlarmAnOlderDriverReportsWithoutTheAlarmFlag() {
        assertThat(UpsStatusFlags.classify("OL", Optional.of("Internal UPS fault!"), OptionalDouble.empty()))
                .extracting(UpsCondition::getWords).containsExactly("alarm: Internal UPS fault! (ups.alarm)");
    }

    @Test
    void putsFailuresBeforeWarningsBeforeNotices() {
        assertThat(UpsStatusFlags.classify("OL CHRG DISCHRG RB", Optional.empty(), OptionalDouble.empty()))
                .extracting(UpsCondition::getFlag).containsExactly("RB", "DISCHRG", "CHRG");
    }

    @Test
    void failsOnTheFaultFlagsDriversInvent() {
        for (String flag : new String[] { "OVERHEAT", "COMMFAULT", "DEPLETED", "ACFAIL", "SD", "BY" }) {
            assertThat(UpsStatusFlags.classify("OL " + flag, Optional.empty(), OptionalDouble.empty()))
                    .extracting(UpsCondition::getKind, UpsCondition::getSeverity).as(flag)
                    .containsExactly(org.assertj.core.groups.Tuple.tuple(UpsConditionKind.UPS_CONDITION_KIND_VENDOR_FAULT,
                            UpsConditionSeverity.UPS_CONDITION_SEVERITY_FAIL));
        }
    }

    @Test
    void showsTheOnBatteryChargeWithOneDecimalWhenNeeded() {
        assertThat(UpsStatusFlags.classify("OB DISCHRG", Optional.empty(), OptionalDouble.of(76.5)))
                .extracting(UpsCondition::getWords).containsExactly("on battery, mains power is out (OB), charge 76.5%");
    }
}

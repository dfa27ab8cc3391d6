package io.rampart.agent.collectors.ups;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import io.rampart.protocol.agent.v1.UpsSelfTestOutcome;

/** Every ups.test.result vocabulary in the NUT driver sources (networkupstools/nut, drivers/), by family. */
class SelfTestResultsTest {

    @ParameterizedTest(name = "{0}: \"{1}\" -> {2}")
    @CsvSource(delimiter = '|', value = {
            // usbhid-ups test_read_info (apc-hid, cps-hid, mge-hid, tripplite-hid, liebert-hid, powercom-hid, salicru-hid, delta_ups-hid), belkin-hid, bcmxcp
            "usbhid-ups       | Done and passed                   | PASSED",
            "usbhid-ups       | Done and warning                  | WARNING",
            "usbhid-ups       | Done and error                    | FAILED",
            "usbhid-ups       | Aborted                           | ABORTED",
            "usbhid-ups       | In progress                       | IN_PROGRESS",
            "usbhid-ups       | No test initiated                 | NONE",
            "usbhid-ups       | Test scheduled                    | IN_PROGRESS",
            // snmp-ups ietf-mib, mge-mib, huawei-mib, eaton-ats16 (lower case)
            "snmp-ups ietf    | done and passed                   | PASSED",
            "snmp-ups ietf    | done and warning                  | WARNING",
            "snmp-ups ietf    | done and error                    | FAILED",
            "snmp-ups ietf    | aborted                           | ABORTED",
            "snmp-ups ietf    | in progress                       | IN_PROGRESS",
            "snmp-ups ietf    | no test initiated                 | NONE",
            // snmp-ups apc-mib, cyberpower-mib
            "snmp-ups apc     | Ok                                | PASSED",
            "snmp-ups apc     | Failed                            | FAILED",
            "snmp-ups apc     | InvalidTest                       | NONE",
            "snmp-ups apc     | TestInProgress                    | IN_PROGRESS",
            // snmp-ups compaq-mib, eaton-ups-pwnm2-mib, eaton-ups-pxg-mib
            "snmp-ups compaq  | Unknown                           | NONE",
            "snmp-ups compaq  | Not supported                     | NONE",
            "snmp-ups compaq  | Inhibited                         | NONE",
            "snmp-ups compaq  | Scheduled                         | IN_PROGRESS",
            // apcsmart: the raw answer to 'X'; apcupsd-ups: apcupsd's SELFTEST
            "apcsmart         | OK                                | PASSED",
            "apcsmart         | BT                                | FAILED",
            "apcsmart         | NG                                | FAILED",
            "apcsmart         | NO                                | NONE",
            "apcupsd-ups      | WN                                | WARNING",
            "apcupsd-ups      | IP                                | IN_PROGRESS",
            "apcupsd-ups      | ??                                | NONE",
            // apc_modbus, apcmicrolink: result, source, modifier
            "apc_modbus       | Passed, Source: Protocol          | PASSED",
            "apc_modbus       | Failed, Source: LocalUI, Modifier: InternalFault | FAILED",
            "apc_modbus       | Refused, Source: Protocol, Modifier: StateOfChargeNotAcceptable | NONE",
            "apc_modbus       | Aborted, Source: Internal         | ABORTED",
            "apc_modbus       | InProgress, Source: Protocol      | IN_PROGRESS",
            "apc_modbus       | Pending                           | IN_PROGRESS",
            "apc_modbus       | None                              | NONE",
            // belkin, belkinunv, tripplitesu
            "belkin           | No test performed                 | NONE",
            "belkin           | Passed                            | PASSED",
            "belkin           | 10s test failed                   | FAILED",
            "belkin           | deep test failed                  | FAILED",
            "belkinunv        | test passed                       | PASSED",
            "belkinunv        | test failed                       | FAILED",
            "belkinunv        | test aborted                      | ABORTED",
            "belkinunv        | test in progress                  | IN_PROGRESS",
            "tripplitesu      | General test failed               | FAILED",
            "tripplitesu      | Battery failed                    | FAILED",
            "tripplitesu      | Deep battery test failed          | FAILED",
            // tripplite, al175, metasys, masterguard (nutdrv_qx), oneac, powervar_cx, liebert-gxe
            "tripplite        | Battery Bad (Replace)             | FAILED",
            "tripplite        | Bad Inverter                      | FAILED",
            "tripplite        | In Progress                       | IN_PROGRESS",
            "tripplite        | Unknown (7)                       | UNRECOGNIZED",
            "al175            | FAIL                              | FAILED",
            "metasys          | not yet done...                   | NONE",
            "metasys          | Battery charge: 60%               | PASSED",
            "metasys          | Bad battery pack: replace         | FAILED",
            "metasys          | Impossible to test                | NONE",
            "masterguard      | no test in progress               | NONE",
            "masterguard      | failed                            | FAILED",
            "masterguard      | not possible                      | NONE",
            "masterguard      | autonomy time calibration in progress | IN_PROGRESS",
            "oneac            | UPS Internal Failure              | FAILED",
            "oneac            | Normal                            | PASSED",
            "powervar_cx      | Change Battery                    | FAILED",
            "liebert-gxe      | Idle                              | NONE",
            // what no driver says
            "nutdrv_qx ablerex | 0101                             | UNRECOGNIZED",
            "unknown firmware | Battery needs service             | UNRECOGNIZED",
            "unknown firmware | Self-test error 12                | FAILED",
    })
    void mapsTheWordsOfEveryDriverFamilyToOneOutcome(String family, String words, String outcome) {
        assertThat(SelfTestResults.classify(words)).as(family).isEqualTo(UpsSelfTestOutcome.valueOf("UPS_SELF_TEST_OUTCOME_" + outcome));
    }

    @org.junit.jupiter.api.Test
    void takesAnAbsentResultAsNone() {
        assertThat(SelfTestResults.classify("")).isEqualTo(UpsSelfTestOutcome.UPS_SELF_TEST_OUTCOME_NONE);
        assertThat(SelfTestResults.classify(null)).isEqualTo(UpsSelfTestOutcome.UPS_SELF_TEST_OUTCOME_NONE);
    }
}

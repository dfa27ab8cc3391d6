package io.rampart.controlplane.policy.document;

import static io.rampart.controlplane.policy.document.PolicyJson.errorsOf;
import static io.rampart.controlplane.policy.document.PolicyJson.reference;
import static io.rampart.controlplane.policy.document.PolicyJson.rule;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.time.Period;
import java.util.List;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.rampart.controlplane.policy.rules.PracticeEvidence;
import io.rampart.controlplane.policy.rules.ReferencePolicy;
import io.rampart.controlplane.policy.rules.Rule;
import io.rampart.controlplane.policy.rules.Thresholds;
import io.rampart.controlplane.shared.InvalidInput;
import io.rampart.controlplane.shared.PracticeStatus;
import io.rampart.controlplane.shared.Refusal.FieldError;

/** A policy document read from JSON: the reference policy round trip, and one refusal per kind of mistake. */
class PolicyValidationTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void writesTheReferencePolicyWithIsoDurationsAndReadsItBackUnchanged() {
        ObjectNode json = reference();
        assertThat(json.get("rules").size()).isEqualTo(11);
        assertThat(rule(json, "cloud-copy").get("maxAge").asText()).isEqualTo("PT26H");
        assertThat(rule(json, "cloud-copy").get("grace").asText()).isEqualTo("PT2H");
        assertThat(rule(json, "archive-retention").get("retention").asText()).isEqualTo("P3Y");
        assertThat(rule(json, "usb-rotation").get("minDrives").asInt()).isEqualTo(2);
        assertThat(rule(json, "db-sync").get("enabled").asBoolean()).isTrue();
        assertThat(PolicyReader.read(json, "")).isEqualTo(PolicyDocument.reference());
    }

    @Test
    void theReferenceDocumentGivesTheReferenceRulesInTheirOrder() {
        List<String> ids = PolicyDocument.reference().rulesToEvaluate().stream().map(Rule::id).toList();
        assertThat(ids).containsExactlyElementsOf(ReferencePolicy.rules().stream().map(Rule::id).toList());
        assertThat(ids).containsExactlyElementsOf(RuleKinds.ids());
    }

    @Test
    void everyRuleKindDefaultsToItsThresholdsRecordDefault() {
        assertThat(PolicyDocument.reference().rules().get("db-sync").thresholds()).isEqualTo(Thresholds.DbSync.DEFAULT);
        assertThat(PolicyDocument.reference().rules().get("agent-heartbeat").thresholds()).isEqualTo(Thresholds.Heartbeat.DEFAULT);
        assertThat(PolicyDocument.reference().rules().get("archive-retention").thresholds()).isEqualTo(Thresholds.ArchiveRetention.DEFAULT);
    }

    @Test
    void aDisabledRuleIsNotEvaluated() {
        ObjectNode json = reference();
        rule(json, "ups").put("enabled", false);
        List<String> ids = PolicyReader.read(json, "").rulesToEvaluate().stream().map(Rule::id).toList();
        assertThat(ids).hasSize(10).doesNotContain("ups");
    }

    @Test
    void changedThresholdsReachTheRules() {
        ObjectNode json = reference();
        rule(json, "agent-heartbeat").put("maxSilence", "PT30M").put("grace", "PT5M");
        PolicyDocument document = PolicyReader.read(json, "");
        assertThat(document.rules().get("agent-heartbeat").thresholds())
                .isEqualTo(new Thresholds.Heartbeat(Duration.ofMinutes(30), Duration.ofMinutes(5), Duration.ofHours(1)));
        Rule heartbeat = document.rulesToEvaluate().stream().filter(r -> r.id().equals("agent-heartbeat")).findFirst().orElseThrow();
        Instant now = Instant.parse("2026-11-26T12:00:00Z");
        PracticeEvidence silentFor20Minutes = PracticeEvidence.onboarded("p", now.minus(Duration.ofDays(30)))
                .withHeartbeat(now.minus(Duration.ofMinutes(20)));
        assertThat(heartbeat.evaluate(silentFor20Minutes, now).status()).isEqualTo(PracticeStatus.PASS);
    }

    @Test
    void acceptsDurationsInDaysAndPeriodsInMonths() {
        ObjectNode json = reference();
        rule(json, "restore-test").put("maxAge", "P14D");
        rule(json, "archive-retention").put("retention", "P36M");
        PolicyDocument document = PolicyReader.read(json, "");
        assertThat(((Thresholds.RestoreTest) document.rules().get("restore-test").thresholds()).maxAge()).isEqualTo(Duration.ofDays(14));
        assertThat(((Thresholds.ArchiveRetention) document.rules().get("archive-retention").thresholds()).retention())
                .isEqualTo(Period.ofMonths(36));
    }

    @Test
    void refusesAnUnknownRule() {
        ObjectNode json = reference();
        ((ObjectNode) json.get("rules")).putObject("tape-copy").put("enabled", true);
        assertThat(errorsOf(json)).singleElement().satisfies(e -> {
            assertThat(e.field()).isEqualTo("rules.tape-copy");
            assertThat(e.message()).startsWith("unknown rule").contains("db-sync", "agent-heartbeat");
        });
    }

    @Test
    void refusesAMissingRule() {
        ObjectNode json = reference();
        ((ObjectNode) json.get("rules")).remove("contacts");
        assertThat(errorsOf(json)).extracting(FieldError::field).containsExactly("rules.contacts");
    }

    @Test
    void refusesAMissingRulesObjectAndADocumentThatIsNoObject() {
        assertThat(errorsOf(JSON.createObjectNode())).extracting(FieldError::field).containsExactly("rules");
        assertThat(errorsOf(JSON.getNodeFactory().textNode("policy"))).extracting(FieldError::field).containsExactly("rules");
        assertThat(errorsOf(null)).extracting(FieldError::field).containsExactly("rules");
    }

    @Test
    void refusesAnUnknownSettingOfARuleAndOfTheDocument() {
        ObjectNode json = reference();
        rule(json, "ups").put("selfTestEveryDays", 90);
        json.put("name", "x");
        assertThat(errorsOf(json)).extracting(FieldError::field).containsExactlyInAnyOrder("rules.ups.selfTestEveryDays", "name");
    }

    @Test
    void refusesAMissingThreshold() {
        ObjectNode json = reference();
        rule(json, "nas-copy").remove("maxAge");
        assertThat(errorsOf(json)).singleElement().satisfies(e -> {
            assertThat(e.field()).isEqualTo("rules.nas-copy.maxAge");
            assertThat(e.message()).startsWith("required");
        });
    }

    @Test
    void refusesAMissingOrNonBooleanEnabled() {
        ObjectNode json = reference();
        rule(json, "nas-copy").remove("enabled");
        rule(json, "ups").put("enabled", "yes");
        assertThat(errorsOf(json)).extracting(FieldError::field).containsExactlyInAnyOrder("rules.nas-copy.enabled", "rules.ups.enabled");
    }

    @Test
    void refusesANegativeThreshold() {
        ObjectNode json = reference();
        rule(json, "cloud-copy").put("maxAge", "-PT26H");
        assertThat(errorsOf(json)).singleElement().satisfies(e -> {
            assertThat(e.field()).isEqualTo("rules.cloud-copy.maxAge");
            assertThat(e.message()).isEqualTo("must not be negative");
        });
    }

    @Test
    void refusesANegativeGrace() {
        ObjectNode json = reference();
        rule(json, "cloud-copy").put("grace", "-PT1H");
        assertThat(errorsOf(json)).extracting(FieldError::field, FieldError::message)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("rules.cloud-copy.grace", "must not be negative"));
    }

    @Test
    void refusesAZeroLimitButAcceptsAZeroGrace() {
        ObjectNode json = reference();
        rule(json, "agent-heartbeat").put("maxSilence", "PT0S");
        assertThat(errorsOf(json)).extracting(FieldError::field, FieldError::message)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("rules.agent-heartbeat.maxSilence", "must be more than zero"));

        ObjectNode noGrace = reference();
        rule(noGrace, "agent-heartbeat").put("grace", "PT0S");
        assertThat(((Thresholds.Heartbeat) PolicyReader.read(noGrace, "").rules().get("agent-heartbeat").thresholds()).grace())
                .isZero();
    }

    @Test
    void refusesALimitUnderAMinuteAndFractionsOfASecondThatWouldBreakEvaluation() {
        ObjectNode json = reference();
        rule(json, "archive-retention").put("maxInterval", "PT0.5S");
        rule(json, "agent-heartbeat").put("maxSilence", "PT30S");
        rule(json, "cloud-copy").put("grace", "PT0.25S");
        assertThat(errorsOf(json)).extracting(FieldError::field, FieldError::message).containsExactlyInAnyOrder(
                org.assertj.core.groups.Tuple.tuple("rules.archive-retention.maxInterval", "whole seconds only: \"PT0.5S\" (write it like PT26H or P7D)"),
                org.assertj.core.groups.Tuple.tuple("rules.agent-heartbeat.maxSilence", "must be at least 1 minute (PT1M)"),
                org.assertj.core.groups.Tuple.tuple("rules.cloud-copy.grace", "whole seconds only: \"PT0.25S\" (write it like PT2H)"));
    }

    @Test
    void refusesZeroOrNegativeCounts() {
        ObjectNode json = reference();
        rule(json, "contacts").put("minItContacts", 0);
        rule(json, "contacts").put("minPracticeManagers", -1);
        assertThat(errorsOf(json)).extracting(FieldError::field, FieldError::message).containsExactlyInAnyOrder(
                org.assertj.core.groups.Tuple.tuple("rules.contacts.minItContacts", "must be more than zero"),
                org.assertj.core.groups.Tuple.tuple("rules.contacts.minPracticeManagers", "must not be negative"));
    }

    @Test
    void refusesAZeroOrNegativeRetention() {
        ObjectNode json = reference();
        rule(json, "archive-retention").put("retention", "P0Y");
        assertThat(errorsOf(json)).extracting(FieldError::message).containsExactly("must be more than zero");
        rule(json, "archive-retention").put("retention", "-P1Y");
        assertThat(errorsOf(json)).extracting(FieldError::message).containsExactly("must not be negative");
    }

    @Test
    void refusesAGraceLongerThanTheIntervalItGuards() {
        ObjectNode json = reference();
        rule(json, "db-sync").put("lagGrace", "PT20M");
        rule(json, "ups").put("selfTestGrace", "P91D");
        assertThat(errorsOf(json)).extracting(FieldError::field).containsExactlyInAnyOrder("rules.db-sync.lagGrace", "rules.ups.selfTestGrace");
        assertThat(errorsOf(json)).filteredOn(e -> e.field().equals("rules.db-sync.lagGrace")).singleElement()
                .extracting(FieldError::message).asString().contains("longer than the maxLag it guards (PT15M)");
    }

    @Test
    void acceptsAGraceExactlyAsLongAsItsInterval() {
        ObjectNode json = reference();
        rule(json, "agent-heartbeat").put("grace", "PT10M");
        assertThat(PolicyReader.read(json, "")).isNotNull();
    }

    @Test
    void checksEveryGuardedGrace() {
        for (RuleKind<?> kind : RuleKinds.ALL) {
            for (RuleKind.Guard guard : kind.guards()) {
                ObjectNode json = reference();
                rule(json, kind.id()).put(guard.limit(), "PT1H").put(guard.grace(), "PT2H");
                assertThat(errorsOf(json)).as(kind.id() + "." + guard.grace()).extracting(FieldError::field)
                        .containsExactly("rules." + kind.id() + "." + guard.grace());
            }
        }
    }

    @Test
    void refusesFewerThanTwoUsbDrives() {
        ObjectNode json = reference();
        rule(json, "usb-rotation").put("minDrives", 1);
        assertThat(errorsOf(json)).singleElement().satisfies(e -> {
            assertThat(e.field()).isEqualTo("rules.usb-rotation.minDrives");
            assertThat(e.message()).contains("at least 2 drives");
        });
    }

    @Test
    void refusesUnparsableDurationsAndPeriods() {
        ObjectNode json = reference();
        rule(json, "nas-copy").put("maxAge", "26 hours");
        rule(json, "archive-retention").put("retention", "3 years");
        rule(json, "restore-test").put("maxRestoreTime", 15);
        assertThat(errorsOf(json)).extracting(FieldError::field).containsExactlyInAnyOrder("rules.nas-copy.maxAge",
                "rules.archive-retention.retention", "rules.restore-test.maxRestoreTime");
        assertThat(errorsOf(json)).filteredOn(e -> e.field().equals("rules.nas-copy.maxAge")).singleElement()
                .extracting(FieldError::message).asString().contains("not an ISO-8601 duration", "26 hours");
    }

    @Test
    void refusesACountThatIsNoWholeNumber() {
        ObjectNode json = reference();
        rule(json, "usb-rotation").put("minDrives", 2.5);
        assertThat(errorsOf(json)).extracting(FieldError::field).containsExactly("rules.usb-rotation.minDrives");
    }

    @Test
    void refusesAnAbsurdlyLongLimit() {
        ObjectNode json = reference();
        rule(json, "plan-review").put("reviewEvery", "P5000D");
        assertThat(errorsOf(json)).extracting(FieldError::message).containsExactly("must be at most 10 years (P3650D)");
    }

    @Test
    void reportsEveryProblemAtOnceUnderTheDocumentsPath() {
        ObjectNode json = reference();
        rule(json, "nas-copy").put("maxAge", "soon");
        rule(json, "usb-rotation").put("minDrives", 1);
        ((ObjectNode) json.get("rules")).putObject("fax");
        assertThatThrownBy(() -> PolicyReader.read(json, "document")).isInstanceOfSatisfying(InvalidInput.class, e -> {
            assertThat(e.getMessage()).contains("3 problems");
            assertThat(e.errors()).extracting(FieldError::field).containsExactlyInAnyOrder("document.rules.nas-copy.maxAge",
                    "document.rules.usb-rotation.minDrives", "document.rules.fax");
        });
    }
}

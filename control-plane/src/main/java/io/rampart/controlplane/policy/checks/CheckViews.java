package io.rampart.controlplane.policy.checks;

import java.util.List;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.rampart.controlplane.policy.CheckDefinition;
import io.rampart.controlplane.policy.ConfiguredChecks.Origin;
import io.rampart.controlplane.policy.rules.CheckCoverage;
import io.rampart.controlplane.shared.NotFound;

/** What the check-set API answers, and how a stored check becomes one. */
public final class CheckViews {

    private CheckViews() {
    }

    /** One check of a group's set. servesRule: the policy rule it gives evidence for, null for none. */
    public record CheckView(String checkId, String kind, long intervalSeconds, JsonNode settings, String servesRule) {
    }

    /**
     * One check as a practice has it: from its group, in place of the group's (PRACTICE_OVERRIDE), or its own (PRACTICE).
     * removed: the group's check that the practice does not run (then origin is GROUP and the rest is the group's).
     */
    public record PracticeCheckView(String checkId, String kind, long intervalSeconds, JsonNode settings, String servesRule,
            Origin origin, boolean removed) {
    }

    /** A practice's checks, and the rules of its group's policy that none of them serves. */
    public record PracticeChecks(List<PracticeCheckView> checks, List<String> configurationGaps) {
    }

    @Schema(description = "Start the group's check set from a template")
    public record TemplateRequest(@Schema(description = "A template id from GET /api/check-templates", examples = "reference") String template,
            @Schema(description = "RESTIC (default) or BORG: the tool of the cloud copy") String cloudTool,
            @Schema(description = "The check whose newest backup the restore test restores; default: the cloud copy, else the NAS copy") String restoreSource,
            @Schema(description = "true: the template's checks replace the whole set; false (default): refused when the group has "
                    + "a check of the same id") Boolean replace) {
    }

    /** One setting of a kind: its JSON name and what it takes (duration, integer, number, boolean, text). */
    public record Setting(String name, String type) {
    }

    public record KindView(String kind, List<Setting> settings) {
    }

    /** The templates, and every kind of check with its settings, for the forms. */
    public record Catalogue(List<CheckTemplates.CheckTemplate> templates, List<KindView> kinds) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    /** The check id a restore test's settings (protobuf JSON) name as its source; "" when none. */
    static String sourceOf(String settings) {
        JsonNode source = parse(settings).path("sourceCheckId");
        return source.isTextual() ? source.asText() : "";
    }

    /** The 404 for a check id the set does not have. */
    static NotFound noCheck(String checkId) {
        return new NotFound("No check \"" + checkId + "\" here");
    }

    /** A group's stored check as the API shows it. */
    static CheckView view(CheckDefinition d) {
        return new CheckView(d.checkId, d.kind, d.intervalSeconds, parse(d.settings), servedRule(d.checkId));
    }

    /** A check as a practice has it, from where it comes. */
    static PracticeCheckView practiceView(CheckDefinition d, Origin origin, boolean removed) {
        return new PracticeCheckView(d.checkId, d.kind, d.intervalSeconds, parse(d.settings), servedRule(d.checkId), origin, removed);
    }

    /** The policy rule a check of this id gives evidence for (CheckCoverage), null for none. */
    static String servedRule(String checkId) {
        return CheckCoverage.RULES_SERVED_BY_CHECKS.stream().filter(rule -> CheckCoverage.serves(checkId, rule)).sorted().findFirst()
                .orElse(null);
    }

    /** Stored settings (compact protobuf JSON, null for none) as a JSON tree. */
    static JsonNode parse(String settings) {
        try {
            return JSON.readTree(settings == null ? "{}" : settings);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Stored check settings are not JSON: " + e.getMessage(), e);
        }
    }
}

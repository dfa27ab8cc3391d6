package io.rampart.controlplane.policy.checks;

import java.util.List;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import com.fasterxml.jackson.databind.JsonNode;

import io.rampart.controlplane.policy.ConfiguredChecks.Origin;

/** What the check-set API answers. */
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
            @Schema(description = "The check whose newest backup the restore test restores; default: the cloud copy, else the NAS copy")
            String restoreSource,
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
}

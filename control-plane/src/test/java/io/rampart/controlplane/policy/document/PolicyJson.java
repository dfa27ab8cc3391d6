package io.rampart.controlplane.policy.document;

import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.rampart.controlplane.shared.InvalidInput;
import io.rampart.controlplane.shared.Refusal.FieldError;

/** The reference policy as JSON to change in a test, and the field errors PolicyReader answers a document with. */
final class PolicyJson {

    private PolicyJson() {
    }

    static ObjectNode reference() {
        return PolicyWriter.write(PolicyDocument.reference());
    }

    static ObjectNode rule(ObjectNode document, String id) {
        return (ObjectNode) document.get("rules").get(id);
    }

    /** The refusal's field errors; fails the test when the document is accepted. */
    static List<FieldError> errorsOf(JsonNode document) {
        try {
            PolicyReader.read(document, "");
        } catch (InvalidInput e) {
            return e.errors();
        }
        throw new AssertionError("the document was accepted: " + document);
    }
}

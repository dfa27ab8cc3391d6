package io.rampart.controlplane.fleet;

import io.rampart.protocol.agent.v1.CheckKind;
import io.rampart.protocol.agent.v1.CheckStatus;

/** The stored names of protocol enums: without their prefix, e.g. PASS, BACKUP_FOLDER. */
final class CheckStatuses {

    private CheckStatuses() {
    }

    static String name(CheckStatus status) {
        return status.name().replace("CHECK_STATUS_", "");
    }

    static String kind(CheckKind kind) {
        return kind.name().replace("CHECK_KIND_", "");
    }
}

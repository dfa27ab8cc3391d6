package io.rampart.controlplane.compliance;

import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.util.JsonFormat;

import io.rampart.controlplane.fleet.CheckState;
import io.rampart.protocol.agent.v1.CheckKind;
import io.rampart.protocol.agent.v1.CheckResult;
import io.rampart.protocol.agent.v1.CheckStatus;

/** A check's projected latest state turned back into the CheckResult the agent sent, which is what the rules read. */
final class CheckStates {

    private static final JsonFormat.Parser JSON = JsonFormat.parser().ignoringUnknownFields();

    private CheckStates() {
    }

    static CheckResult toResult(CheckState state) {
        CheckResult.Builder result = CheckResult.newBuilder()
                .setCheckId(state.checkId)
                .setKind(enumValue(CheckKind.class, "CHECK_KIND_" + state.kind, CheckKind.CHECK_KIND_UNSPECIFIED))
                .setStatus(enumValue(CheckStatus.class, "CHECK_STATUS_" + state.status, CheckStatus.CHECK_STATUS_UNSPECIFIED))
                .setSummary(state.summary);
        FieldDescriptor details = detailsField(result.getKind());
        if (details != null && state.details != null && !state.details.isBlank()) {
            Message.Builder observation = result.newBuilderForField(details);
            try {
                JSON.merge(state.details, observation);
                result.setField(details, observation.build());
            } catch (InvalidProtocolBufferException e) {
                // a detail this version cannot read: the rules see the status and summary only
            }
        }
        if (state.futureDated != null && !state.futureDated.isBlank() && !state.futureDated.equals("[]")) {
            try {
                // a JSON array of FutureDatedItem: read as the repeated field of a CheckResult
                CheckResult.Builder items = CheckResult.newBuilder();
                JSON.merge("{\"futureDated\": " + state.futureDated + "}", items);
                result.addAllFutureDated(items.getFutureDatedList());
            } catch (InvalidProtocolBufferException e) {
                // unreadable by this version: the rules judge without it
            }
        }
        return result.build();
    }

    /** The observation field a kind's results carry (the "details" oneof), found by its message type's name. */
    private static FieldDescriptor detailsField(CheckKind kind) {
        String wanted = switch (kind) {
            case CHECK_KIND_BACKUP_FOLDER -> "BackupFolderObservation";
            case CHECK_KIND_RESTIC_REPOSITORY, CHECK_KIND_BORG_REPOSITORY -> "RepositoryObservation";
            case CHECK_KIND_DATABASE_SYNC -> "DatabaseSyncObservation";
            case CHECK_KIND_UPS -> "UpsObservation";
            case CHECK_KIND_USB_ROTATION -> "UsbRotationObservation";
            case CHECK_KIND_REPORTED_JOB -> "JobReport";
            case CHECK_KIND_RESTORE_TEST -> "RestoreTestObservation";
            default -> null;
        };
        return wanted == null ? null : CheckResult.getDescriptor().getFields().stream()
                .filter(f -> f.getContainingOneof() != null && f.getContainingOneof().getName().equals("details"))
                .filter(f -> f.getMessageType().getName().equals(wanted))
                .findFirst().orElse(null);
    }

    private static <E extends Enum<E>> E enumValue(Class<E> type, String name, E fallback) {
        try {
            return Enum.valueOf(type, name);
        } catch (IllegalArgumentException e) {
            return fallback;
        }
    }
}

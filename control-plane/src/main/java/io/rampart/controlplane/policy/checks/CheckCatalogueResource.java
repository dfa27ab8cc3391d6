package io.rampart.controlplane.policy.checks;

import java.util.List;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import com.google.protobuf.Descriptors.FieldDescriptor;

import io.rampart.controlplane.policy.checks.CheckViews.Catalogue;
import io.rampart.controlplane.policy.checks.CheckViews.KindView;
import io.rampart.controlplane.policy.checks.CheckViews.Setting;
import io.rampart.controlplane.shared.Role;

@Path("/api/check-templates")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Check sets", description = "The checks each group's agents run, and what each practice runs differently")
public class CheckCatalogueResource {

    @GET
    @RolesAllowed({ Role.ADMIN, Role.TECHNICIAN, Role.GROUP, Role.PRACTICE })
    @Operation(summary = "The templates a group's check set can start from, and every kind of check with its settings")
    public Catalogue catalogue() {
        List<KindView> kinds = CheckInputs.kinds().stream()
                .map(kind -> new KindView(kind, CheckInputs.settingsOf(kind).getFields().stream()
                        .map(field -> new Setting(field.getJsonName(), type(field))).toList()))
                .toList();
        return new Catalogue(CheckTemplates.ALL, kinds);
    }

    private static String type(FieldDescriptor field) {
        if (field.getType() == FieldDescriptor.Type.MESSAGE && field.getMessageType().getFullName().equals("google.protobuf.Duration")) {
            return "duration";
        }
        return switch (field.getJavaType()) {
            case INT, LONG -> "integer";
            case DOUBLE, FLOAT -> "number";
            case BOOLEAN -> "boolean";
            default -> "text";
        };
    }
}

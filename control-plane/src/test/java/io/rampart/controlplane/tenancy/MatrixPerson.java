package io.rampart.controlplane.tenancy;

import static io.restassured.RestAssured.given;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;

import io.rampart.controlplane.embedded.DemoTenancy;
import io.rampart.controlplane.testing.Tokens;

/** The demo realm's people, and anonymous, as TenantIsolationMatrixTest calls the API: with a real token each. */
enum MatrixPerson {
    ALICE("alice", "provider admin of Northwind"),
    TOM("tom", "technician of Northwind"),
    GRACE("grace", "group manager of Coastal (Northwind)"),
    PAT("pat", "practice manager of Harbour Street (Coastal)"),
    OLIVIA("olivia", "provider admin of Southern IT, another provider"),
    GARY("gary", "group manager of Inland, another group of Northwind"),
    PAULA("paula", "practice manager of Riverside, another practice of Coastal"),
    OSCAR("oscar", "platform operator, above the tenancy"),
    NOBODY(null, "anonymous");

    final String username;
    final String description;

    MatrixPerson(String username, String description) {
        this.username = username;
        this.description = description;
    }

    RequestSpecification request() {
        RequestSpecification request = given().contentType(ContentType.JSON);
        return username == null ? request : request.auth().oauth2(Tokens.of(username));
    }

    /** Which demo practices each person may see: no other practice id may appear in any answer. */
    static final Map<MatrixPerson, Set<UUID>> VISIBLE = Map.of(
            MatrixPerson.ALICE, Set.of(DemoTenancy.HARBOUR_STREET, DemoTenancy.RIVERSIDE, DemoTenancy.HILLTOP, DemoTenancy.MOORLAND),
            MatrixPerson.TOM, Set.of(DemoTenancy.HARBOUR_STREET, DemoTenancy.RIVERSIDE, DemoTenancy.HILLTOP, DemoTenancy.MOORLAND),
            MatrixPerson.GRACE, Set.of(DemoTenancy.HARBOUR_STREET, DemoTenancy.RIVERSIDE, DemoTenancy.HILLTOP),
            MatrixPerson.PAT, Set.of(DemoTenancy.HARBOUR_STREET),
            MatrixPerson.OLIVIA, Set.of(DemoTenancy.BAYSIDE),
            MatrixPerson.GARY, Set.of(DemoTenancy.MOORLAND),
            MatrixPerson.PAULA, Set.of(DemoTenancy.RIVERSIDE),
            MatrixPerson.OSCAR, Set.of(),
            MatrixPerson.NOBODY, Set.of());

    static final List<UUID> ALL_PRACTICES = List.of(DemoTenancy.HARBOUR_STREET, DemoTenancy.RIVERSIDE, DemoTenancy.HILLTOP,
            DemoTenancy.MOORLAND, DemoTenancy.BAYSIDE);
}

package io.rampart.controlplane.web;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;

import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;

import io.rampart.controlplane.embedded.DemoTenancy;
import io.rampart.controlplane.testing.RealServers;
import io.rampart.controlplane.testing.Tokens;

/**
 * One error vocabulary: whatever refuses a request (Bean Validation, the project's own field checks, Jackson, a
 * service's refusal), the answer is problem+json with {@code detail} and, for fields, {@code errors}; a bug is a 500 whose
 * text is logged and never shown.
 */
@QuarkusTest
@QuarkusTestResource(RealServers.class)
class ProblemVocabularyTest {

    @Test
    void beanValidationRefusalsComeFieldByFieldInTheSameBodyAsTheProjectsOwn() {
        Response refused = asAlice().body(Map.of("email", "not-an-email", "firstName", "", "lastName", "Okafor",
                "role", "provider-technician")).post("/api/people");
        refused.then().statusCode(400).contentType(ProblemDetails.PROBLEM_JSON)
                .body("errors.field", containsInAnyOrder("email", "firstName"))
                .body("detail", containsString("email")).body("$", not(org.hamcrest.Matchers.hasKey("violations")));
        // the project's own check of the same request reads the same way
        asAlice().body(Map.of("email", "hana-" + UUID.randomUUID() + "@example.org", "firstName", "Hana", "lastName", "Okafor",
                "role", "janitor")).post("/api/people").then().statusCode(400).contentType(ProblemDetails.PROBLEM_JSON)
                .body("errors[0].field", equalTo("role"));
    }

    @Test
    void aBeanValidationRefusalOfANumberOutOfRangeNamesTheField() {
        asAlice().contentType(ContentType.JSON).body(Map.of("validForHours", 0))
                .post("/api/practices/{id}/enrolment-tokens", DemoTenancy.HARBOUR_STREET).then().statusCode(400)
                .body("errors[0].field", equalTo("validForHours")).body("errors[0].message", containsString("1"));
    }

    @Test
    void malformedJsonSaysWhereItStopsBeingJson() {
        asAlice().body("{\"email\": \"a@b.org\",\n \"firstName\": \"Hana\" \"lastName\": \"O\"}").post("/api/people").then()
                .statusCode(400).contentType(ProblemDetails.PROBLEM_JSON)
                .body("detail", containsString("The request body is not valid JSON (line 2, column ")).body("errors", org.hamcrest.Matchers.nullValue());
    }

    @Test
    void aServiceRefusalIsItsStatusWithTheServicesWords() {
        asAlice().body(Map.of("note", "looking")).post("/api/alerts/{id}/acknowledge", UUID.randomUUID()).then().statusCode(404)
                .contentType(ProblemDetails.PROBLEM_JSON).body("detail", equalTo("No such alert, or not one you may see"))
                .body("title", equalTo("Not Found"));
    }

    @Test
    void aProgrammingErrorIsA500ThatShowsNothingOfTheServersInternals() {
        Response answer = given().auth().oauth2(Tokens.of("alice")).post("/api/test-only/programming-error");
        answer.then().statusCode(500).contentType(ProblemDetails.PROBLEM_JSON).body("detail", equalTo("Internal error; it has been logged"));
        assertThat(answer.asString()).doesNotContain(ProgrammingErrorResource.INTERNAL_TEXT).doesNotContain("IllegalArgument");
    }

    private static io.restassured.specification.RequestSpecification asAlice() {
        return given().auth().oauth2(Tokens.of("alice")).contentType(ContentType.JSON);
    }
}

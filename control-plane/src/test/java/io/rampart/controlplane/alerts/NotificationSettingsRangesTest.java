package io.rampart.controlplane.alerts;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;

import io.rampart.controlplane.tenancy.Practice;
import io.rampart.controlplane.testing.RealServers;
import io.rampart.controlplane.testing.TestFleet;
import io.rampart.controlplane.testing.Tokens;

/**
 * Every notification value has a range, and a value outside it is refused under its field with
 * what is expected, so nothing saved can make the escalation, digest or quiet-hours schedulers
 * divide by zero or run in a tight loop; the edges of each range are accepted.
 */
@QuarkusTest
@QuarkusTestResource(RealServers.class)
class NotificationSettingsRangesTest {

    @Inject
    TestFleet fleet;

    @Test
    void eachProviderValueOutsideItsRangeIsRefusedUnderItsField() {
        Map<String, Map<String, String>> refused = Map.ofEntries(
                Map.entry("escalateAfter", Map.of("PT0S", "a duration between PT5M and P7D, e.g. PT2H", "PT0.5S", "", "PT4M59S", "",
                        "-PT2H", "", "P8D", "", "PT2562047788015215H", "", "2h", "")),
                Map.entry("digestTime", Map.of("24:00", "a time of day as HH:mm, e.g. 07:00", "7:00", "", "07:00:30", "", "07:60", "")),
                Map.entry("timeZone", Map.of("Mars/Olympus", "a time zone like Europe/London or UTC", "+25:00", "", "GMT+99", "")),
                Map.entry("onCallEmail", Map.of("on call@example.com", "an email address like on-call@example.com, or empty for none",
                        "a@" + "b".repeat(200) + ".example", "")),
                Map.entry("digestEmail", Map.of("nobody", "an email address like on-call@example.com, or empty for none")));
        refused.forEach((field, values) -> values.forEach((value, message) -> {
            Response response = given().auth().oauth2(Tokens.of("alice")).contentType(ContentType.JSON).body(Map.of(field, value))
                    .put("/api/notification-settings");
            response.then().statusCode(400).body("detail", equalTo("The notification settings are invalid; nothing was changed"))
                    .body("errors.field", contains(field));
            if (!message.isEmpty()) {
                response.then().body("errors[0].message", equalTo(message));
            }
        }));
    }

    @Test
    void eachGroupValueOutsideItsRangeIsRefusedAndTheEdgesAreAccepted() {
        Practice practice = fleet.newPractice("Ranges Surgery " + UUID.randomUUID());
        put(practice, Map.of("quietHours", Map.of("from", "22:00", "to", "22:00"))).then().statusCode(400)
                .body("errors.field", contains("quietHours.to")).body("errors[0].message", equalTo("must differ from quietHours.from"));
        put(practice, Map.of("quietHours", Map.of("from", "22:00"))).then().statusCode(400).body("errors.field", contains("quietHours.to"))
                .body("errors[0].message", equalTo("both from and to, or neither"));
        put(practice, Map.of("quietHours", Map.of("from", "25:00", "to", "06:00"))).then().statusCode(400)
                .body("errors.field", contains("quietHours.from"));
        put(practice, Map.of("digestTime", "noon")).then().statusCode(400).body("errors.field", contains("digestTime"));
        put(practice, Map.of("timeZone", "Europe/Nowhere")).then().statusCode(400).body("errors.field", contains("timeZone"));
        put(practice, Map.of("criticalRules", List.of("nas-copy", "coffee"))).then().statusCode(400).body("errors.field", contains("criticalRules"));

        put(practice, Map.of("quietHours", Map.of("from", "23:59", "to", "00:00"), "digestTime", "00:00", "timeZone", "Pacific/Kiritimati",
                "criticalRules", List.of())).then().statusCode(200).body("quietHours.from", equalTo("23:59")).body("digestTime", equalTo("00:00"))
                .body("timeZone", equalTo("Pacific/Kiritimati"));
    }

    private static Response put(Practice practice, Map<String, ?> settings) {
        return given().auth().oauth2(Tokens.of("alice")).contentType(ContentType.JSON).body(settings)
                .put("/api/groups/{id}/notification-settings", practice.groupId);
    }
}

package io.rampart.agent.nut;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class NutClientTest {

    private FakeUpsd upsd;

    @AfterEach
    void stop() throws Exception {
        if (upsd != null) {
            upsd.close();
        }
    }

    @Test
    void readsQuotedValuesWithSpacesQuotesAndBackslashes() throws Exception {
        upsd = new FakeUpsd("rack", Map.of("ups.status", "OL CHRG", "device.model", "Smart-UPS \"1500\" \\ rack"));

        Map<String, String> variables = client(Duration.ofSeconds(2)).listVariables("rack", Optional.empty());

        assertThat(variables).containsEntry("ups.status", "OL CHRG").containsEntry("device.model", "Smart-UPS \"1500\" \\ rack");
        // LOGOUT is sent as the client leaves, so the fake may see it a moment later
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(upsd.received).containsExactly("LIST VAR rack", "LOGOUT"));
    }

    @Test
    void sendsUsernameAndPasswordQuotedBeforeListing() throws Exception {
        upsd = new FakeUpsd("rack", Map.of("ups.status", "OL"));

        client(Duration.ofSeconds(2)).listVariables("rack", Optional.of(new NutClient.Credentials("monitor", "pa ss\"word")));

        assertThat(upsd.received).startsWith("USERNAME \"monitor\"", "PASSWORD \"pa ss\\\"word\"", "LIST VAR rack");
    }

    @Test
    void turnsErrUnknownUpsIntoAClearError() throws Exception {
        upsd = new FakeUpsd("rack", Map.of());

        assertThatThrownBy(() -> client(Duration.ofSeconds(2)).listVariables("closet", Optional.empty()))
                .isInstanceOfSatisfying(NutException.class, e -> {
                    assertThat(e.kind()).isEqualTo(NutException.Kind.UNKNOWN_UPS);
                    assertThat(e.nutError()).isEqualTo("UNKNOWN-UPS");
                    assertThat(e.getMessage()).isEqualTo("upsd at 127.0.0.1:" + upsd.port()
                            + " knows no UPS named closet: ERR UNKNOWN-UPS");
                });
    }

    @Test
    void givesUpAfterTheTimeoutWhenUpsdNeverAnswers() throws Exception {
        upsd = new FakeUpsd("rack", Map.of());
        upsd.silent(true);

        long started = System.nanoTime();
        assertThatThrownBy(() -> client(Duration.ofMillis(300)).listVariables("rack", Optional.empty()))
                .isInstanceOfSatisfying(NutException.class, e -> assertThat(e.kind()).isEqualTo(NutException.Kind.TIMEOUT))
                .hasMessageContaining("did not answer within 300 ms");
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
    }

    @Test
    void startsAnInstantCommandAfterLoggingIn() throws Exception {
        upsd = new FakeUpsd("rack", Map.of("ups.status", "OL"));
        upsd.answerInstantCommands("OK", () -> {
        });

        client(Duration.ofSeconds(2)).instantCommand("rack", "test.battery.start.quick", new NutClient.Credentials("rampart", "pw"));

        assertThat(upsd.received).startsWith("USERNAME \"rampart\"", "PASSWORD \"pw\"", "INSTCMD rack test.battery.start.quick");
    }

    @Test
    void tellsARefusedCommandFromOneTheDriverDoesNotHave() throws Exception {
        upsd = new FakeUpsd("rack", Map.of("ups.status", "OL"));
        NutClient.Credentials login = new NutClient.Credentials("rampart", "pw");

        upsd.answerInstantCommands("ERR ACCESS-DENIED", () -> {
        });
        assertThatThrownBy(() -> client(Duration.ofSeconds(2)).instantCommand("rack", "test.battery.start.quick", login))
                .isInstanceOfSatisfying(NutException.class, e -> assertThat(e.kind()).isEqualTo(NutException.Kind.ACCESS_DENIED));
        upsd.answerInstantCommands("ERR CMD-NOT-SUPPORTED", () -> {
        });
        assertThatThrownBy(() -> client(Duration.ofSeconds(2)).instantCommand("rack", "test.battery.start.quick", login))
                .isInstanceOfSatisfying(NutException.class, e -> assertThat(e.kind()).isEqualTo(NutException.Kind.COMMAND_NOT_SUPPORTED));
    }

    @Test
    void splitsProtocolLinesIntoWords() {
        assertThat(NutClient.words("VAR ups battery.charge \"100\"")).containsExactly("VAR", "ups", "battery.charge", "100");
        assertThat(NutClient.words("VAR ups x \"\"")).containsExactly("VAR", "ups", "x", "");
    }

    private NutClient client(Duration timeout) {
        return new NutClient("127.0.0.1", upsd.port(), timeout);
    }
}

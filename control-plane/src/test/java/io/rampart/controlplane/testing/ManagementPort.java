package io.rampart.controlplane.testing;

import org.eclipse.microprofile.config.ConfigProvider;

import io.restassured.RestAssured;
import io.restassured.specification.RequestSpecification;

/**
 * RestAssured aimed at the management interface (/q/health, /q/metrics), which listens on its own port: in tests a
 * free one chosen at start ({@code %test.quarkus.management.test-port=0}), which Quarkus publishes back as
 * {@code quarkus.management.test-port} once it is bound.
 */
public final class ManagementPort {

    private ManagementPort() {
    }

    /** The bound management port of the running test application; fails if the application has not started. */
    public static int port() {
        return ConfigProvider.getConfig().getValue("quarkus.management.test-port", Integer.class);
    }

    /** {@code RestAssured.given()} on the management port, as a Prometheus scrape or a Kubernetes probe would call. */
    public static RequestSpecification given() {
        return RestAssured.given().port(port());
    }
}

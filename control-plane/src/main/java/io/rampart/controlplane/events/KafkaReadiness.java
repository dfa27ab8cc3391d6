package io.rampart.controlplane.events;

import java.util.concurrent.TimeUnit;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.apache.kafka.clients.admin.Admin;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Ready only while Kafka answers (agents' batches cannot be acknowledged otherwise). Each consumer
 * has its own check (ConsumerProgress, named "consumer &lt;name&gt;"): running and keeping up.
 */
@Readiness
@ApplicationScoped
public class KafkaReadiness implements HealthCheck {

    @Inject
    KafkaClients clients;

    private volatile Admin admin;

    @Override
    public HealthCheckResponse call() {
        var response = HealthCheckResponse.named("kafka");
        try {
            int nodes = admin().describeCluster().nodes().get(5, TimeUnit.SECONDS).size();
            return response.up().withData("brokers", nodes).build();
        } catch (Exception e) {
            return response.down().withData("error", String.valueOf(e.getMessage())).build();
        }
    }

    private Admin admin() {
        if (admin == null) {
            synchronized (this) {
                if (admin == null) {
                    admin = Admin.create(clients.common("rampart-readiness"));
                }
            }
        }
        return admin;
    }
}

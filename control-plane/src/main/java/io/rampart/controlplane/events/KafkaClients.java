package io.rampart.controlplane.events;

import java.util.HashMap;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.common.config.SaslConfigs;

import io.rampart.controlplane.RampartConfig;

/** The client properties every Kafka client of the control plane shares (address, security). */
@ApplicationScoped
public class KafkaClients {

    @Inject
    RampartConfig config;

    public Map<String, Object> common(String clientId) {
        Map<String, Object> properties = new HashMap<>(config.kafka().client());
        properties.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, config.kafka().bootstrapServers());
        properties.put(CommonClientConfigs.CLIENT_ID_CONFIG, clientId);
        config.kafka().securityProtocol().ifPresent(v -> properties.put(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, v));
        config.kafka().saslMechanism().ifPresent(v -> properties.put(SaslConfigs.SASL_MECHANISM, v));
        config.kafka().saslJaasConfig().ifPresent(v -> properties.put(SaslConfigs.SASL_JAAS_CONFIG, v));
        return properties;
    }

    public String auditTopic() {
        return config.kafka().auditTopic();
    }

    public String complianceTopic() {
        return config.kafka().complianceTopic();
    }

    public String agentEventsTopic() {
        return config.kafka().agentEventsTopic();
    }
}

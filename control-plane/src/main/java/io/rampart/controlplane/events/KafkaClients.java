package io.rampart.controlplane.events;

import java.util.HashMap;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.apache.kafka.clients.CommonClientConfigs;

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
        return properties;
    }

    public String agentEventsTopic() {
        return config.kafka().agentEventsTopic();
    }
}

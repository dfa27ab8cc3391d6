package io.rampart.controlplane.events;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.jboss.logging.Logger;

import io.rampart.controlplane.RampartConfig;

/** Creates the control plane's topics (agent-events, audit, compliance, dead letters) when they are missing, so a fresh cluster works without manual steps. */
@ApplicationScoped
public class TopicSetup {

    private static final Logger LOG = Logger.getLogger(TopicSetup.class);

    @Inject
    KafkaClients clients;
    @Inject
    RampartConfig config;

    public void ensureTopics() {
        RampartConfig.Kafka kafka = config.kafka();
        NewTopic agentEvents = new NewTopic(kafka.agentEventsTopic(), kafka.agentEventsPartitions(), kafka.replicationFactor())
                // the event log is the system of record: it is never deleted by age
                .configs(Map.of(TopicConfig.RETENTION_MS_CONFIG, "-1",
                        TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG, String.valueOf(Math.min(2, kafka.replicationFactor()))));
        NewTopic audit = new NewTopic(kafka.auditTopic(), 3, kafka.replicationFactor()).configs(agentEvents.configs());
        NewTopic compliance = new NewTopic(kafka.complianceTopic(), 3, kafka.replicationFactor()).configs(agentEvents.configs());
        // a dead letter is evidence that was not applied: kept as durably, and as long, as the topics it comes from
        NewTopic deadLetters = new NewTopic(kafka.deadLettersTopic(), 3, kafka.replicationFactor()).configs(agentEvents.configs());
        try (Admin admin = Admin.create(clients.common("rampart-topic-setup"))) {
            for (NewTopic topic : List.of(agentEvents, audit, compliance, deadLetters)) {
                create(admin, topic);
            }
        } catch (TimeoutException e) {
            throw new IllegalStateException("Kafka at " + kafka.bootstrapServers() + " did not answer within 60 s", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while creating Kafka topics", e);
        }
    }

    private void create(Admin admin, NewTopic topic) throws InterruptedException, TimeoutException {
        try {
            admin.createTopics(List.of(topic)).all().get(60, TimeUnit.SECONDS);
            LOG.infof("Created topic %s with %d partitions", topic.name(), topic.numPartitions());
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw new IllegalStateException("Could not create the topic " + topic.name()
                        + " on " + config.kafka().bootstrapServers() + ": " + e.getCause().getMessage(), e);
            }
        }
    }
}

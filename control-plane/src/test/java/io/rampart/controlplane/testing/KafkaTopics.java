package io.rampart.controlplane.testing;

import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/** Makes the tests' real Kafka refuse, then take again, every write to one topic. */
public final class KafkaTopics {

    private KafkaTopics() {
    }

    /**
     * Kafka itself refuses every write to the topic: its max.message.bytes is made smaller than any record batch.
     * (A min.insync.replicas above the replication factor would not do: the broker caps it at the replicas there are.)
     */
    public static void refuseWrites(String topic) {
        alterTopic(topic, new AlterConfigOp(new ConfigEntry("max.message.bytes", "16"), AlterConfigOp.OpType.SET));
        // the broker applies a topic's new configuration a moment later: wait until it refuses a write
        await().atMost(Duration.ofSeconds(60)).until(() -> !probeAccepted(topic));
    }

    public static void acceptWrites(String topic) {
        alterTopic(topic, new AlterConfigOp(new ConfigEntry("max.message.bytes", ""), AlterConfigOp.OpType.DELETE));
        await().atMost(Duration.ofSeconds(60)).until(() -> probeAccepted(topic));
    }

    private static void alterTopic(String topic, AlterConfigOp change) {
        try (Admin admin = Admin.create(Map.of(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, RealServers.bootstrapServers()))) {
            admin.incrementalAlterConfigs(Map.of(new ConfigResource(ConfigResource.Type.TOPIC, topic), List.of(change)))
                    .all().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Writes an empty record (every message type reads it as all defaults, which every consumer ignores) with acks=all. */
    private static boolean probeAccepted(String topic) {
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, RealServers.bootstrapServers(), ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 3000, ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 2000,
                ProducerConfig.LINGER_MS_CONFIG, 0), new StringSerializer(), new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(topic, "probe-" + UUID.randomUUID(), new byte[0])).get(10, TimeUnit.SECONDS);
            return true;
        } catch (Exception refused) {
            return false;
        }
    }
}

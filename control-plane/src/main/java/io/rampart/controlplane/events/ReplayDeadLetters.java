package io.rampart.controlplane.events;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The platform operator's command that puts one consumer's dead letters back on the topics they came from, once the
 * cause is fixed (see the README, Operations). Run on a host that reaches Kafka:
 *
 * <pre>
 * java -cp 'control-plane/target/quarkus-app/lib/main/*:control-plane/target/quarkus-app/app/*' \
 *     io.rampart.controlplane.events.ReplayDeadLetters --bootstrap-servers kafka:9092 --consumer fleet-projection [--dry-run]
 * </pre>
 *
 * Each dead letter of that consumer is written again to its source topic and partition with its key, value and own
 * headers (plus {@code rampart.replayed-from}); the dead letters read are then committed for the consumer group
 * {@code rampart-dead-letter-replay-<consumer>}, so a second run replays only newer ones. A run cut short between the
 * two replays some again: harmless, because every consumer applies an event id once. Exit code 0 when done, 2 on
 * wrong arguments, 1 when Kafka did not take the records.
 */
public final class ReplayDeadLetters {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private ReplayDeadLetters() {
    }

    public static void main(String... args) {
        Map<String, String> options = new HashMap<>();
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--dry-run")) {
                options.put("dry-run", "true");
            } else if (args[i].startsWith("--") && i + 1 < args.length) {
                options.put(args[i].substring(2), args[++i]);
            } else {
                usage("unexpected argument " + args[i]);
            }
        }
        String consumer = options.get("consumer");
        String bootstrap = options.getOrDefault("bootstrap-servers", System.getenv("RAMPART_KAFKA_BOOTSTRAP_SERVERS"));
        if (consumer == null || bootstrap == null) {
            usage(consumer == null ? "--consumer is missing" : "--bootstrap-servers (or RAMPART_KAFKA_BOOTSTRAP_SERVERS) is missing");
        }
        Map<String, Object> client = new HashMap<>();
        client.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        if (options.containsKey("command-config")) {
            Properties extra = new Properties();
            try (InputStream in = Files.newInputStream(Path.of(options.get("command-config")))) {
                extra.load(in);
            } catch (IOException e) {
                usage("cannot read " + options.get("command-config") + ": " + e.getMessage());
            }
            extra.forEach((key, value) -> client.put(String.valueOf(key), value));
        }
        String topic = options.getOrDefault("topic", "rampart.dead-letters");
        try {
            int replayed = replay(client, topic, consumer, options.containsKey("dry-run"), System.out);
            System.out.println((options.containsKey("dry-run") ? "Would replay " : "Replayed ") + replayed + " dead letter(s) of " + consumer);
        } catch (RuntimeException | ExecutionException | TimeoutException | InterruptedException e) {
            System.err.println("Replay stopped; nothing after the last line above was replayed: " + e.getMessage());
            System.exit(1);
        }
    }

    /**
     * Replays the consumer's dead letters written to {@code deadLetterTopic} up to now and not replayed before.
     *
     * @param client Kafka client settings (bootstrap servers, security)
     * @param dryRun only print what would be replayed; commit nothing
     * @param out one line per dead letter: where it came from, why it failed, where it went again
     * @return how many dead letters were (or, dry run, would be) replayed
     */
    public static int replay(Map<String, Object> client, String deadLetterTopic, String consumerName, boolean dryRun, PrintStream out)
            throws ExecutionException, TimeoutException, InterruptedException {
        Map<String, Object> consumerSettings = new HashMap<>(client);
        consumerSettings.put(ConsumerConfig.GROUP_ID_CONFIG, "rampart-dead-letter-replay-" + consumerName);
        consumerSettings.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        Map<String, Object> producerSettings = new HashMap<>(client);
        producerSettings.put(ProducerConfig.ACKS_CONFIG, "all");
        producerSettings.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        int replayed = 0;
        try (KafkaConsumer<String, byte[]> reader = new KafkaConsumer<>(consumerSettings, new StringDeserializer(), new ByteArrayDeserializer());
                KafkaProducer<String, byte[]> writer = new KafkaProducer<>(producerSettings, new StringSerializer(), new ByteArraySerializer())) {
            List<TopicPartition> partitions = reader.partitionsFor(deadLetterTopic, TIMEOUT).stream()
                    .map(info -> new TopicPartition(info.topic(), info.partition())).toList();
            reader.assign(partitions);
            Map<TopicPartition, Long> ends = reader.endOffsets(partitions, TIMEOUT);
            Map<TopicPartition, OffsetAndMetadata> committed = reader.committed(Set.copyOf(partitions), TIMEOUT);
            for (TopicPartition partition : partitions) {
                OffsetAndMetadata from = committed.get(partition);
                if (from == null) {
                    reader.seekToBeginning(List.of(partition));
                } else {
                    reader.seek(partition, from.offset());
                }
            }
            while (partitions.stream().anyMatch(p -> reader.position(p, TIMEOUT) < ends.get(p))) {
                List<ConsumerRecord<String, byte[]>> batch = new ArrayList<>();
                reader.poll(Duration.ofMillis(500)).forEach(record -> {
                    if (record.offset() < ends.get(new TopicPartition(record.topic(), record.partition()))) {
                        batch.add(record);
                    }
                });
                for (ConsumerRecord<String, byte[]> record : batch) {
                    if (consumerName.equals(header(record, DeadLetters.CONSUMER))) {
                        replayed++;
                        out.println(describe(record) + (dryRun ? "" : " -> " + where(writer.send(again(record)).get(TIMEOUT.toSeconds(), TimeUnit.SECONDS))));
                    }
                }
                if (!dryRun && !batch.isEmpty()) {
                    Map<TopicPartition, OffsetAndMetadata> done = new HashMap<>();
                    for (ConsumerRecord<String, byte[]> record : batch) {
                        done.merge(new TopicPartition(record.topic(), record.partition()), new OffsetAndMetadata(record.offset() + 1),
                                (a, b) -> a.offset() > b.offset() ? a : b);
                    }
                    reader.commitSync(done, TIMEOUT);
                }
            }
        }
        return replayed;
    }

    /** The dead letter as it was before it failed: source topic and partition, key, value, its own headers. */
    private static ProducerRecord<String, byte[]> again(ConsumerRecord<String, byte[]> deadLetter) {
        RecordHeaders headers = new RecordHeaders();
        for (Header header : deadLetter.headers()) {
            if (!header.key().startsWith("rampart.dead-letter.") && !header.key().equals("rampart.replayed-from")) {
                headers.add(header);
            }
        }
        headers.add("rampart.replayed-from", where(deadLetter.topic(), deadLetter.partition(), deadLetter.offset()).getBytes(StandardCharsets.UTF_8));
        return new ProducerRecord<>(header(deadLetter, DeadLetters.SOURCE_TOPIC), Integer.valueOf(header(deadLetter, DeadLetters.SOURCE_PARTITION)),
                deadLetter.key(), deadLetter.value(), headers);
    }

    private static String describe(ConsumerRecord<String, byte[]> deadLetter) {
        return where(deadLetter.topic(), deadLetter.partition(), deadLetter.offset()) + " (was "
                + header(deadLetter, DeadLetters.SOURCE_TOPIC) + "-" + header(deadLetter, DeadLetters.SOURCE_PARTITION) + "@"
                + header(deadLetter, DeadLetters.SOURCE_OFFSET) + ", key " + deadLetter.key() + ", dead-lettered at "
                + header(deadLetter, DeadLetters.DEAD_LETTERED_AT) + " after " + header(deadLetter, DeadLetters.ATTEMPTS) + " attempts: "
                + header(deadLetter, DeadLetters.REASON) + ")";
    }

    private static String where(RecordMetadata written) {
        return where(written.topic(), written.partition(), written.offset());
    }

    private static String where(String topic, int partition, long offset) {
        return topic + "-" + partition + "@" + offset;
    }

    private static String header(ConsumerRecord<String, byte[]> record, String key) {
        Header header = record.headers().lastHeader(key);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    private static void usage(String problem) {
        System.err.println(problem + "\nUsage: ReplayDeadLetters --consumer <fleet-projection|alerts|...> --bootstrap-servers <host:port>"
                + " [--topic rampart.dead-letters] [--command-config <client.properties>] [--dry-run]");
        System.exit(2);
    }
}

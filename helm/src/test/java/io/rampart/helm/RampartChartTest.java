package io.rampart.helm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.Yaml;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;

/** Lints and renders the control-plane chart with the helm library, as `helm lint` and `helm template` would. */
class RampartChartTest {

    private static final Path CHART = Paths.get(System.getProperty("rampart.chart.dir", "rampart")).toAbsolutePath();
    private static final Path MINIMAL = CHART.resolve("ci/minimal-values.yaml");
    private static final Path FULL = CHART.resolve("ci/with-ingress-and-hpa-values.yaml");
    private static final String DB_PASSWORD = "s3cret-never-rendered";

    @TempDir
    Path temp;

    static Stream<Path> ciValuesFiles() throws IOException {
        try (Stream<Path> files = Files.list(CHART.resolve("ci"))) {
            List<Path> found = files.filter(f -> f.getFileName().toString().endsWith("-values.yaml")).sorted()
                    .collect(Collectors.toList());
            assertThat(found).isNotEmpty();
            return found.stream();
        }
    }

    @ParameterizedTest
    @MethodSource("ciValuesFiles")
    void lintReportsNoErrorsForEveryCiScenario(Path valuesFile) throws IOException {
        LintResult result = new Helm(chartWithDefaultsMergedFrom(valuesFile)).lint().call();

        assertThat(result.getMessages()).noneMatch(m -> m.contains("[ERROR]"));
        assertThat(result.isFailed()).as("lint failed: %s", result.getMessages()).isFalse();
    }

    @Test
    void lintOfTheBareChartNamesTheValuesAnOperatorMustGive() {
        LintResult result = new Helm(CHART).lint().call();

        assertThat(result.isFailed()).isTrue();
        assertThat(String.join("\n", result.getMessages())).contains("jdbcUrl");
    }

    @Test
    void deploymentExposesHttpGrpcAndManagementAsSeparateContainerPorts() {
        Map<String, Object> container = controlPlaneContainer(render(MINIMAL));

        assertThat(list(container, "ports")).extracting(p -> p.get("name"), p -> p.get("containerPort"))
                .containsExactly(org.assertj.core.groups.Tuple.tuple("http", 8080),
                        org.assertj.core.groups.Tuple.tuple("grpc", 9000),
                        org.assertj.core.groups.Tuple.tuple("management", 9001));
        // the application is told the same port the probes and the Service use
        assertThat(list(container, "env")).contains(Map.of("name", "QUARKUS_MANAGEMENT_PORT", "value", "9001"));
    }

    @Test
    void serviceRoutesHttpOn8080TheGrpcAgentApiOn9000AndManagementOn9001() {
        Map<String, Object> service = single(render(MINIMAL), "Service");

        assertThat(list(map(service, "spec"), "ports"))
                .extracting(p -> p.get("name"), p -> p.get("port"), p -> p.get("targetPort"), p -> p.get("appProtocol"))
                .containsExactly(org.assertj.core.groups.Tuple.tuple("http", 8080, "http", "http"),
                        org.assertj.core.groups.Tuple.tuple("grpc", 9000, "grpc", "grpc"),
                        org.assertj.core.groups.Tuple.tuple("management", 9001, "management", "http"));
    }

    @Test
    void probesCheckTheQuarkusHealthEndpointsOnTheManagementPort() {
        Map<String, Object> container = controlPlaneContainer(render(MINIMAL));

        assertThat(map(map(container, "livenessProbe"), "httpGet")).containsEntry("path", "/q/health/live")
                .containsEntry("port", "management");
        assertThat(map(map(container, "readinessProbe"), "httpGet")).containsEntry("path", "/q/health/ready")
                .containsEntry("port", "management");
        assertThat(map(map(container, "startupProbe"), "httpGet")).containsEntry("path", "/q/health/started")
                .containsEntry("port", "management");
    }

    @Test
    void containerNeverStartsEmbeddedServersAndGetsTheRequiredSettings() {
        List<Map<String, Object>> docs = render(MINIMAL);
        Map<String, Object> environment = environmentOf(docs);

        assertThat(environment).containsEntry("RAMPART_EMBEDDED_ENABLED", "false")
                .containsEntry("QUARKUS_DATASOURCE_JDBC_URL", "jdbc:postgresql://postgresql.databases.svc:5432/rampart")
                .containsEntry("RAMPART_KAFKA_BOOTSTRAP_SERVERS",
                        "kafka-0.kafka.svc:9092,kafka-1.kafka.svc:9092,kafka-2.kafka.svc:9092")
                .containsEntry("QUARKUS_OIDC_CLIENT_ID", "rampart-control-plane")
                .doesNotContainKeys("RAMPART_KAFKA_SASL_JAAS_CONFIG", "RAMPART_KAFKA_SECURITY_PROTOCOL",
                        "QUARKUS_OIDC_AUTH_SERVER_URL", "QUARKUS_OIDC_CREDENTIALS_SECRET");
    }

    @Test
    void theAgentsCaComesFromItsExistingSecretMountedReadOnlyWhereTheControlPlaneLooks() {
        List<Map<String, Object>> docs = render(MINIMAL);

        assertThat(environmentOf(docs)).containsEntry("RAMPART_AGENTS_CA_DIR", "/etc/rampart/agent-ca");
        assertThat(list(podSpec(docs), "volumes")).contains(
                Map.of("name", "agent-ca", "secret", Map.of("secretName", "rampart-agent-ca", "defaultMode", 256)));
        assertThat(list(controlPlaneContainer(docs), "volumeMounts")).contains(
                Map.of("name", "agent-ca", "mountPath", "/etc/rampart/agent-ca", "readOnly", true));
    }

    @Test
    void databaseCredentialsComeFromTheExistingSecretAndAreNeverInlined() {
        List<Map<String, Object>> docs = render(MINIMAL);

        assertThat(environmentOf(docs).get("QUARKUS_DATASOURCE_USERNAME"))
                .isEqualTo(Map.of("secretKeyRef", Map.of("name", "rampart-postgresql", "key", "username")));
        assertThat(environmentOf(docs).get("QUARKUS_DATASOURCE_PASSWORD"))
                .isEqualTo(Map.of("secretKeyRef", Map.of("name", "rampart-postgresql", "key", "password")));
        assertThat(docs).noneMatch(d -> "Secret".equals(d.get("kind")));
    }

    @Test
    void valuesCannotCarryAPlaintextDatabasePassword() {
        assertThatThrownBy(() -> template(MINIMAL, Map.of("postgresql.password", DB_PASSWORD)))
                .hasMessageContaining("password")
                .hasMessageNotContaining(DB_PASSWORD);
    }

    @Test
    void kafkaSaslAndKeycloakSettingsComeFromValuesAndExistingSecrets() {
        Map<String, Object> environment = environmentOf(render(FULL));

        assertThat(environment).containsEntry("RAMPART_KAFKA_SECURITY_PROTOCOL", "SASL_SSL")
                .containsEntry("RAMPART_KAFKA_SASL_MECHANISM", "SCRAM-SHA-512")
                .containsEntry("RAMPART_KAFKA_SASL_JAAS_CONFIG",
                        Map.of("secretKeyRef", Map.of("name", "rampart-kafka", "key", "sasl.jaas.config")))
                .containsEntry("QUARKUS_OIDC_AUTH_SERVER_URL", "https://sso.example.com/realms/rampart")
                .containsEntry("QUARKUS_OIDC_CREDENTIALS_SECRET",
                        Map.of("secretKeyRef", Map.of("name", "rampart-oidc", "key", "client-secret")))
                .containsEntry("QUARKUS_DATASOURCE_PASSWORD",
                        Map.of("secretKeyRef", Map.of("name", "rampart-postgresql", "key", "db-password")))
                .containsEntry("QUARKUS_LOG_LEVEL", "INFO")
                .containsEntry("JAVA_OPTS_APPEND", "-XX:MaxRAMPercentage=75.0");
    }

    @Test
    void podsRunAsNonRootOnAReadOnlyRootFilesystemWithAWritableTmpAndResources() {
        List<Map<String, Object>> docs = render(MINIMAL);
        Map<String, Object> podSpec = podSpec(docs);
        Map<String, Object> container = controlPlaneContainer(docs);

        assertThat(map(podSpec, "securityContext")).containsEntry("runAsNonRoot", true);
        assertThat(map(container, "securityContext")).containsEntry("readOnlyRootFilesystem", true)
                .containsEntry("allowPrivilegeEscalation", false).containsEntry("runAsNonRoot", true);
        // the only writable place is /tmp; the agents' CA is read-only
        assertThat(list(container, "volumeMounts")).containsExactly(Map.of("name", "tmp", "mountPath", "/tmp"),
                Map.of("name", "agent-ca", "mountPath", "/etc/rampart/agent-ca", "readOnly", true));
        assertThat(list(podSpec, "volumes")).filteredOn(v -> v.containsKey("emptyDir")).singleElement()
                .satisfies(v -> assertThat(v).containsEntry("name", "tmp"));
        assertThat(map(container, "resources")).containsKeys("requests", "limits");
    }

    @Test
    void imageTagDefaultsToTheChartAppVersion() {
        assertThat(controlPlaneContainer(render(MINIMAL))).containsEntry("image", "rampart/control-plane:0.1.0");
    }

    @Test
    void everyResourceCarriesTheStandardKubernetesLabels() {
        assertThat(render(FULL)).allSatisfy(doc -> assertThat(map(map(doc, "metadata"), "labels"))
                .containsEntry("app.kubernetes.io/name", "rampart")
                .containsEntry("app.kubernetes.io/instance", "rampart")
                .containsEntry("app.kubernetes.io/version", "0.1.0")
                .containsEntry("app.kubernetes.io/managed-by", "Helm")
                .containsKey("helm.sh/chart"));
    }

    @Test
    void rendersNoIngressAutoscalerOrDisruptionBudgetUnlessEnabled() {
        List<String> kinds = kinds(render(MINIMAL));

        assertThat(kinds).containsExactlyInAnyOrder("ServiceAccount", "ConfigMap", "Service", "Deployment");
        assertThat(map(single(render(MINIMAL), "Deployment"), "spec")).containsEntry("replicas", 2);
    }

    @Test
    void rendersIngressAutoscalerAndDisruptionBudgetWhenEnabled() {
        List<Map<String, Object>> docs = render(FULL);

        assertThat(kinds(docs)).contains("Ingress", "HorizontalPodAutoscaler", "PodDisruptionBudget");
        assertThat(map(single(docs, "Deployment"), "spec")).doesNotContainKey("replicas");
        assertThat(map(single(docs, "HorizontalPodAutoscaler"), "spec")).containsEntry("minReplicas", 3)
                .containsEntry("maxReplicas", 12);
        assertThat(map(single(docs, "PodDisruptionBudget"), "spec")).containsEntry("minAvailable", 2);
        Map<String, Object> rule = list(map(single(docs, "Ingress"), "spec"), "rules").get(0);
        Map<String, Object> path = list(map(rule, "http"), "paths").get(0);
        assertThat(map(map(path, "backend"), "service")).isEqualTo(Map.of("name", "rampart", "port", Map.of("name", "http")));
        // every path of every host goes to the http port: health and the per-provider metrics stay off the Ingress
        assertThat(list(map(single(docs, "Ingress"), "spec"), "rules")).flatExtracting(r -> list(map(r, "http"), "paths"))
                .extracting(p -> map(map(map(p, "backend"), "service"), "port").get("name")).containsOnly("http");
    }

    @Test
    void rendersNoServiceMonitorUnlessEnabled() {
        assertThat(kinds(render(MINIMAL))).doesNotContain("ServiceMonitor");
        assertThat(kinds(render(FULL))).doesNotContain("ServiceMonitor");
    }

    @Test
    void theServiceMonitorScrapesQMetricsOnTheServicesManagementPortWithTheGivenIntervalAndLabels() {
        List<Map<String, Object>> docs = documents(template(MINIMAL, Map.of("metrics.serviceMonitor.enabled", true,
                "metrics.serviceMonitor.interval", "15s", "metrics.serviceMonitor.labels.release", "kube-prometheus-stack")));
        Map<String, Object> monitor = single(docs, "ServiceMonitor");
        Map<String, Object> service = single(docs, "Service");

        assertThat(monitor).containsEntry("apiVersion", "monitoring.coreos.com/v1");
        assertThat(map(monitor, "metadata")).containsEntry("name", "rampart").doesNotContainKey("namespace");
        assertThat(map(map(monitor, "metadata"), "labels")).containsEntry("release", "kube-prometheus-stack")
                .containsEntry("app.kubernetes.io/name", "rampart");
        // it selects exactly the control-plane Service (by the labels the Service carries), on its port named management
        Map<String, Object> selector = map(map(map(monitor, "spec"), "selector"), "matchLabels");
        assertThat(map(map(service, "metadata"), "labels")).containsAllEntriesOf(selector);
        assertThat(list(map(service, "spec"), "ports")).extracting(p -> p.get("name")).contains("management");
        assertThat(list(map(monitor, "spec"), "endpoints")).singleElement().satisfies(endpoint -> assertThat(endpoint)
                .containsEntry("port", "management").containsEntry("path", "/q/metrics").containsEntry("interval", "15s")
                .containsEntry("scrapeTimeout", "10s"));
        assertThat(map(monitor, "spec")).doesNotContainKey("namespaceSelector");
    }

    @Test
    void aServiceMonitorInPrometheusNamespaceSelectsTheServiceInTheReleaseNamespace() {
        Map<String, Object> monitor = single(documents(template(MINIMAL, Map.of("metrics.serviceMonitor.enabled", true,
                "metrics.serviceMonitor.namespace", "monitoring"))), "ServiceMonitor");

        assertThat(map(monitor, "metadata")).containsEntry("namespace", "monitoring");
        assertThat(map(map(monitor, "spec"), "namespaceSelector")).isEqualTo(Map.of("matchNames", List.of("rampart")));
    }

    @Test
    void aScrapeIntervalThatIsNoDurationIsRefused() {
        assertThatThrownBy(() -> template(MINIMAL, Map.of("metrics.serviceMonitor.enabled", true, "metrics.serviceMonitor.interval", "often")))
                .hasMessageContaining("interval");
    }

    @Test
    void ingressAloneDoesNotBringAnAutoscalerOrDisruptionBudget() {
        List<String> kinds = kinds(documents(template(MINIMAL, Map.of("ingress.enabled", true))));

        assertThat(kinds).contains("Ingress").doesNotContain("HorizontalPodAutoscaler", "PodDisruptionBudget");
    }

    @ParameterizedTest
    @ValueSource(strings = { "postgresql.jdbcUrl", "postgresql.existingSecret", "kafka.bootstrapServers", "agentCa.existingSecret" })
    void renderingWithoutARequiredValueFailsNamingIt(String required) throws IOException {
        Path values = valuesWith(MINIMAL, v -> {
            String[] key = required.split("\\.");
            ((Map<String, Object>) v.get(key[0])).remove(key[1]);
            return v;
        });

        assertThatThrownBy(() -> template(values, Map.of())).hasMessageContaining(required.split("\\.")[1])
                .hasMessageContaining(required.split("\\.")[0]);
    }

    @Test
    void configCannotOverrideTheSettingsTheChartOwns() {
        assertThatThrownBy(() -> template(MINIMAL, Map.of("config.RAMPART_EMBEDDED_ENABLED", "true")))
                .hasMessageContaining("config.RAMPART_EMBEDDED_ENABLED is set by the chart");
    }

    // --- rendering and parsing

    private static String template(Path valuesFile, Map<String, Object> sets) {
        var command = new Helm(CHART).template().withName("rampart").withNamespace("rampart")
                .withValuesFile(valuesFile);
        sets.forEach(command::set);
        return command.call();
    }

    private static List<Map<String, Object>> render(Path valuesFile) {
        return documents(template(valuesFile, Map.of()));
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> documents(String rendered) {
        List<Map<String, Object>> docs = new ArrayList<>();
        for (Object doc : new Yaml().loadAll(rendered)) {
            if (doc != null) {
                docs.add((Map<String, Object>) doc);
            }
        }
        return docs;
    }

    private static List<String> kinds(List<Map<String, Object>> docs) {
        return docs.stream().map(d -> (String) d.get("kind")).collect(Collectors.toList());
    }

    private static Map<String, Object> single(List<Map<String, Object>> docs, String kind) {
        List<Map<String, Object>> found = docs.stream().filter(d -> kind.equals(d.get("kind")))
                .collect(Collectors.toList());
        assertThat(found).as("documents of kind %s", kind).hasSize(1);
        return found.get(0);
    }

    private static Map<String, Object> podSpec(List<Map<String, Object>> docs) {
        return map(map(map(single(docs, "Deployment"), "spec"), "template"), "spec");
    }

    private static Map<String, Object> controlPlaneContainer(List<Map<String, Object>> docs) {
        List<Map<String, Object>> containers = list(podSpec(docs), "containers");
        assertThat(containers).hasSize(1);
        return containers.get(0);
    }

    /**
     * What the container sees: the ConfigMaps it loads with envFrom, overridden by its env
     * entries (a plain value, or the valueFrom source).
     */
    private static Map<String, Object> environmentOf(List<Map<String, Object>> docs) {
        Map<String, Object> container = controlPlaneContainer(docs);
        Map<String, Object> environment = new HashMap<>();
        for (Map<String, Object> source : list(container, "envFrom")) {
            String name = (String) map(source, "configMapRef").get("name");
            docs.stream().filter(d -> "ConfigMap".equals(d.get("kind")))
                    .filter(d -> name.equals(map(d, "metadata").get("name")))
                    .forEach(d -> environment.putAll(map(d, "data")));
        }
        for (Map<String, Object> env : list(container, "env")) {
            environment.put((String) env.get("name"), env.containsKey("value") ? env.get("value") : env.get("valueFrom"));
        }
        return environment;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Map<String, Object> parent, String key) {
        assertThat(parent).containsKey(key);
        return (Map<String, Object>) parent.get(key);
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> list(Map<String, Object> parent, String key) {
        assertThat(parent).containsKey(key);
        return (List<Map<String, Object>>) parent.get(key);
    }

    // --- values files

    private Path valuesWith(Path valuesFile, UnaryOperator<Map<String, Object>> change) throws IOException {
        Path changed = temp.resolve("changed-values.yaml");
        try (Writer out = Files.newBufferedWriter(changed)) {
            yaml().dump(change.apply(load(valuesFile)), out);
        }
        return changed;
    }

    /**
     * helm-java's lint takes no values file, so the scenario is linted as chart-testing does it:
     * a copy of the chart whose values.yaml is the chart's defaults overlaid with the scenario.
     */
    private Path chartWithDefaultsMergedFrom(Path valuesFile) throws IOException {
        Path copy = temp.resolve("rampart");
        try (Stream<Path> files = Files.walk(CHART)) {
            for (Path source : (Iterable<Path>) files::iterator) {
                Path target = copy.resolve(CHART.relativize(source).toString());
                if (Files.isDirectory(source)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(source, target);
                }
            }
        }
        Map<String, Object> merged = deepMerge(load(CHART.resolve("values.yaml")), load(valuesFile));
        try (Writer out = Files.newBufferedWriter(copy.resolve("values.yaml"))) {
            yaml().dump(merged, out);
        }
        return copy;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> deepMerge(Map<String, Object> base, Map<String, Object> overlay) {
        Map<String, Object> merged = new LinkedHashMap<>(base);
        overlay.forEach((key, value) -> {
            Object current = merged.get(key);
            if (current instanceof Map && value instanceof Map) {
                merged.put(key, deepMerge((Map<String, Object>) current, (Map<String, Object>) value));
            } else {
                merged.put(key, value);
            }
        });
        return merged;
    }

    private static Map<String, Object> load(Path file) throws IOException {
        try (Reader in = Files.newBufferedReader(file)) {
            return new Yaml().load(in);
        }
    }

    private static Yaml yaml() {
        DumperOptions options = new DumperOptions();
        options.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
        return new Yaml(options);
    }
}

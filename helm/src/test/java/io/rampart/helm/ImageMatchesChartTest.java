package io.rampart.helm;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Collectors;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

import com.marcnuri.helm.Helm;

/**
 * The image the build makes (control-plane/src/main/docker/Dockerfile.jvm, named by quarkus.container-image.*
 * in the control plane's application.properties) against the pod the chart renders: same user, same ports,
 * health paths the control plane serves on the port the probes ask, the jar the entrypoint runs, the name
 * and tag the chart pulls. No image is built here (no container engine); both sides are read as files.
 */
class ImageMatchesChartTest {

    private static final Path CHART = Paths.get(System.getProperty("rampart.chart.dir", "rampart")).toAbsolutePath();
    private static final Path CONTROL_PLANE = Paths
            .get(System.getProperty("rampart.control-plane.dir", CHART.resolve("../../control-plane").toString()))
            .toAbsolutePath().normalize();
    private static final Path DOCKERFILE = CONTROL_PLANE.resolve("src/main/docker/Dockerfile.jvm");
    private static final Path APPLICATION_PROPERTIES = CONTROL_PLANE.resolve("src/main/resources/application.properties");
    /** The Maven project version; a release builds the image with it as the tag (quarkus.container-image.tag's default). */
    private static final String PROJECT_VERSION = System.getProperty("rampart.project.version", "0.1.0-SNAPSHOT");

    private static Dockerfile image;
    private static Properties application;
    private static Map<String, Object> podSpec;
    private static Map<String, Object> container;

    @BeforeAll
    static void readBothSides() throws IOException {
        image = Dockerfile.read(DOCKERFILE);
        application = new Properties();
        try (Reader in = Files.newBufferedReader(APPLICATION_PROPERTIES)) {
            application.load(in);
        }
        String rendered = new Helm(CHART).template().withName("rampart").withNamespace("rampart")
                .withValuesFile(CHART.resolve("ci/minimal-values.yaml")).call();
        Map<String, Object> deployment = documents(rendered).stream().filter(d -> "Deployment".equals(d.get("kind")))
                .findFirst().orElseThrow();
        podSpec = map(map(map(deployment, "spec"), "template"), "spec");
        List<Map<String, Object>> containers = list(podSpec, "containers");
        assertThat(containers).hasSize(1);
        container = containers.get(0);
    }

    @Test
    void theImageRunsAsTheUserTheChartRunsThePodAsAndOwnsItsFilesAsThatUser() {
        String runAsUser = String.valueOf(map(podSpec, "securityContext").get("runAsUser"));

        assertThat(image.user()).as("USER of %s against podSecurityContext.runAsUser", DOCKERFILE).isEqualTo(runAsUser);
        assertThat(image.copies()).allSatisfy(copy -> assertThat(copy.options()).as("COPY %s", copy.sources())
                .containsEntry("chown", runAsUser));
    }

    @Test
    void theImageExposesExactlyTheChartsContainerPortsAndTheControlPlaneListensOnThem() {
        Map<String, Integer> chartPorts = new LinkedHashMap<>();
        list(container, "ports").forEach(p -> chartPorts.put((String) p.get("name"), (Integer) p.get("containerPort")));

        assertThat(image.exposedPorts()).as("EXPOSE of %s against the chart's container ports %s", DOCKERFILE, chartPorts)
                .containsExactlyInAnyOrderElementsOf(chartPorts.values());
        // the same numbers are the control plane's own defaults, so the image run without the chart listens there too
        assertThat(Map.of("http", property("quarkus.http.port"), "grpc", property("quarkus.grpc.server.port"),
                "management", property("quarkus.management.port")))
                .isEqualTo(chartPorts.entrySet().stream()
                        .collect(Collectors.toMap(Map.Entry::getKey, e -> String.valueOf(e.getValue()))));
    }

    @Test
    void theProbesAskForHealthPathsTheControlPlaneServesOnItsManagementPort() {
        // quarkus.management.enabled moves /q/health to the management interface (fixed at build time)
        assertThat(property("quarkus.management.enabled")).isEqualTo("true");
        String root = "/" + strip(application.getProperty("quarkus.management.root-path", "q")) + "/"
                + strip(application.getProperty("quarkus.smallrye-health.root-path", "health")) + "/";
        Map<String, String> served = Map.of(
                "startupProbe", root + strip(application.getProperty("quarkus.smallrye-health.startup-path", "started")),
                "livenessProbe", root + strip(application.getProperty("quarkus.smallrye-health.liveness-path", "live")),
                "readinessProbe", root + strip(application.getProperty("quarkus.smallrye-health.readiness-path", "ready")));

        served.forEach((probe, path) -> assertThat(map(map(container, probe), "httpGet")).as(probe)
                .containsEntry("path", path).containsEntry("port", "management"));
        assertThat(list(container, "ports")).filteredOn(p -> "management".equals(p.get("name"))).singleElement()
                .satisfies(p -> assertThat(String.valueOf(p.get("containerPort"))).isEqualTo(property("quarkus.management.port")));
    }

    @Test
    void theControlPlaneServesHealthBecauseItCarriesTheSmallRyeHealthExtension() throws IOException {
        assertThat(Files.readString(CONTROL_PLANE.resolve("pom.xml"))).contains("<artifactId>quarkus-smallrye-health</artifactId>");
    }

    @Test
    void theEntrypointRunsTheQuarkusRunJarTheImageCopiesFromTheFastJarLayout() {
        Map<String, String> environment = image.environment();
        String jarDirectory = image.copies().stream().filter(c -> c.sources().contains("target/quarkus-app/*.jar"))
                .map(Dockerfile.Copy::destination).findFirst().orElseThrow();
        List<String> layout = image.copies().stream().flatMap(c -> c.sources().stream()).collect(Collectors.toList());

        assertThat(image.entrypoint()).containsExactly("/opt/jboss/container/java/run/run-java.sh");
        assertThat(environment.get("JAVA_APP_JAR")).isEqualTo(withSlash(jarDirectory) + "quarkus-run.jar");
        // run-java.sh starts the JVM in JAVA_APP_DIR; relative paths of the configuration resolve there
        assertThat(withSlash(image.last("WORKDIR"))).isEqualTo(withSlash(environment.get("JAVA_APP_DIR")))
                .isEqualTo(withSlash(jarDirectory));
        // the fast-jar layout: quarkus-run.jar finds lib/, app/ and quarkus/ beside it
        assertThat(layout).contains("target/quarkus-app/lib/", "target/quarkus-app/app/", "target/quarkus-app/quarkus/");
        assertThat(application.getProperty("quarkus.package.jar.type", "fast-jar")).isEqualTo("fast-jar");
    }

    @Test
    void theImageServesTheAgentJarItCarries() {
        String copied = image.copies().stream().filter(c -> c.sources().contains("target/agent/rampart-agent.jar"))
                .map(Dockerfile.Copy::destination).findFirst().orElseThrow();

        assertThat(image.environment()).containsEntry("RAMPART_AGENTS_AGENT_JAR", copied);
    }

    @Test
    void theImageRunsAgainstExternalServersAndWritesOnlyUnderTheChartsWritableTmp() {
        Map<String, String> environment = image.environment();
        List<String> writable = new ArrayList<>();
        list(container, "volumeMounts").stream().filter(m -> !Boolean.TRUE.equals(m.get("readOnly")))
                .forEach(m -> writable.add((String) m.get("mountPath")));

        assertThat(map(container, "securityContext")).containsEntry("readOnlyRootFilesystem", true);
        assertThat(writable).containsExactly("/tmp");
        assertThat(environment.get("JAVA_OPTS_APPEND")).contains("-Djava.io.tmpdir=/tmp");
        // embedded mode would write PostgreSQL and Kafka under a data directory: off in the image and in the chart
        assertThat(environment).containsEntry("RAMPART_EMBEDDED_ENABLED", "false");
    }

    @Test
    void theChartPullsTheImageTheBuildNamesWithTheReleaseVersionAsItsTag() throws IOException {
        Map<String, Object> chart = load(CHART.resolve("Chart.yaml"));
        String release = PROJECT_VERSION.replaceFirst("-SNAPSHOT$", "");
        String built = property("quarkus.container-image.group") + "/" + property("quarkus.container-image.name");

        assertThat(map(load(CHART.resolve("values.yaml")), "image")).containsEntry("repository", built);
        // quarkus.container-image.tag is not set, so the build tags with the project version; a release's is the chart's appVersion
        assertThat(application.getProperty("quarkus.container-image.tag")).isNull();
        assertThat(chart.get("appVersion")).as("Chart.yaml appVersion against the project version %s", PROJECT_VERSION)
                .isEqualTo(release);
        assertThat(container).containsEntry("image", built + ":" + release);
    }

    // --- reading

    private static String property(String key) {
        String value = application.getProperty(key);
        assertThat(value).as("%s in %s", key, APPLICATION_PROPERTIES).isNotNull();
        return value.trim();
    }

    private static String strip(String path) {
        return path.replaceAll("^/+|/+$", "");
    }

    private static String withSlash(String directory) {
        return directory.endsWith("/") ? directory : directory + "/";
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

    private static Map<String, Object> load(Path file) throws IOException {
        try (Reader in = Files.newBufferedReader(file)) {
            return new Yaml().load(in);
        }
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
}

package io.rampart.agent.transport;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.reflect.Constructor;
import java.lang.reflect.Method;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.spi.ToolProvider;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

import io.grpc.okhttp.OkHttpChannelBuilder;

/**
 * The agent ships okio 1.17.6 (Java) where grpc-okhttp asks for okio 3 (Kotlin), to keep Kotlin's standard library
 * out of an idle agent (practice-agent/pom.xml). okio 1 lacks some of okio 3's API, and a missing method would only
 * show as a NoSuchMethodError on the path that calls it (a GOAWAY's debug data, a proxy's reply line). So this reads
 * every okio class, method and field grpc-okhttp's class files refer to (javap's constant pool) and resolves each in
 * the okio on the classpath, as the JVM would link it.
 */
class OkioOfGrpcOkHttpTest {

    /** A constant pool entry of javap -v: {@code #12 = Methodref #5.#6 // okio/Buffer.size:()J}. */
    private static final Pattern OKIO_REFERENCE = Pattern
            .compile("=\\s+(?:Methodref|InterfaceMethodref|Fieldref|Class)\\s+\\S+\\s+//\\s+(okio/\\S+)");

    @Test
    void everyOkioMemberGrpcOkHttpRefersToIsInTheShippedOkio() throws Exception {
        Set<String> references = okioReferencesOfGrpcOkHttp();

        // the transport's buffers, sources, sinks and byte strings: far more than a handful if the scan works
        assertThat(references).hasSizeGreaterThan(50).contains("okio/Buffer.size:()J", "okio/Okio.source:(Ljava/net/Socket;)Lokio/Source;");
        assertThat(references.stream().filter(reference -> !resolves(reference)).toList()).isEmpty();
    }

    @Test
    void aMemberTheShippedOkioLacksDoesNotResolve() {
        assertThat(resolves("okio/Buffer.size:()J")).isTrue();
        assertThat(resolves("okio/Buffer.size:()I")).isFalse();
        assertThat(resolves("okio/BufferedSource.getBuffer:()Lokio/Buffer;")).isTrue();
        assertThat(resolves("okio/Path")).isFalse(); // okio 2.9's file system API
        assertThat(resolves("okio/ByteString.EMPTY:Lokio/ByteString;")).isTrue();
        assertThat(resolves("okio/ByteString.EMPTY:Lokio/Buffer;")).isFalse();
    }

    private static Set<String> okioReferencesOfGrpcOkHttp() throws Exception {
        Path jar = Path.of(OkHttpChannelBuilder.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        List<String> classes;
        try (JarFile file = new JarFile(jar.toFile())) {
            classes = file.stream().map(JarEntry::getName).filter(name -> name.endsWith(".class") && !name.contains("module-info"))
                    .map(name -> name.substring(0, name.length() - ".class".length()).replace('/', '.')).toList();
        }
        assertThat(classes).as("classes of " + jar).hasSizeGreaterThan(50);
        ToolProvider javap = ToolProvider.findFirst("javap").orElseThrow(() -> new AssertionError("this test needs a JDK with javap"));
        List<String> arguments = new ArrayList<>(List.of("-v", "-p", "-cp", jar.toString()));
        arguments.addAll(classes);
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = javap.run(new PrintWriter(out), new PrintWriter(err), arguments.toArray(String[]::new));
        assertThat(exit).as("javap: " + err).isZero();
        Set<String> references = new TreeSet<>();
        Matcher matcher = OKIO_REFERENCE.matcher(out.toString());
        while (matcher.find()) {
            references.add(matcher.group(1));
        }
        return references;
    }

    /** Whether {@code okio/Class}, {@code okio/Class.member:descriptor} links against the okio on the classpath. */
    private static boolean resolves(String reference) {
        int dot = reference.indexOf('.');
        String className = (dot < 0 ? reference : reference.substring(0, dot)).replace('/', '.');
        Class<?> owner;
        try {
            owner = Class.forName(className, false, OkioOfGrpcOkHttpTest.class.getClassLoader());
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
        if (dot < 0) {
            return true;
        }
        String member = reference.substring(dot + 1);
        String name = member.substring(0, member.indexOf(':')).replace("\"", "");
        String descriptor = member.substring(member.indexOf(':') + 1);
        if (!descriptor.startsWith("(")) {
            return hierarchy(owner).stream().flatMap(type -> Arrays.stream(type.getDeclaredFields()))
                    .anyMatch(field -> field.getName().equals(name) && descriptor(field.getType()).equals(descriptor));
        }
        if (name.equals("<init>")) {
            return Arrays.stream(owner.getDeclaredConstructors()).anyMatch(constructor -> descriptor(constructor).equals(descriptor));
        }
        return hierarchy(owner).stream().flatMap(type -> Arrays.stream(type.getDeclaredMethods()))
                .anyMatch(method -> method.getName().equals(name) && descriptor(method).equals(descriptor));
    }

    /** The class, its superclasses and every interface they implement: where the JVM looks a member up. */
    private static List<Class<?>> hierarchy(Class<?> type) {
        List<Class<?>> all = new ArrayList<>();
        Deque<Class<?>> toVisit = new ArrayDeque<>(List.of(type));
        while (!toVisit.isEmpty()) {
            Class<?> next = toVisit.poll();
            if (!all.contains(next)) {
                all.add(next);
                if (next.getSuperclass() != null) {
                    toVisit.add(next.getSuperclass());
                }
                toVisit.addAll(List.of(next.getInterfaces()));
            }
        }
        return all;
    }

    private static String descriptor(Method method) {
        return parameters(method.getParameterTypes()) + descriptor(method.getReturnType());
    }

    private static String descriptor(Constructor<?> constructor) {
        return parameters(constructor.getParameterTypes()) + "V";
    }

    private static String parameters(Class<?>[] types) {
        return Arrays.stream(types).map(OkioOfGrpcOkHttpTest::descriptor).collect(Collectors.joining("", "(", ")"));
    }

    /** A field or parameter type as the class file writes it (JVMS 4.3.2): {@code J}, {@code [B}, {@code Lokio/Buffer;}. */
    private static String descriptor(Class<?> type) {
        if (type.isArray()) {
            return type.getName().replace('.', '/');
        }
        if (!type.isPrimitive()) {
            return "L" + type.getName().replace('.', '/') + ";";
        }
        return switch (type.getName()) {
            case "boolean" -> "Z";
            case "byte" -> "B";
            case "char" -> "C";
            case "short" -> "S";
            case "int" -> "I";
            case "long" -> "J";
            case "float" -> "F";
            case "double" -> "D";
            default -> "V";
        };
    }
}

package io.rampart.controlplane;

import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import jakarta.persistence.Entity;
import jakarta.persistence.Table;

import org.junit.jupiter.api.Test;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.AccessTarget;
import com.tngtech.archunit.core.domain.JavaAccess;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaFieldAccess;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.library.dependencies.SliceRule;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;

/**
 * The control plane is packaged by feature ({@code io.rampart.controlplane.<feature>}). Two rules keep the
 * features apart as the code grows, checked on the compiled classes (ArchUnit) and on the sources:
 * <ul>
 * <li>no cycle between feature packages: a feature that needs another's reaction fires a CDI event the
 * other observes, instead of calling back into it;</li>
 * <li>each feature writes only its own tables: the owner of a table is the feature of its {@code @Entity}
 * (or {@link #TABLES_WITHOUT_ENTITY}); another feature asks the owner (a method or an event) instead of
 * setting the entity's fields, calling Panache's persist/delete/update on it, or running native
 * {@code insert into / update / delete from} on the table.</li>
 * </ul>
 * What breaks a rule and cannot be fixed at once goes, with a comment saying why and how to fix it, into
 * {@link #CYCLES_ALLOWED_TODAY} or {@link #WRITES_ALLOWED_TODAY} (both empty today); an entry that no longer exists
 * fails the build, so the lists only shrink. Plain JUnit over target/classes and src/main: starts no server.
 * Not seen: EntityManager.persist/merge/remove of another feature's entity (the argument's type is not in the
 * bytecode of the call) and SQL built from pieces that are not string literals.
 */
class FeatureBoundariesTest {

    private static final String ROOT = "io.rampart.controlplane";

    private static final JavaClasses CLASSES = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages(ROOT);

    /**
     * Class-level dependencies ("origin -> target", top-level classes) that still close a cycle between
     * features. Each is a debt: break it (move the shared type to {@code shared}, or turn the call into a
     * CDI event the other feature observes), then delete the line. Never add one.
     */
    static final List<String> CYCLES_ALLOWED_TODAY = List.of(); // empty since 2026-11-30: keep it so

    /**
     * Writes ("origin -> entity or table") of a feature into another feature's table that remain: none since
     * 2026-11-30 (fleet's update of practice_compliance, people's and alerts' sets of tenancy's rows were fixed).
     */
    static final List<String> WRITES_ALLOWED_TODAY = List.of();

    /** Tables written with native SQL only, without an entity: their owner. */
    static final Map<String, String> TABLES_WITHOUT_ENTITY = Map.of(
            "configuration_change", "agents",
            "digest_written", "alerts",
            "event_outbox", "events",
            "ping_log", "pings",
            "processed_compliance_event", "alerts");

    private static final Set<String> WRITING_METHODS = Set.of("persist", "persistAndFlush", "delete", "deleteAll",
            "deleteById", "update");

    @Test
    void featurePackagesDependOnEachOtherWithoutACycle() {
        SliceRule rule = slices().matching(ROOT + ".(*)..").should().beFreeOfCycles();
        for (String allowed : CYCLES_ALLOWED_TODAY) {
            String[] ends = allowed.split(" -> ");
            rule = rule.ignoreDependency(topLevelNamed(ends[0]), topLevelNamed(ends[1]));
        }
        rule.check(CLASSES);
    }

    @Test
    void theCycleAllowListNamesOnlyDependenciesThatStillExist() {
        Set<String> existing = new TreeSet<>();
        for (JavaClass origin : CLASSES) {
            origin.getDirectDependenciesFromSelf().forEach(d -> existing.add(
                    topLevel(d.getOriginClass()).getName() + " -> " + topLevel(d.getTargetClass()).getName()));
        }
        assertThat(CYCLES_ALLOWED_TODAY).as("allowed cycle dependencies that are gone: delete them from the list")
                .allMatch(existing::contains);
    }

    @Test
    void noFeatureWritesAnotherFeaturesEntities() {
        List<String> found = entityWritesAcrossFeatures();
        assertThat(found).as("writes into another feature's entities (ask the owning feature instead)")
                .isSubsetOf(WRITES_ALLOWED_TODAY);
    }

    @Test
    void noFeatureWritesAnotherFeaturesTableWithNativeSql() {
        List<String> found = nativeWritesAcrossFeatures();
        assertThat(found).as("native SQL writes into another feature's table (ask the owning feature instead)")
                .isSubsetOf(WRITES_ALLOWED_TODAY);
    }

    @Test
    void theWriteAllowListNamesOnlyWritesThatStillExist() {
        List<String> found = new ArrayList<>(entityWritesAcrossFeatures());
        found.addAll(nativeWritesAcrossFeatures());
        assertThat(WRITES_ALLOWED_TODAY).as("allowed writes that are gone: delete them from the list")
                .allMatch(found::contains);
    }

    @Test
    void everyTableOfTheMigrationsHasAnOwningFeature() throws IOException {
        Pattern createTable = Pattern.compile("(?i)create\\s+table\\s+(?:if\\s+not\\s+exists\\s+)?([a-z_][a-z0-9_]*)");
        Set<String> tables = new TreeSet<>();
        try (Stream<Path> migrations = Files.list(Path.of("src/main/resources/db/migration"))) {
            for (Path migration : migrations.toList()) {
                Matcher m = createTable.matcher(Files.readString(migration));
                while (m.find()) {
                    tables.add(m.group(1).toLowerCase(Locale.ROOT));
                }
            }
        }
        assertThat(tables).as("tables created by Flyway").isNotEmpty();
        assertThat(owners().keySet()).as("tables with an owner (an @Entity or TABLES_WITHOUT_ENTITY)")
                .containsAll(tables);
    }

    /** Field sets and Panache persist/delete/update on an entity (or its repository) of another feature. */
    static List<String> entityWritesAcrossFeatures() {
        Set<String> found = new TreeSet<>();
        for (JavaClass origin : CLASSES) {
            for (JavaAccess<?> access : origin.getAccessesFromSelf()) {
                JavaClass owner = access.getTargetOwner();
                String ownerFeature = feature(owner);
                if (ownerFeature.equals(feature(origin)) || ownerFeature.isEmpty()) {
                    continue;
                }
                boolean write = access instanceof JavaFieldAccess field
                        ? field.getAccessType() == JavaFieldAccess.AccessType.SET && isEntity(owner)
                        : access.getTarget() instanceof AccessTarget.MethodCallTarget
                                && WRITING_METHODS.contains(access.getName())
                                && (isEntity(owner) || owner.isAssignableTo(PanacheRepositoryBase.class));
                if (write) {
                    found.add(topLevel(origin).getName() + " -> " + owner.getName());
                }
            }
        }
        return List.copyOf(found);
    }

    /** {@code insert into / update / delete from / merge into <table>} in a feature's string literals. */
    static List<String> nativeWritesAcrossFeatures() {
        Map<String, String> owners = owners();
        Pattern write = Pattern.compile("(?i)\\b(?:insert\\s+into|update|delete\\s+from|merge\\s+into)\\s+([a-z_][a-z0-9_]*)");
        Set<String> found = new TreeSet<>();
        Path sources = Path.of("src/main/java", ROOT.split("\\."));
        try (Stream<Path> files = Files.walk(sources)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                Path relative = sources.relativize(file);
                String feature = relative.getNameCount() > 1 ? relative.getName(0).toString() : "";
                for (String literal : JavaStrings.literalsOf(Files.readString(file))) {
                    Matcher m = write.matcher(literal);
                    while (m.find()) {
                        String table = m.group(1).toLowerCase(Locale.ROOT);
                        String owner = owners.get(table);
                        if (owner != null && !owner.equals(feature)) {
                            String origin = ROOT + "." + relative.toString().replace('/', '.').replaceAll("\\.java$", "");
                            found.add(origin + " -> " + table);
                        }
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return List.copyOf(found);
    }

    /** Table name (and entity name, for JPQL) to the feature that owns it. */
    static Map<String, String> owners() {
        Map<String, String> owners = new TreeMap<>(TABLES_WITHOUT_ENTITY);
        for (JavaClass entity : CLASSES) {
            if (!isEntity(entity)) {
                continue;
            }
            String table = entity.tryGetAnnotationOfType(Table.class).map(Table::name).filter(n -> !n.isEmpty())
                    .orElse(entity.getSimpleName());
            owners.put(table.toLowerCase(Locale.ROOT), feature(entity));
            owners.put(entity.getSimpleName().toLowerCase(Locale.ROOT), feature(entity));
        }
        return owners;
    }

    private static boolean isEntity(JavaClass javaClass) {
        return javaClass.isAnnotatedWith(Entity.class);
    }

    /** The feature of a class: the package right under io.rampart.controlplane ("" for the root). */
    static String feature(JavaClass javaClass) {
        String name = javaClass.getPackageName();
        if (!name.startsWith(ROOT + ".")) {
            return "";
        }
        String rest = name.substring(ROOT.length() + 1);
        int dot = rest.indexOf('.');
        return dot < 0 ? rest : rest.substring(0, dot);
    }

    private static JavaClass topLevel(JavaClass javaClass) {
        JavaClass current = javaClass;
        while (current.getEnclosingClass().isPresent()) {
            current = current.getEnclosingClass().get();
        }
        return current;
    }

    private static DescribedPredicate<JavaClass> topLevelNamed(String name) {
        return DescribedPredicate.describe(name, c -> topLevel(c).getName().equals(name));
    }

    /** The string literals and text blocks of a Java source, without its comments and char literals. */
    static final class JavaStrings {

        private JavaStrings() {
        }

        static List<String> literalsOf(String source) {
            List<String> literals = new ArrayList<>();
            int i = 0;
            int n = source.length();
            while (i < n) {
                char c = source.charAt(i);
                if (source.startsWith("//", i)) {
                    i = endOf(source, "\n", i + 2);
                } else if (source.startsWith("/*", i)) {
                    i = endOf(source, "*/", i + 2);
                } else if (source.startsWith("\"\"\"", i)) {
                    int end = source.indexOf("\"\"\"", i + 3);
                    end = end < 0 ? n : end;
                    literals.add(source.substring(i + 3, end));
                    i = Math.min(n, end + 3);
                } else if (c == '"' || c == '\'') {
                    int j = i + 1;
                    while (j < n && source.charAt(j) != c) {
                        j += source.charAt(j) == '\\' ? 2 : 1;
                    }
                    if (c == '"') {
                        literals.add(source.substring(i + 1, Math.min(j, n)));
                    }
                    i = j + 1;
                } else {
                    i++;
                }
            }
            // a statement split over concatenated literals ("update x" + " set ...") is seen whole
            literals.add(String.join(" ", literals));
            return literals;
        }

        private static int endOf(String source, String end, int from) {
            int at = source.indexOf(end, from);
            return at < 0 ? source.length() : at + end.length();
        }
    }
}

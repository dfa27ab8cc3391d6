package io.rampart.agent.restore;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What psql reads of a plain dump, without a server: the restriction first, pg_dump's own lines blanked, data intact. */
class RestrictedScriptTest {

    @TempDir
    Path dir;

    @Test
    void psqlOfTheReleasesWithRestrictIsSupportedAndOlderOnesAreNot() {
        assertThat(RestrictedScript.supported("psql (PostgreSQL) 15.18 (Debian 15.18-0+deb12u1)")).isTrue();
        assertThat(RestrictedScript.supported("psql (PostgreSQL) 15.14")).isTrue();
        assertThat(RestrictedScript.supported("psql (PostgreSQL) 15.13")).isFalse();
        assertThat(RestrictedScript.supported("psql (PostgreSQL) 16.10")).isTrue();
        assertThat(RestrictedScript.supported("psql (PostgreSQL) 16.9")).isFalse();
        assertThat(RestrictedScript.supported("psql (PostgreSQL) 17.6")).isTrue();
        assertThat(RestrictedScript.supported("psql (PostgreSQL) 17.5")).isFalse();
        assertThat(RestrictedScript.supported("psql (PostgreSQL) 14.19")).isTrue();
        assertThat(RestrictedScript.supported("psql (PostgreSQL) 13.21")).isFalse();
        assertThat(RestrictedScript.supported("psql (PostgreSQL) 12.22")).isFalse();
        assertThat(RestrictedScript.supported("psql (PostgreSQL) 18.0")).isTrue();
        assertThat(RestrictedScript.supported("psql (PostgreSQL) 18beta1")).isTrue();
        assertThat(RestrictedScript.supported("not psql at all")).isFalse();
        assertThat(RestrictedScript.supported("")).isFalse();
    }

    @Test
    void namesTheFirstMetaCommandOnALineOutsideQuotedText() {
        assertThat(RestrictedScript.metaCommand("select 1 \\! touch /tmp/x")).hasValue("\\!");
        assertThat(RestrictedScript.metaCommand(" \\set x `id`")).hasValue("\\set");
        assertThat(RestrictedScript.metaCommand("select 'a\\b' \\gexec")).hasValue("\\gexec");
        assertThat(RestrictedScript.metaCommand("select 'only \\! in a string'")).isEmpty();
    }

    @Test
    void putsTheRestrictionFirstBlanksPgDumpsOwnRestrictOwnerAndGrantLinesAndKeepsCopyData() throws Exception {
        String longRow = "1\t" + "y".repeat(3 * DumpLines.HEAD) + "\n";
        String dump = String.join("\n",
                "--",
                "\\restrict AbC123",
                "SET client_encoding = 'UTF8';",
                "CREATE TABLE public.t (id integer, note text);",
                "ALTER TABLE public.t OWNER TO clinic_app;",
                "COPY public.t (id, note) FROM stdin;",
                "\\restrict abc",
                "GRANT SELECT ON TABLE public.t TO clinic_reader;",
                "\\.",
                "GRANT SELECT ON TABLE public.t TO clinic_reader;",
                "ALTER DEFAULT PRIVILEGES FOR ROLE clinic_app GRANT SELECT ON TABLES  TO clinic_reader;",
                "select 1 \\! touch /tmp/x",
                "COPY public.t (id, note) FROM stdin;") + "\n" + longRow + "\\.\n\\unrestrict AbC123\n";
        Path file = Files.writeString(dir.resolve("x.sql"), dump);
        DumpChoice choice = new DumpChoice(Optional.of(file), "x.sql", Files.size(file), DumpChoice.Format.PLAIN, List.of());
        ByteArrayOutputStream psqlReads = new ByteArrayOutputStream();

        new RestrictedScript().feed(choice, psqlReads);

        List<String> lines = psqlReads.toString(StandardCharsets.UTF_8).lines().toList();
        assertThat(lines.get(0)).matches("\\\\restrict [A-Za-z0-9]{32}");
        assertThat(lines.subList(1, lines.size())).containsExactly(
                "--",
                "",
                "SET client_encoding = 'UTF8';",
                "CREATE TABLE public.t (id integer, note text);",
                "",
                "COPY public.t (id, note) FROM stdin;",
                "\\restrict abc",
                "GRANT SELECT ON TABLE public.t TO clinic_reader;",
                "\\.",
                "",
                "",
                "select 1 \\! touch /tmp/x",
                "COPY public.t (id, note) FROM stdin;",
                longRow.strip(),
                "\\.",
                "");
    }

    @Test
    void eachRunHasItsOwnKey() throws Exception {
        Path file = Files.writeString(dir.resolve("x.sql"), "select 1;\n");
        DumpChoice choice = new DumpChoice(Optional.of(file), "x.sql", Files.size(file), DumpChoice.Format.PLAIN, List.of());
        ByteArrayOutputStream first = new ByteArrayOutputStream();
        ByteArrayOutputStream second = new ByteArrayOutputStream();

        new RestrictedScript().feed(choice, first);
        new RestrictedScript().feed(choice, second);

        assertThat(first.toString(StandardCharsets.UTF_8)).isNotEqualTo(second.toString(StandardCharsets.UTF_8));
    }
}

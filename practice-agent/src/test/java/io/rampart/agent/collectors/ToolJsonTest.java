package io.rampart.agent.collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.junit.jupiter.api.Test;

import com.google.gson.JsonNull;
import com.google.gson.JsonParser;

/** ToolJson builds gson's tree from gson's streaming reader: the same tree gson's JsonParser builds. */
class ToolJsonTest {

    /** Shapes restic and borg print: restic snapshots --json, restic stats --json, borg info --json's archive. */
    private static final List<String> TOOL_OUTPUT = List.of(
            "[{\"time\":\"2026-11-30T01:00:12.5+01:00\",\"tree\":\"ab12\",\"paths\":[\"/srv/clinical\"],\"hostname\":\"server01\","
                    + "\"id\":\"4f1e\",\"short_id\":\"4f1e\",\"summary\":{\"total_bytes_processed\":1234567890123,\"files_new\":0}}]",
            "{\"total_size\":52428800,\"total_file_count\":1042,\"snapshots_count\":3,\"compression_ratio\":1.7,\"compression_space_saving\":41.2}",
            "{\"archives\":[{\"name\":\"server01-2026-11-30\",\"stats\":{\"original_size\":1.5e9,\"nfiles\":10}}],\"encryption\":null,"
                    + "\"cache\":{\"path\":\"/root/.cache/borg/\\u00e9\"},\"append_only\":false}",
            "  [ ]  ");

    @Test
    void buildsTheTreeGsonsJsonParserBuilds() throws ToolJson.NotJson {
        for (String output : TOOL_OUTPUT) {
            assertThat(ToolJson.parse(output)).as(output).isEqualTo(JsonParser.parseString(output));
            // the same text too: numbers keep how the tool wrote them (1.5e9, -0)
            assertThat(ToolJson.parse(output).toString()).as(output).isEqualTo(JsonParser.parseString(output).toString());
        }
        assertThat(ToolJson.parse("[1e3, -0, 1e99999999999]").toString()).isEqualTo(JsonParser.parseString("[1e3, -0, 1e99999999999]").toString());
        assertThat(ToolJson.number(ToolJson.object(ToolJson.object(ToolJson.items(ToolJson.parse(TOOL_OUTPUT.get(2)).getAsJsonObject(), "archives")
                .get(0)), "stats"), "nfiles")).isEqualTo(10);
        assertThat(ToolJson.text(ToolJson.object(ToolJson.parse(TOOL_OUTPUT.get(2))), "encryption")).isEmpty();
    }

    @Test
    void whatFollowsANullIsNotReadAsForGson() throws ToolJson.NotJson {
        assertThat(ToolJson.parse("null\n{\"a\": 1}")).isEqualTo(JsonNull.INSTANCE).isEqualTo(JsonParser.parseString("null\n{\"a\": 1}"));
    }

    @Test
    void anEmptyOutputIsNoDocumentAsForGson() throws ToolJson.NotJson {
        assertThat(ToolJson.parse("")).isEqualTo(JsonNull.INSTANCE).isEqualTo(JsonParser.parseString(""));
        assertThat(ToolJson.parse(" \n")).isEqualTo(JsonNull.INSTANCE);
    }

    @Test
    void whatIsNotJsonIsRefusedSayingWhere() {
        assertThatThrownBy(() -> ToolJson.parse("{\"id\": \"4f1e\", \"paths\": [\"/srv\"")).isInstanceOf(ToolJson.NotJson.class);
        assertThatThrownBy(() -> ToolJson.parse("Fatal: unable to open config file: Stat: stat /srv/restic/config: no such file"))
                .isInstanceOf(ToolJson.NotJson.class);
        assertThatThrownBy(() -> ToolJson.parse("{\"a\":1}\n{\"b\":2}")).isInstanceOf(ToolJson.NotJson.class)
                .hasMessageContaining("line 2 column 2");
        assertThatThrownBy(() -> ToolJson.parse("{\"size\": }")).isInstanceOf(ToolJson.NotJson.class);
    }
}

package io.generalbots.spring;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.generalbots.scaling.config.ConfigKey;
import io.generalbots.scaling.config.ConfigKeyRegistry;
import org.junit.jupiter.api.Test;

/**
 * The IDE metadata of {@code gb.scaling.keys.*} is generated from the key registry of every module on
 * the class path; this test fails when the committed file is out of date
 * ({@code -Dgb.metadata.write=true} rewrites it).
 */
class ConfigurationMetadataTest {

    private static final Path FILE = Path.of("src/main/resources/META-INF/additional-spring-configuration-metadata.json");

    static String generate() throws Exception {
        List<Map<String, Object>> properties = new ArrayList<>();
        List<Map<String, Object>> values = new ArrayList<>();
        for (ConfigKey key : ConfigKeyRegistry.fromClasspath().keys()) {
            String description = key.description() + " (config.csv key " + key.name() + ", " + key.type() + ")";
            if (key.isPattern()) {
                description = key.description() + " (config.csv key family " + key.name() + ", " + key.type() + ")";
            } else {
                Map<String, Object> p = new LinkedHashMap<>();
                p.put("name", "gb.scaling.keys." + key.name());
                p.put("type", "java.lang.String");
                p.put("description", description);
                p.put("sourceType", GbScalingProperties.class.getName());
                key.defaultValue().ifPresent(d -> p.put("defaultValue", d));
                properties.add(p);
            }
            Map<String, Object> v = new LinkedHashMap<>();
            v.put("value", key.name());
            v.put("description", description);
            values.add(v);
        }
        Map<String, Object> hint = new LinkedHashMap<>();
        hint.put("name", "gb.scaling.keys.keys");
        hint.put("values", values);
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("properties", properties);
        root.put("hints", List.of(hint));
        return new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(root) + "\n";
    }

    @Test
    void theCommittedMetadataNamesEveryKeyOfEveryModule() throws Exception {
        String expected = generate();
        if (Boolean.getBoolean("gb.metadata.write")) {
            Files.writeString(FILE, expected, StandardCharsets.UTF_8);
        }
        String committed = Files.readString(FILE, StandardCharsets.UTF_8);
        assertThat(committed).as("regenerate with -Dgb.metadata.write=true").isEqualTo(expected);
        assertThat(committed).contains("\"name\" : \"gb.scaling.keys.rate-limit-requests\"")
                .contains("\"defaultValue\" : \"100\"")
                .contains("\"value\" : \"shard-strategy\"");
    }
}

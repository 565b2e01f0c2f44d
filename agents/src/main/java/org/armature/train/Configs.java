package org.armature.train;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;

/**
 * Resolves a {@link TrainConfig}: defaults, then a JSON file, then {@code key=value} overrides (dotted keys such
 * as {@code sac.policy_lr=1e-3} or {@code sac.actor_hidden=[64,64]}). Unknown keys are errors that list the valid
 * ones.
 */
public final class Configs {

    public static final ObjectMapper JSON = new ObjectMapper()
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .enable(SerializationFeature.INDENT_OUTPUT)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private Configs() {
    }

    public static TrainConfig resolve(TrainConfig defaults, Path file, List<String> sets) throws IOException {
        ObjectNode tree = JSON.valueToTree(defaults);
        if (file != null) {
            if (!Files.isRegularFile(file)) {
                throw new IOException("config file " + file + " does not exist");
            }
            JsonNode f;
            try {
                f = JSON.readTree(file.toFile());
            } catch (JsonProcessingException e) {
                throw new IOException(file + ": malformed JSON (" + e.getOriginalMessage() + ")");
            }
            if (!(f instanceof ObjectNode fo)) {
                throw new IOException(file + ": expected a JSON object");
            }
            merge(tree, fo, "", file.toString());
        }
        for (String s : sets) {
            int eq = s.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("--set expects key=value, got '" + s + "'");
            }
            set(tree, s.substring(0, eq).trim(), s.substring(eq + 1).trim());
        }
        try {
            return JSON.treeToValue(tree, TrainConfig.class).validate();
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("invalid config: " + e.getOriginalMessage());
        }
    }

    private static void merge(ObjectNode into, ObjectNode from, String prefix, String source) {
        Iterator<Map.Entry<String, JsonNode>> it = from.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            String key = prefix + e.getKey();
            JsonNode cur = into.get(e.getKey());
            if (cur == null) {
                throw new IllegalArgumentException(source + ": unknown config key '" + key + "'; known keys: "
                        + String.join(", ", keys(into, prefix)));
            }
            if (cur instanceof ObjectNode co && e.getValue() instanceof ObjectNode eo) {
                merge(co, eo, key + ".", source);
            } else {
                into.set(e.getKey(), e.getValue());
            }
        }
    }

    private static void set(ObjectNode tree, String key, String value) {
        String[] parts = key.split("\\.");
        ObjectNode node = tree;
        String prefix = "";
        for (int i = 0; i < parts.length - 1; i++) {
            JsonNode n = node.get(parts[i]);
            if (!(n instanceof ObjectNode on)) {
                throw new IllegalArgumentException("unknown config key '" + key + "'; known keys: "
                        + String.join(", ", keys(node, prefix)));
            }
            prefix += parts[i] + ".";
            node = on;
        }
        String last = parts[parts.length - 1];
        if (!node.has(last)) {
            throw new IllegalArgumentException("unknown config key '" + key + "'; known keys: "
                    + String.join(", ", keys(node, prefix)));
        }
        JsonNode v;
        try {
            v = JSON.readTree(value);
            if (v == null || v.isMissingNode()) {
                v = TextNode.valueOf(value);
            }
        } catch (JsonProcessingException e) {
            v = TextNode.valueOf(value);
        }
        node.set(last, v);
    }

    private static List<String> keys(ObjectNode n, String prefix) {
        List<String> out = new ArrayList<>();
        n.fieldNames().forEachRemaining(k -> out.add(prefix + k));
        return out;
    }

    public static String toJson(TrainConfig c) {
        try {
            return JSON.writeValueAsString(c);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}

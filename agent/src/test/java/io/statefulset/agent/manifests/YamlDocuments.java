package io.statefulset.agent.manifests;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/** YAML text to plain maps, lists and scalars (no custom types: what kubectl and kustomize see). */
final class YamlDocuments {
    private YamlDocuments() {}

    /** Every non-empty document of a multi-document stream; each must be a mapping (a Kubernetes object). */
    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> parseAll(String text, String origin) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (Object doc : yaml().loadAll(text)) {
            if (doc == null) continue;
            if (!(doc instanceof Map)) throw new IllegalArgumentException(origin + ": a document is not a mapping: " + doc);
            out.add((Map<String, Object>) doc);
        }
        return out;
    }

    static List<Map<String, Object>> parseAll(Path file) throws IOException {
        return parseAll(Files.readString(file), file.toString());
    }

    static Map<String, Object> parseOne(Path file) throws IOException {
        List<Map<String, Object>> docs = parseAll(file);
        if (docs.size() != 1) throw new IllegalArgumentException(file + ": expected one document, found " + docs.size());
        return docs.get(0);
    }

    /** A JSON array is a YAML flow sequence: Dockerfile exec forms parse here too. */
    static List<String> parseStringList(String text, String origin) {
        Object parsed = yaml().load(text);
        if (!(parsed instanceof List<?> list) || !list.stream().allMatch(String.class::isInstance)) {
            throw new IllegalArgumentException(origin + ": not a list of strings: " + text);
        }
        return list.stream().map(String.class::cast).toList();
    }

    // SnakeYAML speaks YAML 1.1 like Kubernetes' own parser: 0440 is octal (a Secret volume's defaultMode).
    private static Yaml yaml() {
        return new Yaml(new SafeConstructor(new LoaderOptions()));
    }
}

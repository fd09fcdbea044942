package io.statefulset.agent.manifests;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** A {@code secretGenerator} entry with {@code envs} files and a fixed name (no hash suffix). */
record SecretGenerator(String name, List<String> envFiles, Map<String, Object> labels) {
    @SuppressWarnings("unchecked")
    static SecretGenerator from(Map<String, Object> g, Path file) {
        if (!Set.of("name", "envs", "options").containsAll(g.keySet())) {
            throw new UnsupportedOperationException(file + ": secretGenerator supports name/envs/options, got " + g.keySet());
        }
        Map<String, Object> options = (Map<String, Object>) g.getOrDefault("options", Map.of());
        if (!Boolean.TRUE.equals(options.get("disableNameSuffixHash"))) {
            throw new UnsupportedOperationException(file + ": secretGenerator " + g.get("name")
                    + " needs options.disableNameSuffixHash: true (the renderer does not compute kustomize's hash)");
        }
        if (!Set.of("disableNameSuffixHash", "labels").containsAll(options.keySet())) {
            throw new UnsupportedOperationException(file + ": secretGenerator options supported: disableNameSuffixHash, labels");
        }
        List<String> envs = ((List<?>) g.getOrDefault("envs", List.of())).stream().map(String::valueOf).toList();
        return new SecretGenerator((String) g.get("name"), envs, (Map<String, Object>) options.getOrDefault("labels", Map.of()));
    }

    /** The Secret kustomize would emit: values of {@code key=value} lines, base64 in {@code data}. */
    Map<String, Object> generate(Path dir) throws IOException {
        Map<String, Object> data = new LinkedHashMap<>();
        for (String env : envFiles) {
            Path file = dir.resolve(env);
            List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            for (int i = 0; i < lines.size(); i++) {
                String line = lines.get(i);
                if (line.isBlank() || line.stripLeading().startsWith("#")) continue;
                int eq = line.indexOf('=');
                if (eq <= 0) throw new IllegalArgumentException(file + ":" + (i + 1) + ": expected key=value");
                data.put(line.substring(0, eq), Base64.getEncoder()
                        .encodeToString(line.substring(eq + 1).getBytes(StandardCharsets.UTF_8)));
            }
        }
        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put("name", name);
        if (!labels.isEmpty()) metadata.put("labels", new LinkedHashMap<>(labels));
        Map<String, Object> secret = new LinkedHashMap<>();
        secret.put("apiVersion", "v1");
        secret.put("kind", "Secret");
        secret.put("metadata", metadata);
        secret.put("type", "Opaque");
        secret.put("data", data);
        return secret;
    }
}

package io.statefulset.agent.manifests;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One kustomization.yaml, limited to the fields k8s/ uses. Anything else is refused by name, so that a new
 * kustomize feature in the manifests fails here (extend {@link KustomizeRenderer}) instead of rendering wrong.
 *
 * @param component  {@code kind: Component} (applied onto the including kustomization's resources)
 * @param patches    strategic-merge patch files; each targets the object with its kind and name
 */
record Kustomization(Path dir, boolean component, List<String> resources, List<String> components,
                     List<String> patches, List<ImageOverride> images, List<SecretGenerator> secretGenerators) {
    private static final Set<String> SUPPORTED =
            Set.of("apiVersion", "kind", "resources", "components", "patches", "images", "secretGenerator");

    static Kustomization read(Path dir) throws IOException {
        Path file = dir.resolve("kustomization.yaml");
        Map<String, Object> k = YamlDocuments.parseOne(file);
        for (String key : k.keySet()) {
            if (!SUPPORTED.contains(key)) {
                throw new UnsupportedOperationException(file + ": field '" + key + "' is outside the kustomize subset"
                        + " the Java renderer supports " + SUPPORTED + "; extend KustomizeRenderer or avoid it");
            }
        }
        String kind = (String) k.getOrDefault("kind", "Kustomization");
        List<String> patches = new ArrayList<>();
        for (Map<String, Object> p : maps(k.get("patches"), file, "patches")) {
            if (!p.keySet().equals(Set.of("path"))) {
                throw new UnsupportedOperationException(file + ": only `- path: <strategic merge patch file>` patches"
                        + " are supported, got " + p.keySet());
            }
            patches.add((String) p.get("path"));
        }
        List<ImageOverride> images = maps(k.get("images"), file, "images").stream().map(ImageOverride::from).toList();
        List<SecretGenerator> secrets = new ArrayList<>();
        for (Map<String, Object> g : maps(k.get("secretGenerator"), file, "secretGenerator")) {
            secrets.add(SecretGenerator.from(g, file));
        }
        return new Kustomization(dir, kind.equals("Component"), strings(k.get("resources")),
                strings(k.get("components")), patches, images, secrets);
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> maps(Object value, Path file, String field) {
        if (value == null) return List.of();
        if (!(value instanceof List<?> list) || !list.stream().allMatch(Map.class::isInstance)) {
            throw new IllegalArgumentException(file + ": " + field + " must be a list of mappings");
        }
        return (List<Map<String, Object>>) value;
    }

    private static List<String> strings(Object value) {
        if (value == null) return List.of();
        return ((List<?>) value).stream().map(String::valueOf).toList();
    }
}

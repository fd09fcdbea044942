package io.statefulset.agent.manifests;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** The objects one kustomization renders to, looked up by kind and name. */
record RenderedManifests(String origin, List<Map<String, Object>> objects) {
    /** {@code kind/name} -> object; two objects with one key would be a render error, so they fail here. */
    Map<String, Map<String, Object>> byKindAndName() {
        Map<String, Map<String, Object>> out = new TreeMap<>();
        for (Map<String, Object> o : objects) {
            String key = o.get("kind") + "/" + KustomizeRenderer.name(o);
            if (out.put(key, o) != null) throw new IllegalStateException(origin + " renders " + key + " twice");
        }
        return out;
    }

    Map<String, Object> object(String kind, String name) {
        Map<String, Object> o = byKindAndName().get(kind + "/" + name);
        if (o == null) throw new AssertionError(origin + " renders no " + kind + " " + name + "; it has " + byKindAndName().keySet());
        return o;
    }

    StatefulSet statefulSet(String name) {
        return StatefulSet.from(object("StatefulSet", name));
    }

    @SuppressWarnings("unchecked")
    Map<String, String> configMapData(String name) {
        return (Map<String, String>) object("ConfigMap", name).get("data");
    }

    /** The Secret's values as the pods see them (data is base64; stringData is plain). */
    @SuppressWarnings("unchecked")
    Map<String, String> secretValues(String name) {
        Map<String, Object> secret = object("Secret", name);
        Map<String, String> out = new TreeMap<>();
        ((Map<String, String>) secret.getOrDefault("data", Map.of())).forEach((k, v) ->
                out.put(k, new String(Base64.getDecoder().decode(v), StandardCharsets.UTF_8)));
        out.putAll((Map<String, String>) secret.getOrDefault("stringData", Map.of()));
        return out;
    }

    @SuppressWarnings("unchecked")
    Map<String, Object> serviceSpec(String name) {
        return (Map<String, Object>) object("Service", name).get("spec");
    }
}

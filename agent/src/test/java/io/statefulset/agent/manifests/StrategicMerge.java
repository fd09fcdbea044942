package io.statefulset.agent.manifests;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Kubernetes' strategic merge patch, for the fields k8s/ patches: mappings merge key by key ({@code key: null}
 * removes), lists of containers, env vars, volumes and mounts merge by their key ({@code $patch: delete} removes
 * an item; the patch's items come first, as kustomize orders them), every other list is replaced.
 */
final class StrategicMerge {
    private static final Map<String, String> MERGE_KEYS = Map.of(
            "containers", "name",
            "initContainers", "name",
            "volumes", "name",
            "env", "name",
            "volumeMounts", "mountPath");

    private StrategicMerge() {}

    static Map<String, Object> apply(Map<String, Object> target, Map<String, Object> patch) {
        return mergeMaps(target, patch);
    }

    @SuppressWarnings("unchecked")
    private static Object merge(String field, Object target, Object patch) {
        if (target instanceof Map && patch instanceof Map) {
            return mergeMaps((Map<String, Object>) target, (Map<String, Object>) patch);
        }
        Optional<String> key = mergeKey(field, patch);
        if (target instanceof List && patch instanceof List && key.isPresent()) {
            return mergeLists((List<Object>) target, (List<Object>) patch, key.get());
        }
        return withoutDirectives(patch);
    }

    private static Map<String, Object> mergeMaps(Map<String, Object> target, Map<String, Object> patch) {
        Map<String, Object> out = new LinkedHashMap<>(target);
        for (Map.Entry<String, Object> e : patch.entrySet()) {
            String field = e.getKey();
            if (field.startsWith("$")) throw new UnsupportedOperationException("patch directive " + field + " is not supported here");
            if (e.getValue() == null) {
                out.remove(field);
            } else if (out.containsKey(field)) {
                out.put(field, merge(field, out.get(field), e.getValue()));
            } else {
                out.put(field, withoutDirectives(e.getValue()));
            }
        }
        return out;
    }

    /** kustomize's order: the patch's items first (merged with their targets), then the target's other items. */
    @SuppressWarnings("unchecked")
    private static List<Object> mergeLists(List<Object> target, List<Object> patch, String key) {
        List<Object> rest = new ArrayList<>(target);
        List<Object> out = new ArrayList<>();
        for (Object item : patch) {
            Map<String, Object> p = new LinkedHashMap<>((Map<String, Object>) item);
            Object directive = p.remove("$patch");
            int at = indexOf(rest, key, p.get(key));
            if ("delete".equals(directive)) {
                if (at < 0) throw new IllegalArgumentException("$patch: delete of " + key + "=" + p.get(key) + ": no such item");
                rest.remove(at);
            } else if (directive != null) {
                throw new UnsupportedOperationException("$patch: " + directive + " is not supported here");
            } else if (at >= 0) {
                out.add(mergeMaps((Map<String, Object>) rest.remove(at), p));
            } else {
                out.add(withoutDirectives(p));
            }
        }
        out.addAll(rest);
        return out;
    }

    private static int indexOf(List<Object> items, String key, Object value) {
        for (int i = 0; i < items.size(); i++) {
            if (items.get(i) instanceof Map<?, ?> m && value != null && value.equals(m.get(key))) return i;
        }
        return -1;
    }

    /** Container ports merge by containerPort, Service ports by port; the rest by the table. */
    private static Optional<String> mergeKey(String field, Object patch) {
        if (field.equals("ports") && patch instanceof List<?> list && !list.isEmpty() && list.get(0) instanceof Map<?, ?> first) {
            return Optional.of(first.containsKey("containerPort") ? "containerPort" : "port");
        }
        return Optional.ofNullable(MERGE_KEYS.get(field));
    }

    @SuppressWarnings("unchecked")
    private static Object withoutDirectives(Object value) {
        if (value instanceof Map<?, ?> m) {
            Map<String, Object> out = new LinkedHashMap<>();
            for (Map.Entry<?, ?> e : m.entrySet()) {
                String k = (String) e.getKey();
                if (k.startsWith("$")) throw new UnsupportedOperationException("patch directive " + k + " on a new item");
                out.put(k, withoutDirectives(e.getValue()));
            }
            return out;
        }
        if (value instanceof List<?> l) return new ArrayList<>(l.stream().map(StrategicMerge::withoutDirectives).toList());
        return value;
    }
}

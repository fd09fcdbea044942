package io.statefulset.agent.manifests;

import java.util.List;
import java.util.Map;

/** The parts of a rendered StatefulSet the checks read. {@code spec} is kept whole for the immutable fields. */
record StatefulSet(String name, Map<String, Object> spec, Map<String, String> podAnnotations,
                   Map<String, Object> podSecurityContext, List<Container> initContainers, List<Container> containers,
                   Map<String, Map<String, Object>> volumes) {
    @SuppressWarnings("unchecked")
    static StatefulSet from(Map<String, Object> object) {
        Map<String, Object> spec = (Map<String, Object>) object.get("spec");
        Map<String, Object> template = (Map<String, Object>) spec.get("template");
        Map<String, Object> meta = (Map<String, Object>) template.get("metadata");
        Map<String, Object> pod = (Map<String, Object>) template.get("spec");
        Map<String, Map<String, Object>> volumes = new java.util.LinkedHashMap<>();
        for (Map<String, Object> v : (List<Map<String, Object>>) pod.getOrDefault("volumes", List.of())) {
            volumes.put((String) v.get("name"), v);
        }
        return new StatefulSet(KustomizeRenderer.name(object), spec,
                (Map<String, String>) meta.getOrDefault("annotations", Map.of()),
                (Map<String, Object>) pod.getOrDefault("securityContext", Map.of()),
                containers(pod.get("initContainers")), containers(pod.get("containers")), volumes);
    }

    @SuppressWarnings("unchecked")
    private static List<Container> containers(Object list) {
        if (list == null) return List.of();
        return ((List<Map<String, Object>>) list).stream().map(Container::from).toList();
    }

    Container initContainer(String containerName) {
        return find(initContainers, containerName, "init container");
    }

    Container container(String containerName) {
        return find(containers, containerName, "container");
    }

    private Container find(List<Container> list, String containerName, String what) {
        return list.stream().filter(c -> c.name().equals(containerName)).findFirst().orElseThrow(() -> new AssertionError(
                "StatefulSet " + name + " has no " + what + " '" + containerName + "': "
                        + list.stream().map(Container::name).toList()));
    }

    /** Names of the volumeClaimTemplates: volumes that are PVCs, not pod volumes. */
    @SuppressWarnings("unchecked")
    List<String> claimTemplateNames() {
        return ((List<Map<String, Object>>) spec.getOrDefault("volumeClaimTemplates", List.of())).stream()
                .map(KustomizeRenderer::name).toList();
    }
}

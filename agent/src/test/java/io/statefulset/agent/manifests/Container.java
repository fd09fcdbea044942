package io.statefulset.agent.manifests;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/** One container of a pod template, as rendered. */
record Container(String name, String image, List<String> command, List<String> args, List<EnvVar> env,
                 List<VolumeMount> mounts, List<Integer> ports, Optional<HttpProbe> startupProbe,
                 Optional<HttpProbe> livenessProbe, Optional<HttpProbe> readinessProbe,
                 Map<String, Object> requests, Map<String, Object> limits, Map<String, Object> securityContext) {
    @SuppressWarnings("unchecked")
    static Container from(Map<String, Object> c) {
        Map<String, Object> resources = (Map<String, Object>) c.getOrDefault("resources", Map.of());
        return new Container((String) c.get("name"), (String) c.get("image"), strings(c.get("command")), strings(c.get("args")),
                ((List<Map<String, Object>>) c.getOrDefault("env", List.of())).stream().map(EnvVar::from).toList(),
                ((List<Map<String, Object>>) c.getOrDefault("volumeMounts", List.of())).stream().map(VolumeMount::from).toList(),
                ((List<Map<String, Object>>) c.getOrDefault("ports", List.of())).stream()
                        .map(p -> (Integer) p.get("containerPort")).toList(),
                HttpProbe.from(c.get("startupProbe")), HttpProbe.from(c.get("livenessProbe")),
                HttpProbe.from(c.get("readinessProbe")),
                (Map<String, Object>) resources.getOrDefault("requests", Map.of()),
                (Map<String, Object>) resources.getOrDefault("limits", Map.of()),
                (Map<String, Object>) c.getOrDefault("securityContext", Map.of()));
    }

    private static List<String> strings(Object list) {
        return list == null ? List.of() : ((List<?>) list).stream().map(String::valueOf).toList();
    }

    Optional<EnvVar> envVar(String envName) {
        return env.stream().filter(e -> e.name().equals(envName)).findFirst();
    }

    Optional<VolumeMount> mountAt(String path) {
        return mounts.stream().filter(m -> m.mountPath().equals(path)).findFirst();
    }

    /** The mount whose directory holds {@code file}, if any. */
    Optional<VolumeMount> mountHolding(String file) {
        return mounts.stream().filter(m -> file.startsWith(m.mountPath() + "/")).findFirst();
    }

    /** The java command's JVM options: what sits between {@code java} and {@code -jar}. */
    List<String> jvmOptions() {
        int jar = command.indexOf("-jar");
        if (command.isEmpty() || !command.get(0).equals("java") || jar < 0) {
            throw new AssertionError("container " + name + " does not run `java ... -jar <jar>`: " + command);
        }
        return command.subList(1, jar);
    }

    String jar() {
        int jar = command.indexOf("-jar");
        if (jar < 0 || jar + 1 >= command.size()) throw new AssertionError("container " + name + " runs no jar: " + command);
        return command.get(jar + 1);
    }

    record EnvVar(String name, String value, String secretName, String secretKey) {
        @SuppressWarnings("unchecked")
        static EnvVar from(Map<String, Object> e) {
            Map<String, Object> from = (Map<String, Object>) e.getOrDefault("valueFrom", Map.of());
            Map<String, Object> ref = (Map<String, Object>) from.getOrDefault("secretKeyRef", Map.of());
            if (!from.isEmpty() && ref.isEmpty()) {
                throw new UnsupportedOperationException("env " + e.get("name") + ": only secretKeyRef is checked, got " + from.keySet());
            }
            return new EnvVar((String) e.get("name"), (String) e.get("value"), (String) ref.get("name"), (String) ref.get("key"));
        }

        boolean fromSecret() {
            return secretName != null;
        }
    }

    record VolumeMount(String name, String mountPath, String subPath, boolean readOnly) {
        static VolumeMount from(Map<String, Object> m) {
            return new VolumeMount((String) m.get("name"), (String) m.get("mountPath"), (String) m.get("subPath"),
                    Boolean.TRUE.equals(m.get("readOnly")));
        }
    }

    record HttpProbe(String path, int port, int periodSeconds, int failureThreshold) {
        @SuppressWarnings("unchecked")
        static Optional<HttpProbe> from(Object probe) {
            if (probe == null) return Optional.empty();
            Map<String, Object> p = (Map<String, Object>) probe;
            Map<String, Object> get = (Map<String, Object>) p.get("httpGet");
            if (get == null) throw new AssertionError("probe is not an httpGet to the agent: " + p);
            if (!(get.get("port") instanceof Integer port)) {
                // kubelet resolves a named probe port in the probed container only, never in the sidecar.
                throw new AssertionError("probe port must be a number, got " + get.get("port"));
            }
            // Kubernetes' defaults when a field is absent: period 10 s, failure threshold 3.
            return Optional.of(new HttpProbe((String) get.get("path"), port,
                    (Integer) p.getOrDefault("periodSeconds", 10), (Integer) p.getOrDefault("failureThreshold", 3)));
        }

        /** How long the probe tolerates failures before it acts. */
        int toleranceSeconds() {
            return periodSeconds * failureThreshold;
        }
    }
}

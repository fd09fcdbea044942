package io.statefulset.agent.manifests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * `kubectl apply -k` over a running tutorial cluster: the StatefulSet fields Kubernetes refuses to change must be
 * the tutorial's, pods must find their old PVC directory and peers, and the migration kustomization must differ
 * from its overlay only by the token being off.
 */
class TutorialMigrationTest {
    /** The tutorial's volumeClaimTemplates (mysql-statefulset.yaml), which a StatefulSet update may not change. */
    private static final List<Map<String, Object>> TUTORIAL_CLAIMS = List.of(Map.of(
            "metadata", Map.of("name", "data"),
            "spec", Map.of("accessModes", List.of("ReadWriteOnce"), "resources", Map.of("requests", Map.of("storage", "10Gi")))));

    static Stream<String> overlays() {
        return OverlayRenders.overlays();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("overlays")
    void immutableStatefulSetFieldsAreTheTutorials(String overlay) {
        Map<String, Object> spec = OverlayRenders.overlay(overlay).statefulSet("mysql").spec();
        assertEquals(Map.of("matchLabels", Map.of("app", "mysql")), spec.get("selector"));
        assertEquals("mysql", spec.get("serviceName"));
        assertEquals(TUTORIAL_CLAIMS, spec.get("volumeClaimTemplates"));
        assertTrue(!spec.containsKey("podManagementPolicy") || "OrderedReady".equals(spec.get("podManagementPolicy")),
                "the tutorial's OrderedReady: mysql-<n> starts once mysql-<n-1>, its donor, is ready");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("overlays")
    void podsFindTheTutorialsDataDirPeersAndServerIds(String overlay) throws Exception {
        RenderedManifests m = OverlayRenders.overlay(overlay);
        StatefulSet sts = m.statefulSet("mysql");
        List<Container> all = new ArrayList<>(sts.initContainers());
        all.addAll(sts.containers());
        for (Container c : all) {
            c.mounts().stream().filter(mount -> mount.name().equals("data")).forEach(mount ->
                    assertEquals("mysql", mount.subPath(), c.name() + ": the tutorial keeps the data dir in <PVC>/mysql"));
        }
        AgentCommandLine init = AgentCommandLine.of(sts.initContainer("init"), m.secretValues("mysql"));
        assertEquals("100", init.value("server-id-offset"), "the tutorial's server-id = 100 + ordinal");
        assertEquals("mysql", init.value("service"), "peers are mysql-<n>.mysql");
        assertEquals(Map.of("app", "mysql"), m.serviceSpec("mysql").get("selector"));
        assertEquals(Map.of("app", "mysql"), m.serviceSpec("mysql-read").get("selector"));
    }

    @Test
    void migrationKustomizationIsItsOverlayWithTheTokenOff() throws Exception {
        RenderedManifests migration = OverlayRenders.migration();
        Map<String, Map<String, Object>> expected = new LinkedHashMap<>(OverlayRenders.overlay("mysql57").byKindAndName());
        expected.put("StatefulSet/mysql", containersByName(withBlankTokenFile(expected.get("StatefulSet/mysql"))));
        Map<String, Map<String, Object>> actual = new LinkedHashMap<>(migration.byKindAndName());
        actual.put("StatefulSet/mysql", containersByName(actual.get("StatefulSet/mysql")));
        assertEquals(expected.keySet(), actual.keySet());
        for (String key : expected.keySet()) {
            ObjectDifference.first(key, expected.get(key), actual.get(key)).ifPresent(d -> fail("k8s/migration: " + d));
        }
        StatefulSet sts = migration.statefulSet("mysql");
        for (Container c : List.of(sts.initContainer("init"), sts.container("agent"))) {
            AgentCommandLine cli = AgentCommandLine.of(c, migration.secretValues("mysql"));
            assertTrue(cli.given("token-file").isEmpty(), c.name() + ": a blank AGENT_TOKEN_FILE must mean no token");
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> withBlankTokenFile(Map<String, Object> statefulSet) {
        Map<String, Object> copy = (Map<String, Object>) deepCopy(statefulSet);
        Map<String, Object> pod = (Map<String, Object>) ((Map<String, Object>) ((Map<String, Object>) copy.get("spec"))
                .get("template")).get("spec");
        for (String list : List.of("initContainers", "containers")) {
            for (Map<String, Object> c : (List<Map<String, Object>>) pod.get(list)) {
                for (Map<String, Object> e : (List<Map<String, Object>>) c.getOrDefault("env", List.of())) {
                    if (e.get("name").equals("AGENT_TOKEN_FILE")) e.put("value", "");
                }
            }
        }
        return copy;
    }

    /** A patch may reorder containers and env vars (kustomize puts patched items first); the pod does not care. */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> containersByName(Map<String, Object> statefulSet) {
        Map<String, Object> copy = (Map<String, Object>) deepCopy(statefulSet);
        Map<String, Object> pod = (Map<String, Object>) ((Map<String, Object>) ((Map<String, Object>) copy.get("spec"))
                .get("template")).get("spec");
        for (String list : List.of("initContainers", "containers")) {
            Map<Object, Object> byName = new TreeMap<>();
            for (Map<String, Object> c : (List<Map<String, Object>>) pod.get(list)) {
                Map<Object, Object> env = new TreeMap<>();
                for (Map<String, Object> e : (List<Map<String, Object>>) c.getOrDefault("env", List.of())) env.put(e.get("name"), e);
                c.put("env", env);
                byName.put(c.get("name"), c);
            }
            pod.put(list, byName);
        }
        return copy;
    }

    private static Object deepCopy(Object value) {
        if (value instanceof Map<?, ?> m) {
            Map<Object, Object> out = new LinkedHashMap<>();
            m.forEach((k, v) -> out.put(k, deepCopy(v)));
            return out;
        }
        if (value instanceof List<?> l) return new ArrayList<>(l.stream().map(TutorialMigrationTest::deepCopy).toList());
        return value;
    }
}

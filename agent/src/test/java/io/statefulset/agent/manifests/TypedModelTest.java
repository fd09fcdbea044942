package io.statefulset.agent.manifests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.openshift.api.model.monitoring.v1.PrometheusRule;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every object that kustomize renders for the base, each overlay, the migration and each component, parsed into
 * Kubernetes' typed model (fabric8) with no unknown field and no value of the wrong type: what the API server's
 * strict field validation ({@code kubectl apply --validate=strict}) would refuse fails here, with its path.
 */
class TypedModelTest {
    static Stream<String> kustomizations() {
        return OverlayRenderTest.kustomizations();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("kustomizations")
    void everyRenderedObjectParsesStrictlyIntoTheTypedModel(String kustomization) {
        RenderedManifests m = OverlayRenders.render(OverlayRenders.TREE.resolve(kustomization));
        assertFalse(m.objects().isEmpty(), kustomization + " renders nothing");
        for (Map<String, Object> object : m.objects()) {
            HasMetadata typed = TypedModel.parse(object, kustomization);
            assertEquals(object.get("kind"), typed.getKind());
            assertEquals(KustomizeRenderer.name(object), typed.getMetadata().getName());
        }
    }

    @Test
    void aMisspelledContainerFieldFailsWithItsPath() {
        Map<String, Object> sts = copy(OverlayRenders.overlay("mariadb").object("StatefulSet", "mysql"));
        container(sts, 1).put("imagePullPolcy", "Always");
        assertRefused(sts, "StatefulSet/mysql: spec.template.spec.containers[1].imagePullPolcy: unknown field"
                + " 'imagePullPolcy'");
        assertRefused(sts, "has: args, command, env, envFrom, image, imagePullPolicy,"); // the fields it could have meant
    }

    @Test
    void aFieldAtTheWrongLevelFails() {
        // image belongs to a container; the pod spec has no such field.
        Map<String, Object> sts = copy(OverlayRenders.overlay("mariadb").object("StatefulSet", "mysql"));
        podSpec(sts).put("image", "mariadb:10.11");
        assertRefused(sts, "spec.template.spec.image: unknown field");
    }

    @Test
    void aValueOfTheWrongTypeFailsWithItsPath() {
        Map<String, Object> sts = copy(OverlayRenders.overlay("mariadb").object("StatefulSet", "mysql"));
        @SuppressWarnings("unchecked")
        Map<String, Object> spec = (Map<String, Object>) sts.get("spec");
        spec.put("replicas", "3");
        assertRefused(sts, "spec.replicas");
    }

    @Test
    void aMisspelledAlertRuleFieldFailsWithItsPath() {
        Map<String, Object> rule = copy(OverlayRenders.component("monitoring").object("PrometheusRule", "mysql-statefulset-agent"));
        @SuppressWarnings("unchecked")
        Map<String, Object> first = (Map<String, Object>) ((List<Map<String, Object>>) ((Map<String, Object>)
                ((List<Object>) ((Map<String, Object>) rule.get("spec")).get("groups")).get(0)).get("rules")).get(0);
        first.put("expresion", first.remove("expr"));
        assertRefused(rule, "spec.groups[0].rules[0].expresion: unknown field");
    }

    @Test
    void aKindWithoutAModelClassIsNamed() {
        Map<String, Object> object = Map.of("apiVersion", "v1", "kind", "ConfigMapp", "metadata", Map.of("name", "x"));
        assertRefused(object, "no model class for v1/ConfigMapp");
    }

    @Test
    void theTypedObjectsCarryTheValuesOfTheManifests() {
        // The model is read, not only accepted: the StatefulSet's containers and the alert rules come through.
        StatefulSet sts = (StatefulSet) TypedModel.parse(OverlayRenders.overlay("mariadb").object("StatefulSet", "mysql"), "mariadb");
        assertEquals(List.of("mysql", "agent"), sts.getSpec().getTemplate().getSpec().getContainers().stream()
                .map(c -> c.getName()).toList());
        assertEquals(3, sts.getSpec().getReplicas());
        PrometheusRule rule = (PrometheusRule) TypedModel.parse(OverlayRenders.component("monitoring")
                .object("PrometheusRule", "mysql-statefulset-agent"), "monitoring");
        assertTrue(rule.getSpec().getGroups().get(0).getRules().stream().anyMatch(r -> "MysqlReplicaNotReplicating".equals(r.getAlert())));
    }

    private static void assertRefused(Map<String, Object> object, String expectedInMessage) {
        TypedModel.InvalidObject e = assertThrows(TypedModel.InvalidObject.class, () -> TypedModel.parse(object, "test"));
        assertTrue(e.getMessage().contains(expectedInMessage), e.getMessage());
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> podSpec(Map<String, Object> sts) {
        return (Map<String, Object>) ((Map<String, Object>) ((Map<String, Object>) sts.get("spec")).get("template")).get("spec");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> container(Map<String, Object> sts, int index) {
        return ((List<Map<String, Object>>) podSpec(sts).get("containers")).get(index);
    }

    /** A deep copy: the renders are cached and shared by every test. */
    @SuppressWarnings("unchecked")
    private static <T> T copy(T node) {
        if (node instanceof Map<?, ?> map) {
            Map<Object, Object> out = new LinkedHashMap<>();
            map.forEach((k, v) -> out.put(k, copy(v)));
            return (T) out;
        }
        if (node instanceof List<?> list) {
            List<Object> out = new ArrayList<>();
            list.forEach(v -> out.add(copy(v)));
            return (T) out;
        }
        return node;
    }
}

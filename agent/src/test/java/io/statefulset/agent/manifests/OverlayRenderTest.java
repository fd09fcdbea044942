package io.statefulset.agent.manifests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every overlay renders to the tutorial's five objects, and the Java renderer agrees with kubectl's kustomize. */
class OverlayRenderTest {
    private static final Set<String> TUTORIAL_OBJECTS =
            Set.of("ConfigMap/mysql", "Secret/mysql", "Service/mysql", "Service/mysql-read", "StatefulSet/mysql");

    static Stream<String> overlays() {
        return OverlayRenders.overlays();
    }

    /** The base, every overlay, the migration kustomization and the base with each component, relative to the root. */
    static Stream<String> kustomizations() {
        return Stream.of(Stream.of("k8s/base"), overlays().map(o -> "k8s/overlays/" + o), Stream.of("k8s/migration"),
                OverlayRenders.components().map(c -> OverlayRenders.TREE.root()
                        .relativize(OverlayRenders.TREE.baseWithComponent(c)).toString())).flatMap(s -> s);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("overlays")
    void rendersTheTutorialsObjects(String overlay) {
        assertEquals(TUTORIAL_OBJECTS, OverlayRenders.overlay(overlay).byKindAndName().keySet());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("kustomizations")
    void javaRenderEqualsKubectlKustomize(String kustomization) throws Exception {
        Optional<KubectlKustomize> kubectl = KubectlKustomize.onPath();
        assumeTrue(kubectl.isPresent(), "kubectl is not on PATH: the Java renderer's output is checked alone");
        Path dir = OverlayRenders.TREE.resolve(kustomization);
        RenderedManifests expected = new RenderedManifests("kubectl kustomize " + kustomization, kubectl.get().render(dir));
        RenderedManifests actual = OverlayRenders.render(dir);
        Map<String, Map<String, Object>> want = expected.byKindAndName();
        Map<String, Map<String, Object>> got = actual.byKindAndName();
        assertEquals(want.keySet(), got.keySet(), kustomization + ": objects");
        for (String key : want.keySet()) {
            ObjectDifference.first(key, want.get(key), got.get(key)).ifPresent(d -> fail(kustomization + ": " + d
                    + " (left: kubectl, right: KustomizeRenderer)"));
        }
    }

    @Test
    void refusesKustomizeFeaturesItDoesNotImplement(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("kustomization.yaml"), "resources: [cm.yaml]\nnamePrefix: prod-\n");
        Files.writeString(dir.resolve("cm.yaml"), "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n");
        UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class,
                () -> new KustomizeRenderer().render(dir));
        assertTrue(e.getMessage().contains("namePrefix"), e.getMessage());
    }

    @Test
    void refusesAPatchThatMatchesNothing(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("kustomization.yaml"), "resources: [cm.yaml]\npatches:\n- path: p.yaml\n");
        Files.writeString(dir.resolve("cm.yaml"), "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n");
        Files.writeString(dir.resolve("p.yaml"), "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: b}\ndata: {k: v}\n");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new KustomizeRenderer().render(dir));
        assertTrue(e.getMessage().contains("no ConfigMap named b"), e.getMessage());
    }
}

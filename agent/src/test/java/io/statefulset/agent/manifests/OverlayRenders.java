package io.statefulset.agent.manifests;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/** The overlays of k8s/ rendered once per test run by {@link KustomizeRenderer}, for every check to read. */
final class OverlayRenders {
    static final ProjectTree TREE = ProjectTree.locate();
    private static final Map<Path, RenderedManifests> CACHE = new ConcurrentHashMap<>();

    private OverlayRenders() {}

    /** Overlay names, for {@code @MethodSource}. */
    static Stream<String> overlays() {
        return TREE.overlayNames().stream();
    }

    static RenderedManifests overlay(String name) {
        return render(TREE.overlay(name));
    }

    /** Component names, for {@code @MethodSource}. */
    static Stream<String> components() {
        return TREE.componentNames().stream();
    }

    /** k8s/base with one component applied. */
    static RenderedManifests component(String name) {
        return render(TREE.baseWithComponent(name));
    }

    static RenderedManifests migration() {
        return render(TREE.migration());
    }

    static RenderedManifests render(Path dir) {
        return CACHE.computeIfAbsent(dir, d -> {
            try {
                List<Map<String, Object>> objects = new KustomizeRenderer().render(d);
                return new RenderedManifests(TREE.root().relativize(d).toString(), objects);
            } catch (IOException e) {
                throw new UncheckedIOException("rendering " + d, e);
            }
        });
    }
}

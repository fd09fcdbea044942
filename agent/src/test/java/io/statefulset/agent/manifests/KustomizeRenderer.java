package io.statefulset.agent.manifests;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * kustomize in Java for the subset k8s/ uses (see {@link Kustomization}), so the manifest checks run where kubectl
 * is absent. Same order as kustomize: resources, then components, then the kustomization's own generators, patches
 * and image overrides. Where kubectl is present, a test holds the two renders equal.
 */
final class KustomizeRenderer implements ManifestRenderer {
    @Override
    public List<Map<String, Object>> render(Path dir) throws IOException {
        Kustomization k = Kustomization.read(dir);
        if (k.component()) throw new IllegalArgumentException(dir + " is a Component: include it from a Kustomization");
        List<Map<String, Object>> objects = new ArrayList<>();
        accumulate(k, objects);
        return objects;
    }

    private void accumulate(Kustomization k, List<Map<String, Object>> objects) throws IOException {
        for (String resource : k.resources()) {
            Path path = k.dir().resolve(resource).normalize();
            if (Files.isDirectory(path)) {
                objects.addAll(render(path));
            } else {
                objects.addAll(YamlDocuments.parseAll(path));
            }
        }
        for (String component : k.components()) {
            Kustomization c = Kustomization.read(k.dir().resolve(component).normalize());
            if (!c.component()) throw new IllegalArgumentException(c.dir() + " is listed in components but is no Component");
            accumulate(c, objects);
        }
        for (SecretGenerator g : k.secretGenerators()) objects.add(g.generate(k.dir()));
        for (String patchFile : k.patches()) applyPatch(k.dir().resolve(patchFile), objects);
        for (ImageOverride image : k.images()) overrideImages(image, objects);
    }

    private static void applyPatch(Path file, List<Map<String, Object>> objects) throws IOException {
        Map<String, Object> patch = YamlDocuments.parseOne(file);
        for (int i = 0; i < objects.size(); i++) {
            if (sameObject(objects.get(i), patch)) {
                objects.set(i, StrategicMerge.apply(objects.get(i), patch));
                return;
            }
        }
        throw new IllegalArgumentException(file + ": no " + patch.get("kind") + " named " + name(patch) + " to patch");
    }

    private static boolean sameObject(Map<String, Object> a, Map<String, Object> b) {
        return Objects.equals(a.get("apiVersion"), b.get("apiVersion")) && Objects.equals(a.get("kind"), b.get("kind"))
                && Objects.equals(name(a), name(b));
    }

    static String name(Map<String, Object> object) {
        return (String) ((Map<?, ?>) object.get("metadata")).get("name");
    }

    /** kustomize rewrites the image of every container and init container, wherever the pod spec sits. */
    @SuppressWarnings("unchecked")
    private static void overrideImages(ImageOverride image, Object node) {
        if (node instanceof Map<?, ?> map) {
            for (Map.Entry<?, ?> e : map.entrySet()) {
                boolean podContainers = e.getKey().equals("containers") || e.getKey().equals("initContainers");
                if (podContainers && e.getValue() instanceof List<?> containers) {
                    for (Object c : containers) {
                        Map<String, Object> container = (Map<String, Object>) c;
                        if (container.get("image") instanceof String current) container.put("image", image.apply(current));
                    }
                } else {
                    overrideImages(image, e.getValue());
                }
            }
        } else if (node instanceof List<?> list) {
            for (Object item : list) overrideImages(image, item);
        }
    }
}

package io.statefulset.agent.manifests;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** Renders a kustomization directory to the objects {@code kubectl apply -k} would send. */
interface ManifestRenderer {
    List<Map<String, Object>> render(Path kustomizationDir) throws IOException, InterruptedException;
}

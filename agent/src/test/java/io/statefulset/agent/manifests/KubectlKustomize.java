package io.statefulset.agent.manifests;

import io.statefulset.agent.common.backuptool.ProgramPath;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/** The real thing: {@code kubectl kustomize <dir>}, when kubectl is on PATH. */
final class KubectlKustomize implements ManifestRenderer {
    private final Path kubectl;

    private KubectlKustomize(Path kubectl) {
        this.kubectl = kubectl;
    }

    static Optional<KubectlKustomize> onPath() {
        return ProgramPath.find("kubectl", System.getenv()).map(KubectlKustomize::new);
    }

    @Override
    public List<Map<String, Object>> render(Path dir) throws IOException, InterruptedException {
        Path err = Files.createTempFile("kubectl-kustomize", ".err");
        try {
            Process p = new ProcessBuilder(kubectl.toString(), "kustomize", dir.toString())
                    .redirectError(err.toFile()).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException("kubectl kustomize " + dir + " did not finish within 60 s");
            }
            if (p.exitValue() != 0) {
                throw new IOException("kubectl kustomize " + dir + " exited " + p.exitValue() + ": " + Files.readString(err));
            }
            return YamlDocuments.parseAll(out, "kubectl kustomize " + dir);
        } finally {
            Files.deleteIfExists(err);
        }
    }
}

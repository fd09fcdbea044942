package io.statefulset.agent.manifests;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** Where k8s/ and docker/ are: the repository root, found upwards from the test's working dir (agent/). */
final class ProjectTree {
    private final Path root;

    private ProjectTree(Path root) {
        this.root = root;
    }

    static ProjectTree locate() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isDirectory(dir.resolve("k8s/base")) && Files.isDirectory(dir.resolve("docker"))) {
                return new ProjectTree(dir);
            }
        }
        throw new IllegalStateException("no k8s/base and docker/ above " + Path.of("").toAbsolutePath()
                + ": run the tests from the repository (mvn -pl agent test)");
    }

    Path root() {
        return root;
    }

    Path resolve(String relative) {
        return root.resolve(relative);
    }

    Path overlay(String name) {
        return root.resolve("k8s/overlays").resolve(name);
    }

    /** Every directory under k8s/overlays, sorted: a new overlay is checked without touching the tests. */
    List<String> overlayNames() {
        try (Stream<Path> dirs = Files.list(root.resolve("k8s/overlays"))) {
            return dirs.filter(Files::isDirectory).map(p -> p.getFileName().toString()).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every directory under k8s/components, sorted. */
    List<String> componentNames() {
        try (Stream<Path> dirs = Files.list(root.resolve("k8s/components"))) {
            return dirs.filter(Files::isDirectory).map(p -> p.getFileName().toString()).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A kustomization of k8s/base plus one component, in agent/target (kustomize takes only relative paths to
     * both, and a component renders only as part of a kustomization).
     */
    Path baseWithComponent(String component) {
        Path dir = root.resolve("agent/target/component-renders").resolve(component);
        try {
            Files.createDirectories(dir);
            Files.writeString(dir.resolve("kustomization.yaml"), "apiVersion: kustomize.config.k8s.io/v1beta1\n"
                    + "kind: Kustomization\nresources:\n- " + dir.relativize(root.resolve("k8s/base")) + "\n"
                    + "components:\n- " + dir.relativize(root.resolve("k8s/components").resolve(component)) + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return dir;
    }

    Path migration() {
        return root.resolve("k8s/migration");
    }

    Path dockerfile() {
        return root.resolve("docker/Dockerfile");
    }
}

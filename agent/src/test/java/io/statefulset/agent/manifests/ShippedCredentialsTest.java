package io.statefulset.agent.manifests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.List;
import io.statefulset.agent.testing.ExternalCommand;
import java.nio.file.Files;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * The committed k8s/base/secret.env holds placeholders only: non-empty (no empty root password, even for someone
 * who applies without reading) and marked "change-me". Users write real values into their working copy (README),
 * so the committed version is checked, not the file on disk.
 */
class ShippedCredentialsTest {
    private static final String FILE = "k8s/base/secret.env";

    @Test
    void committedSecretValuesArePlaceholdersNeverEmpty() throws Exception {
        assumeTrue(Files.isDirectory(OverlayRenders.TREE.resolve(".git")) || Files.isRegularFile(OverlayRenders.TREE.resolve(".git")),
                "not a git checkout: nothing is committed to check");
        ExternalCommand git = ExternalCommand.run(OverlayRenders.TREE.root(), List.of("git", "show", "HEAD:" + FILE));
        String text = git.output();
        assertEquals(0, git.exitCode(), "git show HEAD:" + FILE + ": " + text);
        Map<String, String> values = new TreeMap<>();
        text.lines().filter(l -> !l.isBlank() && !l.startsWith("#"))
                .forEach(l -> values.put(l.substring(0, l.indexOf('=')), l.substring(l.indexOf('=') + 1)));
        assertEquals(OverlayRenders.overlay("mariadb").secretValues("mysql").keySet(), values.keySet(),
                "the committed file and the rendered Secret have the same keys");
        values.forEach((key, value) -> assertTrue(value.startsWith("change-me-") && value.length() > "change-me-".length(),
                FILE + " commits a real or empty value for " + key + ": keep the placeholder, real values stay local"));
    }
}

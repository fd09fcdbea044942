package io.statefulset.agent.manifests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** k8s/components/tls as k8s/tls renders it: a cert-manager certificate the agents can read and renew from. */
class TlsComponentTest {
    private static final RenderedManifests TLS = OverlayRenders.tls();
    private static final StatefulSet STS = TLS.statefulSet("mysql");

    @Test
    @SuppressWarnings("unchecked")
    void bothContainersReadTheCertificatesSecretFromAVolumeTheKubeletUpdates() throws Exception {
        Map<String, Object> certificate = TLS.object("Certificate", "mysql-agent-tls");
        String secretName = (String) ((Map<String, Object>) certificate.get("spec")).get("secretName");
        Map<String, String> fileByFlag = Map.of("tls-cert-file", "tls.crt", "tls-key-file", "tls.key", "tls-ca-file", "ca.crt");
        for (Container c : List.of(STS.initContainer("init"), STS.container("agent"))) {
            AgentCommandLine cli = AgentCommandLine.of(c, TLS.secretValues("mysql"));
            for (Map.Entry<String, String> e : fileByFlag.entrySet()) {
                String path = cli.given(e.getKey()).orElseThrow(() -> new AssertionError(c.name() + " has no --" + e.getKey()));
                Container.VolumeMount mount = c.mountHolding(path).orElseThrow(() -> new AssertionError(c.name() + " mounts nothing at " + path));
                assertEquals(mount.mountPath() + "/" + e.getValue(), path, "cert-manager's key name");
                assertNull(mount.subPath(), "a subPath mount is never updated: a renewed certificate would not arrive");
                Map<String, Object> secret = (Map<String, Object>) STS.volumes().get(mount.name()).get("secret");
                assertEquals(secretName, secret.get("secretName"), c.name() + ": the Certificate's Secret");
                assertNull(secret.get("items"), "all of the Secret's keys");
            }
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void theCertificateNamesEveryPeerAsInitDialsItWithAKeyTheAgentReads() {
        Map<String, Object> spec = (Map<String, Object>) TLS.object("Certificate", "mysql-agent-tls").get("spec");
        Map<String, Object> key = (Map<String, Object>) spec.get("privateKey");
        assertEquals("PKCS8", key.get("encoding"), "the agent reads PKCS#8 keys only");
        List<String> usages = (List<String>) spec.get("usages");
        assertTrue(usages.containsAll(List.of("server auth", "client auth")), "serve presents it, init presents it: " + usages);
        String service = (String) STS.spec().get("serviceName");
        List<String> dnsNames = (List<String>) spec.get("dnsNames");
        assertTrue(dnsNames.contains("*." + service), "init dials <sts>-<n>." + service + ": " + dnsNames);
        Map<String, Object> issuerRef = (Map<String, Object>) spec.get("issuerRef");
        TLS.object((String) issuerRef.get("kind"), (String) issuerRef.get("name"));
    }

    @Test
    @SuppressWarnings("unchecked")
    void probesAndScrapesSpeakTls() {
        Map<String, Object> sts = TLS.object("StatefulSet", "mysql");
        Map<String, Object> pod = (Map<String, Object>) ((Map<String, Object>) ((Map<String, Object>) sts.get("spec")).get("template")).get("spec");
        Map<String, Object> mysql = ((List<Map<String, Object>>) pod.get("containers")).stream()
                .filter(c -> c.get("name").equals("mysql")).findFirst().orElseThrow();
        for (String probe : List.of("startupProbe", "livenessProbe", "readinessProbe")) {
            Map<String, Object> httpGet = (Map<String, Object>) ((Map<String, Object>) mysql.get(probe)).get("httpGet");
            assertEquals("HTTPS", httpGet.get("scheme"), probe);
            assertEquals(3307, httpGet.get("port"), probe + " keeps its port");
        }
        assertEquals("https", STS.podAnnotations().get("prometheus.io/scheme"));
    }
}

package io.statefulset.agent.manifests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.statefulset.agent.common.protocol.BackupProtocol;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * monitoring/ and k8s/components/monitoring: the alert rules checked and unit-tested by the real {@code promtool}
 * (Debian package prometheus, which bin/setup-deps installs), the PrometheusRule carrying the same rules, the
 * PodMonitor scraping the agent's port, and the Grafana dashboard's queries parsed by promtool too.
 */
class MonitoringTest {
    private static final Path RULES = OverlayRenders.TREE.resolve("monitoring/mysql-agent.rules.yaml");
    private static final Path RULE_TESTS = OverlayRenders.TREE.resolve("monitoring/mysql-agent.rules.test.yaml");
    private static final Path DASHBOARD = OverlayRenders.TREE.resolve("monitoring/grafana-dashboard.json");
    private static final Pattern AGENT_METRIC = Pattern.compile("\\bmysql_agent_[a-z0-9_]+");

    @Test
    void promtoolAcceptsTheRules() throws Exception {
        Promtool.Result r = Promtool.run(RULES.getParent(), "check", "rules", RULES.toString());
        assertEquals(0, r.exitCode(), r.output());
        assertTrue(r.output().contains("SUCCESS"), r.output());
    }

    @Test
    void promtoolUnitTestsOfTheRulesPass() throws Exception {
        Promtool.Result r = Promtool.run(RULE_TESTS.getParent(), "test", "rules", RULE_TESTS.toString());
        assertEquals(0, r.exitCode(), r.output());
    }

    @Test
    @SuppressWarnings("unchecked")
    void everyAlertHasAUnitTestWhereItFires() throws Exception {
        Set<String> alerts = new TreeSet<>();
        for (Map<String, Object> group : (List<Map<String, Object>>) YamlDocuments.parseOne(RULES).get("groups")) {
            for (Map<String, Object> rule : (List<Map<String, Object>>) group.get("rules")) alerts.add((String) rule.get("alert"));
        }
        Set<String> firing = new TreeSet<>();
        for (Map<String, Object> test : (List<Map<String, Object>>) YamlDocuments.parseOne(RULE_TESTS).get("tests")) {
            for (Map<String, Object> check : (List<Map<String, Object>>) test.get("alert_rule_test")) {
                if (!((List<?>) check.get("exp_alerts")).isEmpty()) firing.add((String) check.get("alertname"));
            }
        }
        assertFalse(alerts.isEmpty());
        assertEquals(alerts, firing, "alerts of " + RULES.getFileName() + " vs alerts some test expects to fire");
    }

    @Test
    @SuppressWarnings("unchecked")
    void thePrometheusRuleCarriesTheRulesFile() throws Exception {
        Map<String, Object> rule = OverlayRenders.component("monitoring").object("PrometheusRule", "mysql-statefulset-agent");
        Object inComponent = ((Map<String, Object>) rule.get("spec")).get("groups");
        Object inFile = YamlDocuments.parseOne(RULES).get("groups");
        ObjectDifference.first("groups", inFile, inComponent).ifPresent(d -> fail(
                "monitoring/mysql-agent.rules.yaml and k8s/components/monitoring/prometheusrule.yaml differ: " + d));
    }

    @Test
    @SuppressWarnings("unchecked")
    void thePodMonitorScrapesTheAgentsMetricsPort() throws Exception {
        RenderedManifests m = OverlayRenders.component("monitoring");
        Map<String, Object> spec = (Map<String, Object>) m.object("PodMonitor", "mysql").get("spec");
        Map<String, Object> endpoint = ((List<Map<String, Object>>) spec.get("podMetricsEndpoints")).get(0);
        assertEquals(BackupProtocol.METRICS_PATH, endpoint.get("path"));
        Map<String, Object> template = (Map<String, Object>) ((Map<String, Object>) m.object("StatefulSet", "mysql").get("spec")).get("template");
        Map<String, Object> agent = ((List<Map<String, Object>>) ((Map<String, Object>) template.get("spec")).get("containers"))
                .stream().filter(c -> "agent".equals(c.get("name"))).findFirst().orElseThrow();
        assertEquals(List.of(Map.of("name", endpoint.get("port"), "containerPort", BackupProtocol.DEFAULT_PORT)), agent.get("ports"),
                "the PodMonitor's port name is the agent container's port " + BackupProtocol.DEFAULT_PORT);
        Map<String, Object> podLabels = (Map<String, Object>) ((Map<String, Object>) template.get("metadata")).get("labels");
        Map<String, Object> selector = (Map<String, Object>) ((Map<String, Object>) spec.get("selector")).get("matchLabels");
        assertTrue(podLabels.entrySet().containsAll(selector.entrySet()), "selector " + selector + " vs pod labels " + podLabels);
    }

    @Test
    void everyDashboardQueryParses(@TempDir Path dir) throws Exception {
        // promtool has no query checker, but it parses the expression of every recording rule: one rule per query,
        // with Grafana's variables replaced the way Grafana replaces them.
        StringBuilder rules = new StringBuilder("groups:\n- name: dashboard\n  rules:\n");
        List<String> queries = dashboardQueries();
        assertFalse(queries.isEmpty());
        for (int i = 0; i < queries.size(); i++) {
            String expr = queries.get(i).replace("$instance", ".+").replace("$__rate_interval", "2m");
            rules.append("  - record: dashboard:query").append(i).append("\n    expr: '").append(expr.replace("'", "''")).append("'\n");
        }
        Path file = dir.resolve("dashboard.rules.yaml");
        Files.writeString(file, rules);
        Promtool.Result r = Promtool.run(dir, "check", "rules", file.toString());
        assertEquals(0, r.exitCode(), r.output() + "\n" + rules);
    }

    @Test
    void theDashboardShowsEveryMetricTheReadmeLists() throws Exception {
        Set<String> documented = new TreeSet<>();
        for (String line : Files.readAllLines(OverlayRenders.TREE.resolve("README.md"))) {
            if (!line.startsWith("| `mysql_agent_")) continue;
            Matcher m = AGENT_METRIC.matcher(line.substring(0, line.indexOf('`', 3)));
            if (m.find()) documented.add(m.group());
        }
        assertTrue(documented.size() >= 5, "README's metrics table: " + documented);
        String queries = String.join("\n", dashboardQueries());
        Set<String> missing = new TreeSet<>();
        for (String metric : documented) if (!queries.contains(metric)) missing.add(metric);
        assertEquals(Set.of(), missing, "metrics of README's table that no panel of " + DASHBOARD.getFileName() + " shows");
    }

    @Test
    void everyDashboardPanelUsesTheDataSourceVariable() throws Exception {
        JsonNode dashboard = new ObjectMapper().readTree(DASHBOARD.toFile());
        Set<Integer> ids = new TreeSet<>();
        for (JsonNode panel : dashboard.get("panels")) {
            assertTrue(ids.add(panel.get("id").asInt()), "panel id " + panel.get("id") + " twice");
            if (panel.get("type").asText().equals("row")) continue;
            assertEquals("${datasource}", panel.at("/datasource/uid").asText(), panel.get("title").asText());
            assertTrue(panel.get("targets").size() > 0, panel.get("title").asText() + " has no query");
        }
        assertEquals("datasource", dashboard.at("/templating/list/0/name").asText());
    }

    private static List<String> dashboardQueries() throws IOException {
        List<String> out = new ArrayList<>();
        for (JsonNode panel : new ObjectMapper().readTree(DASHBOARD.toFile()).get("panels")) {
            JsonNode targets = panel.get("targets");
            if (targets != null) for (JsonNode t : targets) out.add(t.get("expr").asText());
        }
        return out;
    }

    /** The real promtool; missing is a failure (bin/setup-deps installs it, and CI runs these tests). */
    private static final class Promtool {
        record Result(int exitCode, String output) {}

        static Result run(Path dir, String... args) throws IOException, InterruptedException {
            List<String> command = new ArrayList<>(List.of(find()));
            command.addAll(List.of(args));
            Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError(command + " did not finish in 60 s");
            }
            return new Result(p.exitValue(), out);
        }

        private static String find() {
            for (String d : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
                if (!d.isEmpty() && Files.isExecutable(Path.of(d, "promtool"))) return Path.of(d, "promtool").toString();
            }
            throw new AssertionError("promtool is not on PATH: apt-get install prometheus (bin/setup-deps does)");
        }
    }
}

package io.statefulset.agent.manifests;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Dockerfile read the way {@code docker build} reads it: comment lines dropped, {@code \} continuations joined,
 * instructions grouped into stages. Enough to follow one build target through its stages and read what it installs
 * and runs.
 */
final class Dockerfile {
    private static final Pattern FROM = Pattern.compile("(?:--platform=\\S+\\s+)?(\\S+)(?:\\s+[Aa][Ss]\\s+(\\S+))?");
    private static final Pattern VARIABLE = Pattern.compile("\\$\\{(\\w+)}|\\$(\\w+)");

    record Instruction(String keyword, String arguments) {}

    record Stage(String name, String from, List<Instruction> instructions) {
        List<String> arguments(String keyword) {
            return instructions.stream().filter(i -> i.keyword().equals(keyword)).map(Instruction::arguments).toList();
        }

        Optional<String> last(String keyword) {
            List<String> all = arguments(keyword);
            return all.isEmpty() ? Optional.empty() : Optional.of(all.get(all.size() - 1));
        }
    }

    private final Path file;
    private final Map<String, String> globalArgs;
    private final List<Stage> stages;

    private Dockerfile(Path file, Map<String, String> globalArgs, List<Stage> stages) {
        this.file = file;
        this.globalArgs = globalArgs;
        this.stages = stages;
    }

    static Dockerfile read(Path file) throws IOException {
        Map<String, String> globalArgs = new LinkedHashMap<>();
        List<Stage> stages = new ArrayList<>();
        List<Instruction> current = null;
        for (Instruction i : instructions(Files.readAllLines(file))) {
            if (i.keyword().equals("FROM")) {
                Matcher m = FROM.matcher(i.arguments());
                if (!m.matches()) throw new IllegalArgumentException(file + ": cannot read FROM " + i.arguments());
                current = new ArrayList<>();
                stages.add(new Stage(m.group(2), m.group(1), current));
            } else if (current == null) {
                if (!i.keyword().equals("ARG")) throw new IllegalArgumentException(file + ": " + i.keyword() + " before FROM");
                String[] arg = i.arguments().split("=", 2);
                globalArgs.put(arg[0], arg.length > 1 ? arg[1] : "");
            } else {
                current.add(i);
            }
        }
        return new Dockerfile(file, globalArgs, stages);
    }

    private static List<Instruction> instructions(List<String> lines) {
        List<Instruction> out = new ArrayList<>();
        StringBuilder pending = new StringBuilder();
        for (String raw : lines) {
            String line = raw.strip();
            if (line.startsWith("#") || (line.isEmpty() && pending.length() == 0)) continue;
            if (line.endsWith("\\")) {
                pending.append(line, 0, line.length() - 1).append(' ');
                continue;
            }
            pending.append(line);
            String text = pending.toString().strip();
            pending.setLength(0);
            if (text.isEmpty()) continue;
            String[] parts = text.split("\\s+", 2);
            out.add(new Instruction(parts[0].toUpperCase(Locale.ROOT), parts.length > 1 ? parts[1].strip() : ""));
        }
        return out;
    }

    Map<String, String> globalArgs() {
        return globalArgs;
    }

    List<Stage> stages() {
        return stages;
    }

    Optional<Stage> stage(String name) {
        return stages.stream().filter(s -> name.equals(s.name())).findFirst();
    }

    /**
     * The stages an image built with these build args is made of, from the last stage back to its base image:
     * a FROM that names an earlier stage continues there.
     */
    List<Stage> chain(Map<String, String> buildArgs) {
        return chainFrom(stages.get(stages.size() - 1), buildArgs);
    }

    /** {@link #chain} of a named stage (a target, or a stage that another one copies from). */
    List<Stage> chainOf(String stageName, Map<String, String> buildArgs) {
        return chainFrom(stage(stageName).orElseThrow(() -> new IllegalArgumentException(file + ": no stage " + stageName)),
                buildArgs);
    }

    private List<Stage> chainFrom(Stage start, Map<String, String> buildArgs) {
        List<Stage> chain = new ArrayList<>();
        Stage stage = start;
        while (true) {
            chain.add(stage);
            String from = expand(stage.from(), buildArgs);
            Optional<Stage> parent = stage(from);
            if (parent.isEmpty()) return chain;
            stage = parent.get();
        }
    }

    /** The image the chain starts from (the first FROM that is no stage of this file). */
    String baseImage(Map<String, String> buildArgs) {
        List<Stage> chain = chain(buildArgs);
        return expand(chain.get(chain.size() - 1).from(), buildArgs);
    }

    private String expand(String text, Map<String, String> buildArgs) {
        Matcher m = VARIABLE.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String name = m.group(1) != null ? m.group(1) : m.group(2);
            String value = buildArgs.getOrDefault(name, globalArgs.get(name));
            if (value == null) throw new IllegalArgumentException(file + ": $" + name + " is neither a build arg nor a global ARG");
            m.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        m.appendTail(out);
        return out.toString();
    }

    /** Every package name given to {@code apt-get install} along the chain (local .deb files excluded). */
    static List<String> aptPackages(List<Stage> chain) {
        List<String> packages = new ArrayList<>();
        for (Stage stage : chain) {
            for (String run : stage.arguments("RUN")) {
                for (String command : run.split("&&|;")) {
                    String[] words = command.strip().split("\\s+");
                    int install = indexOfInstall(words);
                    if (install < 0) continue;
                    for (int i = install + 1; i < words.length; i++) {
                        if (!words[i].startsWith("-") && !words[i].contains("/")) packages.add(words[i]);
                    }
                }
            }
        }
        return packages;
    }

    private static int indexOfInstall(String[] words) {
        for (int i = 0; i + 1 < words.length; i++) {
            if (words[i].equals("apt-get") && words[i + 1].equals("install")) return i + 1;
        }
        return -1;
    }
}

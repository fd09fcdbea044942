package io.statefulset.agent.e2e;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** What {@code agent.jar init} logged about its clone, read from a pod's init.log (the agent's own wording). */
record InitLog(String text) {
    private static final Pattern CLONED = Pattern.compile("init done: cloned [0-9]+ bytes \\([0-9]+ files\\) from (\\S+) in ");
    private static final Pattern REBUILT = Pattern.compile("rebuild: data dir was empty and [0-9]+ of [0-9]+ peers hold data:"
            + " cloned the primary from (\\S+) \\(");

    /** The donor the primary was rebuilt from, if it was. */
    Optional<String> rebuiltFrom() {
        Matcher m = REBUILT.matcher(text);
        return m.find() ? Optional.of(m.group(1)) : Optional.empty();
    }

    /** The primary found no peer with data and started empty (a new cluster). */
    boolean startedEmpty() {
        return text.contains("rebuild: no peer holds data") && text.contains("mysqld initialises an empty data dir");
    }

    /** The donor of the clone that completed, if init cloned at all. */
    Optional<String> clonedFrom() {
        Matcher m = CLONED.matcher(text);
        String donor = null;
        while (m.find()) donor = m.group(1);
        return Optional.ofNullable(donor);
    }

    /** A periodic progress line of a clone from this donor ("clone from d: 12.3 MB received, 9.8 MB/s"). */
    boolean progressFrom(String donor) {
        return Pattern.compile("clone from " + Pattern.quote(donor) + ": [0-9.]+ [MG]B received").matcher(text).find();
    }

    boolean failedFrom(String donor) {
        return text.contains("clone from " + donor + " failed");
    }

    /** A clone was received and prepared: only now may its files, mysql/ last, enter the data dir. */
    boolean prepared() {
        return text.contains("prepare done in");
    }

    /** Init found an initialised data dir and left it alone. */
    boolean leftDataAlone() {
        return text.contains("already initialised") && !text.contains("cloning into");
    }
}

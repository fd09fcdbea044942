package io.statefulset.agent.backup;

import io.statefulset.agent.common.backuptool.BackupTool;
import io.statefulset.agent.common.identity.HostPort;
import java.util.ArrayList;
import java.util.List;

/**
 * The backup tool's command line. The password never appears here: it travels in the defaults file, which
 * MySQL's option parser only honours as the FIRST argument.
 *
 * @param extraOptions the tool's protection against a wrapped redo log, when it has one ({@code RedoProtection})
 */
record BackupCommand(BackupTool tool, HostPort mysql, String user, List<String> extraOptions) {

    List<String> argv(BackupScratch scratch) {
        List<String> argv = new ArrayList<>(List.of(
                tool.executable().toString(),
                "--defaults-extra-file=" + scratch.defaultsFile(),
                "--backup",
                "--slave-info",
                "--stream=xbstream",
                "--host=" + mysql.host(),
                "--port=" + mysql.port(),
                "--user=" + user,
                // The tool's own scratch files land in our dir, so a killed backup leaves nothing elsewhere.
                "--target-dir=" + scratch.targetDir(),
                "--tmpdir=" + scratch.tmpDir()));
        argv.addAll(extraOptions);
        return List.copyOf(argv);
    }
}

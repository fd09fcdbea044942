package io.statefulset.agent.xbstream;

import java.util.List;

/**
 * A file path from the stream, checked to be a plain relative path that stays inside the target: no absolute path,
 * no empty, {@code .} or {@code ..} segment, no backslash, NUL or control character. (Symbolic links already in the
 * target are {@link ExtractionTarget}'s business.)
 */
record StreamPath(String value, List<String> segments) {

    static StreamPath parse(ChunkHeader header) throws XbstreamException {
        String path = header.path();
        if (path.isEmpty()) throw refused(header, "it is empty");
        if (path.startsWith("/")) throw refused(header, "it is absolute");
        for (int i = 0; i < path.length(); i++) {
            char c = path.charAt(i);
            if (c == 0) throw refused(header, "it contains a NUL byte");
            if (c == '\\') throw refused(header, "it contains a backslash");
            if (c < 0x20 || c == 0x7f) throw refused(header, "it contains a control character");
        }
        List<String> segments = List.of(path.split("/", -1));
        for (String segment : segments) {
            if (segment.isEmpty()) throw refused(header, "it has an empty segment");
            if (segment.equals(".")) throw refused(header, "it has a '.' segment");
            if (segment.equals("..")) throw refused(header, "it has a '..' segment, which would leave the target directory");
        }
        return new StreamPath(path, segments);
    }

    static XbstreamException refused(ChunkHeader header, String why) {
        return new XbstreamException("refusing the path of " + header.describe() + ": " + why + ". Backup tools only"
                + " write plain relative paths; the stream is corrupt or was not made by a backup tool. Check what"
                + " listens on the donor's backup port; nothing was written for this path");
    }
}

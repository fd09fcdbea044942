package io.statefulset.agent.backup;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What {@code curl -D file} wrote: the status line, the response headers and, after the first blank line, the
 * trailers (curl 7.64+ passes trailers to the header output).
 */
record CurlDump(int status, Map<String, String> headers, Map<String, String> trailers) {

    static CurlDump read(Path file) throws IOException {
        List<String> lines = Files.readAllLines(file, StandardCharsets.ISO_8859_1);
        if (lines.isEmpty()) throw new AssertionError("curl wrote no headers to " + file);
        int status = Integer.parseInt(lines.get(0).split(" ")[1]);
        Map<String, String> headers = new LinkedHashMap<>();
        Map<String, String> trailers = new LinkedHashMap<>();
        Map<String, String> target = headers;
        for (String line : lines.subList(1, lines.size())) {
            if (line.isEmpty()) {
                target = trailers;
                continue;
            }
            int colon = line.indexOf(':');
            target.put(line.substring(0, colon).trim().toLowerCase(), line.substring(colon + 1).trim());
        }
        return new CurlDump(status, headers, trailers);
    }

    Optional<String> header(String name) {
        return Optional.ofNullable(headers.get(name.toLowerCase()));
    }

    Optional<String> trailer(String name) {
        return Optional.ofNullable(trailers.get(name.toLowerCase()));
    }
}

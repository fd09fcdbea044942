package io.statefulset.agent.xbstream;

import java.io.IOException;

/**
 * A malformed or unsafe xbstream. The message names the file path, the chunk, the stream offset and what to check,
 * so that it can be shown to the user as it is.
 */
public class XbstreamException extends IOException {
    private static final long serialVersionUID = 1L;

    public XbstreamException(String message) {
        super(message);
    }

    public XbstreamException(String message, Throwable cause) {
        super(message, cause);
    }
}

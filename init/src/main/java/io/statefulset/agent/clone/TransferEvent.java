package io.statefulset.agent.clone;

/** User events the handlers of a donor connection tell each other, in pipeline order. */
enum TransferEvent {
    /** The donor is the tutorial's bash sidecar: a raw xbstream follows, no HTTP. Fired before its first byte. */
    LEGACY_DONOR,
    /** The whole body arrived (and, over HTTP, the donor's trailers vouch for it): nothing more is read. */
    BODY_ENDED
}

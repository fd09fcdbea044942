package io.statefulset.agent.clone;

/** User event: the extractor wrote and closed every file of the stream. */
record Extracted(int files) {}

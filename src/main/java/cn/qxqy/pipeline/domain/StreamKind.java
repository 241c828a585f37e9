package cn.qxqy.pipeline.domain;

/**
 * The kinds of stream the event store keeps, each a sequence of versions 1, 2, … under its stream id. A project's
 * stream id is its projectId, which never holds a colon (the ingest's pattern); every other kind's is
 * {@code <prefix>:<id>}, which cannot be a projectId, so no department can post to it. A new kind of stream (issue 26:
 * one per follow-up item) is one more constant here, its event types registered in {@link EventTypes}.
 */
public enum StreamKind {
    PROJECT(""),
    CAMPAIGN("campaign:");

    private final String prefix;

    StreamKind(String prefix) {
        this.prefix = prefix;
    }

    /** The stream id of the {@code id} of this kind: a projectId itself, {@code campaign:2024-qxqy} for a campaign. */
    public String streamId(String id) {
        return prefix + id;
    }

    /** Whether the stream is a project's. */
    public static boolean isProject(String streamId) {
        return streamId.indexOf(':') < 0;
    }
}

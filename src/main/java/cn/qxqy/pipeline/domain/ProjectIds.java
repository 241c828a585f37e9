package cn.qxqy.pipeline.domain;

import java.util.regex.Pattern;

/**
 * What a project's id may be. Other streams of the store (a campaign's, {@link StreamKind}) have ids outside it, so an
 * id outside it names no project, whatever the store holds under it.
 */
public final class ProjectIds {

    public static final Pattern PATTERN = Pattern.compile("^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$");

    private ProjectIds() {
    }

    public static boolean isProjectId(String id) {
        return id != null && PATTERN.matcher(id).matches();
    }
}

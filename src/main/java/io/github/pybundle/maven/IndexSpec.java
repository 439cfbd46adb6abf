package io.github.pybundle.maven;

import java.util.List;

/**
 * One {@code <index>} of {@code <indexes>}: an {@code <id>} (matching a settings.xml {@code <server>} for
 * credentials) and the simple-API {@code <url>}.
 */
public class IndexSpec {
    /** The index id; credentials come from the settings.xml server with this id. */
    String id;
    /** The simple-API base URL, e.g. https://nexus.example/repository/pypi/simple/. */
    String url;
    /**
     * Further origins that may receive this index's credentials (e.g. {@code https://files.example.com} when the
     * index's pages link to a separate file host). Without it, credentials go only to the index's own origin.
     *
     * @since 0.2.0
     */
    List<String> credentialsFor;

    public IndexSpec() {
    }

    IndexSpec(String id, String url) {
        this.id = id;
        this.url = url;
    }
}

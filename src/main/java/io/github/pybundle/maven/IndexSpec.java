package io.github.pybundle.maven;

/**
 * One {@code <index>} of {@code <indexes>}: an {@code <id>} (matching a settings.xml {@code <server>} for
 * credentials) and the simple-API {@code <url>}.
 */
public class IndexSpec {
    /** The index id; credentials come from the settings.xml server with this id. */
    String id;
    /** The simple-API base URL, e.g. https://nexus.example/repository/pypi/simple/. */
    String url;

    public IndexSpec() {
    }

    IndexSpec(String id, String url) {
        this.id = id;
        this.url = url;
    }
}

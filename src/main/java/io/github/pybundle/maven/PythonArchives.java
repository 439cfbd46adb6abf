package io.github.pybundle.maven;

import io.github.pybundle.core.InvalidConfigurationException;
import io.github.pybundle.core.target.PythonArchive;
import java.io.File;
import java.util.regex.Pattern;
import org.eclipse.aether.artifact.DefaultArtifact;
import org.eclipse.aether.resolution.ArtifactRequest;
import org.eclipse.aether.resolution.ArtifactResolutionException;

/**
 * {@code <target><pythonArchive>} as a core source: a URL, Maven coordinates resolved through the project's
 * repositories (so a team mirrors the interpreter in Nexus once, with the credentials Maven already has), or a path
 * relative to the project.
 */
final class PythonArchives {
    // groupId:artifactId:version[:type[:classifier]], each part without slashes, backslashes or colons.
    private static final Pattern COORDINATES = Pattern.compile("[^:/\\\\\\s]+(:[^:/\\\\\\s]+){2,4}");

    private PythonArchives() {
    }

    static PythonArchive.Source source(TargetConfig t, AbstractDependencyMojo mojo) {
        if (t.pythonArchive == null || t.pythonArchive.isBlank()) {
            return null;
        }
        String value = t.pythonArchive.strip();
        if (value.contains("://")) {
            return PythonArchive.Source.url(value, t.pythonArchiveSha256);
        }
        if (COORDINATES.matcher(value).matches()) {
            String[] p = value.split(":");
            String type = p.length > 3 ? p[3] : "tar.gz";
            String classifier = p.length > 4 ? p[4] : "";
            DefaultArtifact artifact = new DefaultArtifact(p[0], p[1], classifier, type, p[2]);
            try {
                File file = mojo.repositorySystem.resolveArtifact(mojo.session.getRepositorySession(),
                        new ArtifactRequest(artifact, mojo.project.getRemoteProjectRepositories(), null)).getArtifact()
                        .getFile();
                return PythonArchive.Source.file(value, file.toPath(), t.pythonArchiveSha256);
            } catch (ArtifactResolutionException e) {
                throw new InvalidConfigurationException("target", value, "{@target.pythonArchive} " + value
                        + " cannot be resolved from the project's repositories: " + e.getMessage(), "check the"
                        + " coordinates (groupId:artifactId:version[:type[:classifier]], type default tar.gz) and"
                        + " that a repository of the pom or settings.xml has it");
            }
        }
        File f = new File(value);
        if (!f.isAbsolute() && mojo.project.getBasedir() != null) {
            f = new File(mojo.project.getBasedir(), value);
        }
        return PythonArchive.Source.file(value, f.toPath(), t.pythonArchiveSha256);
    }
}

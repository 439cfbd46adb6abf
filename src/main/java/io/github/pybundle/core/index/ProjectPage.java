package io.github.pybundle.core.index;

import java.util.List;

/**
 * What one source knows of a project.
 *
 * @param name the normalised project name
 * @param sourceId the source's id
 * @param files the files, in the order the source lists them
 */
public record ProjectPage(String name, String sourceId, List<DistributionFile> files) {
    public ProjectPage {
        files = List.copyOf(files);
    }
}

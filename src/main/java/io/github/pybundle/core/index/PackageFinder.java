package io.github.pybundle.core.index;

import io.github.pybundle.core.InvalidConfigurationException;
import io.github.pybundle.core.spec.name.ProjectName;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Finds a project across the configured sources. The first index (in the order given) that has the project supplies
 * all of its files: versions are never mixed across indexes, which defends against dependency confusion (a public
 * package shadowing an internal one). {@code <indexPins>} bind a project to one index. Find-links locations are
 * local or explicitly trusted and always add their files.
 */
public final class PackageFinder {
    private final List<PackageSource> indexes;
    private final List<PackageSource> findLinks;
    private final Map<String, PackageSource> pins = new LinkedHashMap<>();
    private final IndexClient client;

    /**
     * @param pins normalised project name → index id
     * @throws InvalidConfigurationException when a pin names an unknown index
     */
    public PackageFinder(List<PackageSource> indexes, List<PackageSource> findLinks, Map<String, String> pins,
                         IndexClient client) {
        this.indexes = List.copyOf(indexes);
        this.findLinks = List.copyOf(findLinks);
        this.client = client;
        pins.forEach((project, id) -> {
            PackageSource s = indexes.stream().filter(i -> i.id().equals(id)).findFirst().orElseThrow(() ->
                    new InvalidConfigurationException("indexPins", project + "=" + id, "the pin of '" + project
                            + "' names the index '" + id + "', which is not configured (ids: "
                            + indexes.stream().map(PackageSource::id).toList() + ")",
                            "use the {@id} of one of the {@indexes}"));
            this.pins.put(ProjectName.normalize(project), s);
        });
    }

    /** All files for a project, or null when no source has it. */
    public ProjectPage find(String project) throws IOException {
        String name = ProjectName.normalize(project);
        List<DistributionFile> files = new ArrayList<>();
        Set<String> seen = new LinkedHashSet<>();
        String from = null;
        List<PackageSource> order = pins.containsKey(name) ? List.of(pins.get(name)) : indexes;
        for (PackageSource index : order) {
            ProjectPage page = client.project(index, name);
            if (page != null) {
                page.files().forEach(f -> {
                    if (seen.add(f.filename())) {
                        files.add(f);
                    }
                });
                from = index.id();
                break; // first index wins
            }
        }
        for (PackageSource fl : findLinks) {
            ProjectPage page = client.project(fl, name);
            if (page != null) {
                page.files().forEach(f -> {
                    if (seen.add(f.filename())) {
                        files.add(f);
                    }
                });
                from = from == null ? fl.id() : from;
            }
        }
        return files.isEmpty() ? null : new ProjectPage(name, from, files);
    }

    /** The source with an id, or null. */
    public PackageSource source(String id) {
        for (PackageSource s : indexes) {
            if (s.id().equals(id)) {
                return s;
            }
        }
        for (PackageSource s : findLinks) {
            if (s.id().equals(id)) {
                return s;
            }
        }
        return null;
    }

    /** The index sources, in order. */
    public List<PackageSource> indexes() {
        return indexes;
    }
}

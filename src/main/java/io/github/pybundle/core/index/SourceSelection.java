package io.github.pybundle.core.index;

import io.github.pybundle.core.InvalidConfigurationException;
import io.github.pybundle.core.requirements.RequirementsFile;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Decides which sources a build uses, most specific first: the pom's {@code <indexes>}, else its
 * {@code <indexUrl>}, else the {@code --index-url}/{@code --extra-index-url} of the requirements files, else the
 * machine's pip configuration, else the public index. Find-links come from the pom, the requirements files and pip's
 * configuration together. Pip's {@code no-index} and the requirements files' {@code --no-index} leave only
 * find-links.
 */
public final class SourceSelection {
    /** The id of the index given by {@code <indexUrl>} (its settings.xml {@code <server>} id). */
    public static final String INDEX_URL_ID = "pybundle-index";

    /**
     * A pom {@code <index>}.
     *
     * @param id the id (its settings.xml server gives the credentials)
     * @param url the simple-API URL
     * @param credentialsFor further origins that may receive the index's credentials
     */
    public record IndexSpec(String id, String url, List<String> credentialsFor) {
        public IndexSpec {
            credentialsFor = credentialsFor == null ? List.of() : List.copyOf(credentialsFor);
        }

        public IndexSpec(String id, String url) {
            this(id, url, List.of());
        }
    }

    /** The chosen sources and a line saying where they came from. */
    public record Result(List<PackageSource> indexes, List<PackageSource> findLinks, String origin) {
    }

    private SourceSelection() {
    }

    public static Result choose(List<IndexSpec> pomIndexes, String pomIndexUrl, List<String> pomFindLinks,
                                List<RequirementsFile> files, PipConfiguration pip) {
        List<PackageSource> indexes = new ArrayList<>();
        String origin;
        boolean noIndex = files.stream().anyMatch(RequirementsFile::noIndex) || pip.noIndex();
        if (!pomIndexes.isEmpty()) {
            Set<String> ids = new LinkedHashSet<>();
            for (int i = 0; i < pomIndexes.size(); i++) {
                IndexSpec s = pomIndexes.get(i);
                if (s.id() == null || s.id().isBlank() || s.url() == null || s.url().isBlank()) {
                    throw new InvalidConfigurationException("indexes", s.url(), "{@index} " + (i + 1)
                            + " needs both an {@id} and a {@url}", "e.g. {@index={@id=corp}"
                            + "{@url=https://nexus.example/repository/pypi/simple/}}");
                }
                if (!ids.add(s.id())) {
                    throw new InvalidConfigurationException("indexes", s.id(), "two {@index} elements have the id '"
                            + s.id() + "'", "give each index its own {@id}");
                }
                indexes.add(PackageSource.of(s.id(), s.url(), PackageSource.Kind.INDEX, "indexes")
                        .withCredentialOrigins(s.credentialsFor(), "indexes"));
            }
            origin = "{@indexes}";
            noIndex = false;
        } else if (pomIndexUrl != null && !pomIndexUrl.isBlank()) {
            indexes.add(PackageSource.of(INDEX_URL_ID, pomIndexUrl, PackageSource.Kind.INDEX, "indexUrl"));
            origin = "{@indexUrl}";
            noIndex = false;
        } else if (files.stream().anyMatch(f -> f.indexUrl() != null || !f.extraIndexUrls().isEmpty())) {
            int n = 0;
            for (RequirementsFile f : files) {
                if (f.indexUrl() != null) {
                    indexes.add(PackageSource.of("requirements-index", f.indexUrl(), PackageSource.Kind.INDEX,
                            "requirementsFiles"));
                }
                for (String extra : f.extraIndexUrls()) {
                    indexes.add(PackageSource.of("requirements-extra-index-" + ++n, extra, PackageSource.Kind.INDEX,
                            "requirementsFiles"));
                }
            }
            origin = "--index-url in the requirements files";
        } else if (pip.indexUrl() != null || !pip.extraIndexUrls().isEmpty()) {
            indexes.add(PackageSource.of("pip-index", pip.indexUrl() != null ? pip.indexUrl()
                    : PackageSource.DEFAULT_INDEX, PackageSource.Kind.INDEX, "pip configuration"));
            int n = 0;
            for (String extra : pip.extraIndexUrls()) {
                indexes.add(PackageSource.of("pip-extra-index-" + ++n, extra, PackageSource.Kind.INDEX,
                        "pip configuration"));
            }
            origin = "pip configuration " + pip.files();
        } else {
            indexes.add(PackageSource.of("pypi", PackageSource.DEFAULT_INDEX, PackageSource.Kind.INDEX, "indexUrl"));
            origin = "default";
        }
        if (noIndex) {
            indexes.clear();
            origin = "--no-index: find-links only";
        }
        List<PackageSource> findLinks = new ArrayList<>();
        Set<String> seen = new LinkedHashSet<>();
        List<String> all = new ArrayList<>(pomFindLinks);
        files.forEach(f -> all.addAll(f.findLinks()));
        all.addAll(pip.findLinks());
        int n = 0;
        for (String fl : all) {
            if (!fl.isBlank() && seen.add(fl.strip())) {
                findLinks.add(PackageSource.of("find-links-" + ++n, fl, PackageSource.Kind.FIND_LINKS, "findLinks"));
            }
        }
        return new Result(indexes, findLinks, origin);
    }
}

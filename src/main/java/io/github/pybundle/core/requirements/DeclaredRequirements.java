package io.github.pybundle.core.requirements;

import io.github.pybundle.core.InvalidConfigurationException;
import io.github.pybundle.core.spec.metadata.CoreMetadataFile;
import io.github.pybundle.core.spec.name.ProjectName;
import io.github.pybundle.core.spec.pep440.SpecifierSet;
import io.github.pybundle.core.spec.pep508.InvalidRequirementException;
import io.github.pybundle.core.spec.pep508.Requirement;
import io.github.pybundle.core.wheel.WheelSource;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Everything the project declares it needs, gathered from the pom, requirements files and pyproject.toml, validated
 * as a whole at the start of the build so that a typo fails before any work is done.
 */
public final class DeclaredRequirements {
    /**
     * Where to look.
     *
     * @param requirements requirement strings from the pom ({@code <requirements>})
     * @param constraints constraint strings from the pom ({@code <constraints>})
     * @param requirementsFiles pip requirements files ({@code <requirementsFiles>})
     * @param pyproject a pyproject.toml, or null
     * @param pyprojectExplicit whether the user named the pyproject (then it must exist)
     * @param extras optional-dependency groups of the pyproject to include ({@code <extras>})
     * @param dependencyGroups PEP 735 groups of the pyproject to include ({@code <dependencyGroups>})
     * @param environment variables for {@code ${VAR}} in requirements files
     * @param requireHashes turn hash-checking mode on even when no requirement has a hash ({@code <requireHashes>})
     */
    public record Request(List<String> requirements, List<String> constraints, List<Path> requirementsFiles,
                         Path pyproject, boolean pyprojectExplicit, List<String> extras,
                         List<String> dependencyGroups, Map<String, String> environment, boolean requireHashes) {
        /** A request without {@code requireHashes}. */
        public Request(List<String> requirements, List<String> constraints, List<Path> requirementsFiles,
                       Path pyproject, boolean pyprojectExplicit, List<String> extras,
                       List<String> dependencyGroups, Map<String, String> environment) {
            this(requirements, constraints, requirementsFiles, pyproject, pyprojectExplicit, extras, dependencyGroups,
                    environment, false);
        }
    }

    private final List<DeclaredRequirement> requirements;
    private final List<DeclaredRequirement> constraints;
    private final List<DeclaredRequirement> published;
    private final List<RequirementsFile> files;
    private final SpecifierSet requiresPython;
    private final PyprojectFile pyproject;
    private final HashPolicy hashes;

    private DeclaredRequirements(List<DeclaredRequirement> requirements, List<DeclaredRequirement> constraints,
                                 List<DeclaredRequirement> published, List<RequirementsFile> files,
                                 SpecifierSet requiresPython, PyprojectFile pyproject, HashPolicy hashes) {
        this.requirements = List.copyOf(requirements);
        this.constraints = List.copyOf(constraints);
        this.published = List.copyOf(published);
        this.files = List.copyOf(files);
        this.requiresPython = requiresPython;
        this.pyproject = pyproject;
        this.hashes = hashes;
    }

    /**
     * Reads and validates every source.
     *
     * @throws InvalidConfigurationException for a bad pom entry (names the element and the entry)
     * @throws InvalidRequirementsFileException for a bad line in a file (names file and line)
     */
    public static DeclaredRequirements collect(Request request) throws IOException {
        List<DeclaredRequirement> requirements = new ArrayList<>();
        List<DeclaredRequirement> constraints = new ArrayList<>();
        List<DeclaredRequirement> published = new ArrayList<>();
        List<DeclaredRequirement> fromPom = pomEntries(request.requirements(), "requirements");
        requirements.addAll(fromPom);
        published.addAll(fromPom);
        constraints.addAll(pomEntries(request.constraints(), "constraints"));

        // The top-level requirements pip's hash-checking rules apply to: the pom's and the requirements files'. The
        // pyproject's are the project's own abstract dependencies, like those of the project pip installs: their
        // packages need hashes from some requirement or constraint, but no pin of their own.
        List<DeclaredRequirement> hashRoots = new ArrayList<>(fromPom);
        String requireHashes = request.requireHashes() ? "{@requireHashes}" : null;
        List<RequirementsFile> files = new ArrayList<>();
        RequirementsFileParser parser = new RequirementsFileParser(request.environment());
        for (Path f : request.requirementsFiles()) {
            if (!Files.isRegularFile(f)) {
                throw new InvalidConfigurationException("requirementsFiles", f.toString(),
                        "the requirements file " + f + " does not exist",
                        "create it, or remove it from {@requirementsFiles}");
            }
            RequirementsFile parsed = parser.parse(f);
            files.add(parsed);
            requirements.addAll(parsed.requirements());
            constraints.addAll(parsed.constraints());
            hashRoots.addAll(parsed.requirements());
            if (requireHashes == null && parsed.requireHashes() != null) {
                requireHashes = "--require-hashes in " + parsed.requireHashes();
            }
        }

        PyprojectFile pyproject = null;
        SpecifierSet requiresPython = null;
        Path pp = request.pyproject();
        if (pp != null && Files.isRegularFile(pp)) {
            pyproject = PyprojectFile.parse(pp);
            requiresPython = pyproject.requiresPython();
            requirements.addAll(pyproject.dependencies());
            published.addAll(pyproject.dependencies());
        } else if (pp != null && request.pyprojectExplicit()) {
            throw new InvalidConfigurationException("pyproject", pp.toString(), "the pyproject file " + pp
                    + " does not exist", "create it, or remove {@pyproject} to use pyproject.toml when present");
        }
        for (String extra : request.extras()) {
            List<DeclaredRequirement> reqs = pyproject == null ? null : pyproject.optionalDependencies(extra);
            if (reqs == null) {
                throw new InvalidConfigurationException("extras", extra, "the extra '" + extra + "' is not declared"
                        + (pyproject == null ? ": there is no pyproject.toml" : " in [project.optional-dependencies]"
                        + " of " + pp + " (declared: " + pyproject.extras() + ")"),
                        "declare it in pyproject.toml, or remove it from {@extras}");
            }
            requirements.addAll(reqs);
        }
        for (String group : request.dependencyGroups()) {
            List<DeclaredRequirement> reqs = pyproject == null ? null : pyproject.dependencyGroup(group);
            if (reqs == null) {
                throw new InvalidConfigurationException("dependencyGroups", group, "the dependency group '" + group
                        + "' is not declared" + (pyproject == null ? ": there is no pyproject.toml"
                        : " in [dependency-groups] of " + pp + " (declared: " + pyproject.dependencyGroups() + ")"),
                        "declare it in pyproject.toml, or remove it from {@dependencyGroups}");
            }
            requirements.addAll(reqs);
        }
        List<DeclaredRequirement> others = new ArrayList<>(requirements);
        others.removeAll(hashRoots);
        others.addAll(constraints);
        return new DeclaredRequirements(requirements, constraints, published, files, requiresPython, pyproject,
                HashPolicy.of(requireHashes, hashRoots, others));
    }

    private static List<DeclaredRequirement> pomEntries(List<String> entries, String element) {
        List<DeclaredRequirement> out = new ArrayList<>();
        for (int i = 0; i < entries.size(); i++) {
            String text = entries.get(i) == null ? "" : entries.get(i).strip();
            String where = "{@" + element + "} entry " + (i + 1);
            try {
                out.add(RequirementsFileParser.declared(where, text));
            } catch (InvalidRequirementsFileException e) {
                String detail = e.getMessage().substring(where.length() + 2);
                throw new InvalidConfigurationException(element, text, "entry " + (i + 1) + ": " + detail,
                        e.hints().toArray(new String[0]));
            }
        }
        return out;
    }

    /**
     * These requirements plus the {@code Requires-Dist} of wheels the build tool supplies (e.g. Maven dependencies of
     * type whl): their dependencies must be resolved too. The wheels themselves are bundled as they are.
     */
    public DeclaredRequirements withRequirementsOf(List<Path> wheels) throws IOException {
        if (wheels.isEmpty()) {
            return this;
        }
        List<DeclaredRequirement> more = new ArrayList<>(requirements);
        for (Path w : wheels) {
            CoreMetadataFile md = CoreMetadataFile
                    .parse(WheelSource.readMetadata(w),
                            w.getFileName() + "!METADATA");
            for (Requirement r : md.requiresDist()) {
                if (r.marker() == null || !r.marker().mentionsExtra()) {
                    more.add(new DeclaredRequirement(r, md.name() + " " + md.version() + " (" + w.getFileName()
                            + ")", List.of()));
                }
            }
        }
        return new DeclaredRequirements(more, constraints, published, files, requiresPython, pyproject, hashes);
    }

    /** Everything to install, in declaration order. */
    /** The pyproject.toml read, or null. */
    public PyprojectFile pyproject() {
        return pyproject;
    }

    /** The requirements, in declaration order. */
    public List<DeclaredRequirement> requirements() {
        return requirements;
    }

    /** Constraints: they restrict versions of packages that are required anyway, and add none. */
    public List<DeclaredRequirement> constraints() {
        return constraints;
    }

    /**
     * Hash-checking mode: whether it is on, and the hashes of each package (see {@link HashPolicy}). The requirements
     * that wheels supplied by the build tool add ({@link #withRequirementsOf}) are treated as dependencies.
     */
    public HashPolicy hashes() {
        return hashes;
    }

    /** The requirements files read, for their index options. */
    public List<RequirementsFile> files() {
        return files;
    }

    /** {@code requires-python} of the pyproject, or null. */
    public SpecifierSet requiresPython() {
        return requiresPython;
    }

    /**
     * What the project's own wheel declares as {@code Requires-Dist}: the pom's requirements and the pyproject's
     * dependencies, plus each optional-dependency group under its extra's marker. Requirements files and dependency
     * groups are deployment inputs and are not published.
     */
    public List<Requirement> publishedRequirements() {
        List<Requirement> out = new ArrayList<>();
        published.forEach(d -> out.add(d.requirement()));
        if (pyproject != null) {
            for (String extra : pyproject.extras()) {
                for (DeclaredRequirement d : pyproject.optionalDependencies(extra)) {
                    out.add(withExtraMarker(d.requirement(), extra));
                }
            }
        }
        return out;
    }

    /** The extras the project's own wheel declares ({@code Provides-Extra}), normalised. */
    public List<String> publishedExtras() {
        return pyproject == null ? List.of() : new ArrayList<>(pyproject.extras());
    }

    private static Requirement withExtraMarker(Requirement r, String extra) {
        String text = r.toString();
        String condition = "extra == \"" + ProjectName.normalize(extra) + "\"";
        String combined = r.marker() == null ? text + " ; " + condition
                : text.substring(0, text.indexOf("; ")) + "; (" + r.marker() + ") and " + condition;
        try {
            return Requirement.parse(combined);
        } catch (InvalidRequirementException e) {
            throw new IllegalStateException("could not add the extra marker to " + text, e);
        }
    }
}

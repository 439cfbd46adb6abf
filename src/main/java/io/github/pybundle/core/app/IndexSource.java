package io.github.pybundle.core.app;

import io.github.pybundle.core.index.IndexConfiguration;
import io.github.pybundle.core.requirements.RequirementsFile;
import java.io.IOException;
import java.util.List;

/**
 * Supplies the package sources of a build once the requirements files are read (they may name indexes). The build
 * tool's adapter implements it, since it alone knows the tool's settings: credentials, proxies, offline mode.
 */
@FunctionalInterface
public interface IndexSource {
    /** The sources, network settings and cache for a build whose requirements files are {@code files}. */
    IndexConfiguration configure(List<RequirementsFile> files) throws IOException;
}

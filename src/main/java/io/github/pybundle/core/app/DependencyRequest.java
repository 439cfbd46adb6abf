package io.github.pybundle.core.app;

import io.github.pybundle.core.requirements.DeclaredRequirements;
import java.nio.file.Path;
import java.util.Map;

/**
 * What the goals that read dependencies share: the declared requirements, the target, resolution options, the lock.
 *
 * @param requirements where requirements are declared
 * @param target the cluster
 * @param allowPrereleases whether pre-releases may be chosen
 * @param allowSourceBuilds whether pure-Python sdists may be built with a local interpreter
 * @param lockFile the PEP 751 lock
 * @param env the environment variables (pip's configuration, PATH for interpreters)
 */
public record DependencyRequest(DeclaredRequirements.Request requirements, TargetRequest target,
                                boolean allowPrereleases, boolean allowSourceBuilds, Path lockFile,
                                Map<String, String> env) {
}

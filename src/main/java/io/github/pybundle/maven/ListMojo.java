package io.github.pybundle.maven;

import io.github.pybundle.core.app.ListService;
import java.util.List;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;

/**
 * Lists what the last {@code bundle} holds, by package: version, where it went (py-files zip, environment archive,
 * provided by the cluster, excluded), size, pure or native; then the shipped JARs and interpreter. It reads the lock
 * and the outputs in the build directory, and builds nothing: no default phase, {@code mvn package pybundle:list}.
 *
 * @since 0.2.0
 */
@Mojo(name = "list", threadSafe = true)
public class ListMojo extends AbstractDependencyMojo {
    /** Base name of the outputs. */
    @Parameter(defaultValue = "${project.build.finalName}", readonly = true, required = true)
    protected String finalName;

    /**
     * The packages the bundle leaves out ({@code bundle}'s {@code <excludes>}), so that they are listed as excluded.
     *
     * @since 0.2.0
     */
    @Parameter(property = "pybundle.excludes")
    protected List<String> excludes;

    /**
     * Also list every file of the py-files zip and of the environment archive, with its size and package.
     *
     * @since 0.2.0
     */
    @Parameter(property = "pybundle.list.files", defaultValue = "false")
    protected boolean files;

    @Override
    protected void doExecute() throws Exception {
        new ListService(listener()).list(new ListService.Request(outputDirectory.toPath(), finalName,
                lockFile == null ? null : lockFile.toPath(), targetRequest(), excludes, files));
    }

    @Override
    protected String goal() {
        return "pybundle:list";
    }
}

package io.github.pybundle.maven;

import io.github.pybundle.core.app.ProfilesService;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;

/**
 * Lists the built-in cluster profiles for {@code <target><profile>}: each one's Python, platform, Spark version,
 * number of provided packages and vendor source; with {@code -Dpybundle.profile=NAME}, one profile in full (every
 * source and what it says, and its notes). Needs no project.
 *
 * @since 0.2.0
 */
@Mojo(name = "profiles", threadSafe = true, requiresProject = false)
public class ProfilesMojo extends AbstractPyBundleMojo {
    /**
     * A profile to show in full instead of the list.
     *
     * @since 0.2.0
     */
    @Parameter(property = "pybundle.profile")
    protected String profile;

    @Override
    protected void doExecute() {
        ProfilesService service = new ProfilesService(listener());
        if (profile == null || profile.isBlank()) {
            service.list();
        } else {
            service.show(profile);
        }
    }

    @Override
    protected String goal() {
        return "pybundle:profiles";
    }
}

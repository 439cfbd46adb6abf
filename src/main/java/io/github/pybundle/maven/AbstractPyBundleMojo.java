package io.github.pybundle.maven;

import io.github.pybundle.core.event.BuildListener;
import io.github.pybundle.core.event.JvmUsage;
import io.github.pybundle.core.event.PhaseTimer;
import io.github.pybundle.core.project.BuildTimestamp;
import java.io.File;
import java.time.Instant;
import java.util.HashSet;
import java.util.Set;
import org.apache.maven.execution.MavenSession;
import org.apache.maven.plugin.AbstractMojo;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.Component;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.project.MavenProject;
import org.apache.maven.project.MavenProjectHelper;

/**
 * The base of every pybundle goal: {@code skip}, the project and session, the final {@link #execute()} that times
 * the goal, renders core events into the Maven log and maps core errors to Maven failures ({@link ErrorMapper}).
 * Concrete goals only turn their parameters into a core request and call a core service.
 */
public abstract class AbstractPyBundleMojo extends AbstractMojo {
    /** The project being built. */
    @Parameter(defaultValue = "${project}", readonly = true, required = true)
    protected MavenProject project;

    /** The running build, for its start time. */
    @Parameter(defaultValue = "${session}", readonly = true, required = true)
    protected MavenSession session;

    /** Attaches outputs to the project so that install and deploy publish them. */
    @Component
    protected MavenProjectHelper projectHelper;

    /**
     * Skips this goal.
     *
     * @since 0.1.0
     */
    @Parameter(property = "pybundle.skip", defaultValue = "false")
    protected boolean skip;

    /**
     * Directory the outputs are written to.
     *
     * @since 0.1.0
     */
    @Parameter(defaultValue = "${project.build.directory}", required = true)
    protected File outputDirectory;

    /**
     * Timestamp for reproducible output archives: ISO-8601 date-time with offset, or seconds since the epoch. When
     * unset, {@code SOURCE_DATE_EPOCH} is used, else the build's start.
     *
     * @since 0.1.0
     */
    @Parameter(defaultValue = "${project.build.outputTimestamp}")
    protected String outputTimestamp;

    /**
     * Whether to attach the outputs to the project, so that {@code install} and {@code deploy} publish them.
     *
     * @since 0.1.0
     */
    @Parameter(property = "pybundle.attach", defaultValue = "true")
    protected boolean attach;

    /**
     * Whether to report, besides the goal's time and its phases, the work behind them summed over all threads (page
     * requests, page parsing, waiting for pages and metadata, downloads, wheel checks), at INFO rather than DEBUG,
     * and what the whole JVM spent meanwhile (CPU of all its threads, JIT compiling, garbage collection).
     *
     * @since 0.2.0
     */
    @Parameter(property = "pybundle.timings", defaultValue = "false")
    protected boolean timings;

    /** Times this execution and its phases; reported when the goal ends. */
    protected PhaseTimer timer = new PhaseTimer();

    /** Passwords read for this build; masked wherever text reaches the user. */
    protected final Set<String> secrets = new HashSet<>();

    @Override
    public final void execute() throws MojoExecutionException, MojoFailureException {
        if (skip) {
            getLog().info("Skipping " + goal() + ": pybundle.skip is true");
            return;
        }
        timer = new PhaseTimer();
        JvmUsage before = timings ? JvmUsage.now() : null; // the JVM's management beans load only when asked for
        try {
            doExecute();
            String line = "Time in " + goal() + ": " + timer.summary();
            if (timer.hasPhases()) {
                getLog().info(line);
            } else {
                getLog().debug(line);
            }
            String work = timer.work();
            if (!work.isEmpty()) {
                String detail = "Work behind the phases, summed over threads (times run): " + work;
                if (timings) {
                    getLog().info(detail);
                } else {
                    getLog().debug(detail);
                }
            }
            if (before != null) { // every thread of the JVM, the JIT compiler's and the garbage collector's too
                getLog().info("The JVM during " + goal() + ": " + JvmUsage.now().since(before));
            }
        } catch (MojoExecutionException | MojoFailureException e) {
            throw e;
        } catch (Exception e) {
            Exception mapped = ErrorMapper.map(e, secrets);
            if (mapped instanceof MojoFailureException f) {
                throw f;
            }
            throw (MojoExecutionException) mapped;
        }
    }

    /** The goal's work, run unless skipped. */
    protected abstract void doExecute() throws Exception;

    /** The goal's name for messages, e.g. {@code pybundle:wheel}. */
    protected abstract String goal();

    /** Renders core events into the Maven log, every known secret masked. */
    protected BuildListener listener() {
        return new MavenListener(getLog(), secrets);
    }

    /** The time stamped into archive entries. */
    protected Instant timestamp() {
        Instant start = session != null && session.getRequest() != null && session.getRequest().getStartTime() != null
                ? session.getRequest().getStartTime().toInstant()
                : Instant.now();
        return BuildTimestamp.resolve(outputTimestamp, System.getenv("SOURCE_DATE_EPOCH"), start);
    }

    /** Attaches an output to the project when {@code attach} is on. */
    protected void attach(String type, String classifier, File file) {
        if (attach) {
            projectHelper.attachArtifact(project, type, classifier, file);
        }
    }
}

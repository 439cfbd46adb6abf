package io.github.pybundle.maven;

import io.github.pybundle.core.InvalidConfigurationException;
import io.github.pybundle.core.PyBundleException;
import io.github.pybundle.core.net.Secrets;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Set;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;

/**
 * The one place where core failures become Maven failures, worded in pom vocabulary.
 *
 * <p>By the failure's {@link PyBundleException.Kind}: what the user can fix in the pom or the project (configuration,
 * inputs) is a {@link MojoFailureException}; what the environment did (I/O, network, a file altered in transit, an
 * offline cache miss) is a {@link MojoExecutionException}. Configuration errors are prefixed with the pom element.
 */
final class ErrorMapper {
    // Settings that are Maven properties or project elements rather than plugin parameters.
    private static final Set<String> PROPERTIES = Set.of("project.build.outputTimestamp");

    private ErrorMapper() {
    }

    /** Maps {@code e}, masking every known secret in the message. */
    static Exception map(Exception e, Set<String> secrets) {
        Exception mapped = map(e);
        String masked = Secrets.mask(mapped.getMessage(), secrets);
        if (masked != null && !masked.equals(mapped.getMessage())) {
            // the cause may carry the secret too; it is dropped so that -e cannot print it
            return mapped instanceof MojoFailureException ? new MojoFailureException(masked)
                    : new MojoExecutionException(masked);
        }
        return mapped;
    }

    static Exception map(Exception e) {
        if (e instanceof PyBundleException pe) {
            String message = PomWords.render(pe.getMessage());
            if (pe instanceof InvalidConfigurationException ice) {
                String where = where(ice.setting());
                // A message that already starts with the element needs no prefix ("<target>: <target><python...").
                message = message.startsWith(where) || message.startsWith("<" + ice.setting() + ">") ? message
                        : where + ": " + message;
            }
            message += hints(pe);
            // The core exception is not chained: Maven appends a cause's message it does not find in the summary,
            // which would show the core's neutral wording next to the pom's. Its own cause and stack trace are kept.
            Exception mapped = pe.kind() == PyBundleException.Kind.ENVIRONMENT
                    ? new MojoExecutionException(message, pe.getCause()) : new MojoFailureException(message,
                    pe.getCause());
            mapped.setStackTrace(pe.getStackTrace());
            return mapped;
        }
        if (e instanceof UncheckedIOException u) {
            return map(u.getCause());
        }
        if (e instanceof IOException) {
            String detail = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            return new MojoExecutionException("I/O failure: " + detail + " (" + e.getClass().getSimpleName() + ")", e);
        }
        return new MojoExecutionException("unexpected failure in pybundle: " + e, e);
    }

    /** How a setting is named to the user: a pom element, or a property. */
    static String where(String setting) {
        if (PROPERTIES.contains(setting)) {
            return "Property " + setting;
        }
        if (setting.equals("version")) {
            return "Project <version>";
        }
        return "<" + setting + ">";
    }

    private static String hints(PyBundleException e) {
        StringBuilder sb = new StringBuilder();
        for (String hint : e.hints()) {
            sb.append(System.lineSeparator()).append("  hint: ").append(PomWords.render(hint));
        }
        return sb.toString();
    }
}

package io.github.pybundle.maven;

import io.github.pybundle.core.event.BuildListener;
import io.github.pybundle.core.net.Secrets;
import java.util.Set;
import org.apache.maven.plugin.logging.Log;

/** Shows core events in the Maven log: every known secret masked, each level on Maven's. */
final class MavenListener implements BuildListener {
    private final Log log;
    private final Set<String> secrets;

    MavenListener(Log log, Set<String> secrets) {
        this.log = log;
        this.secrets = secrets;
    }

    @Override
    public void log(Level level, String text) {
        String message = PomWords.render(Secrets.mask(text, secrets)); // masked first: a password is never rewritten
        switch (level) {
            case WARN -> log.warn(message);
            case INFO -> log.info(message);
            default -> log.debug(message);
        }
    }
}

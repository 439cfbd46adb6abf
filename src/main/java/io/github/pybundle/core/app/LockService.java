package io.github.pybundle.core.app;

import io.github.pybundle.core.event.BuildListener.Level;
import io.github.pybundle.core.event.BuildListener;
import io.github.pybundle.core.lock.Pylock;
import java.io.IOException;

/** The {@code lock} goal: resolves for the target and writes the PEP 751 lock. */
public final class LockService {
    private final BuildListener listener;

    public LockService(BuildListener listener) {
        this.listener = listener;
    }

    /** Resolves and writes the lock (untouched when its content would not change); returns it. */
    public Pylock lock(DependencyRequest request, IndexSource sources) throws IOException {
        Dependencies.Resolved r = new Dependencies(listener).resolve(request, sources);
        Pylock lock = r.result().lock();
        boolean changed = lock.write(request.lockFile());
        listener.log(Level.INFO, (changed ? "Wrote " : "Up to date: ") + request.lockFile() + " ("
                + BuildListener.count(lock.packages().size(), "package") + " for " + r.target().describe() + ")");
        return lock;
    }
}

package io.github.pybundle.core.app;

import io.github.pybundle.core.event.BuildListener.Level;
import io.github.pybundle.core.event.BuildListener;
import io.github.pybundle.core.index.IndexConfiguration;
import io.github.pybundle.core.lock.InvalidLockException;
import io.github.pybundle.core.lock.LockedPackage;
import io.github.pybundle.core.lock.Pylock;
import java.io.IOException;
import java.nio.file.Files;

/** The {@code lock} goal: resolves for the target and writes the PEP 751 lock. */
public final class LockService {
    private final BuildListener listener;
    private boolean jitFocus;

    public LockService(BuildListener listener) {
        this.listener = listener;
    }

    /** As {@link BundleService#withJitFocus}: while the index is read and the requirements resolved. */
    public LockService withJitFocus(boolean focus) {
        this.jitFocus = focus;
        return this;
    }

    /** Resolves and writes the lock (untouched when its content would not change); returns it. */
    public Pylock lock(DependencyRequest request, IndexSource sources) throws IOException {
        try (JitFocus focus = JitFocus.of(jitFocus, listener)) {
            return resolveAndWrite(request, files -> { // the focus starts once the cache is known
                IndexConfiguration config = sources.configure(files);
                Preload.tls(config);
                focus.start(config.cacheRoot());
                return config;
            });
        }
    }

    private Pylock resolveAndWrite(DependencyRequest request, IndexSource sources) throws IOException {
        Dependencies.Resolved r = new Dependencies(listener).resolve(request, sources);
        Pylock lock = r.result().lock();
        if (Files.isRegularFile(request.lockFile())) {
            // The wheels the build depends on are recorded by the bundle, which has them; a re-lock keeps them.
            try {
                lock = lock.withBuildWheels(Pylock.read(request.lockFile()).packages().stream()
                        .filter(LockedPackage::fromBuild).toList());
            } catch (InvalidLockException unreadable) {
                // replaced as a whole
            }
        }
        boolean changed = lock.write(request.lockFile());
        listener.log(Level.INFO, (changed ? "Wrote " : "Up to date: ") + request.lockFile() + " ("
                + BuildListener.count(lock.packages().size(), "package") + " for " + r.target().describe() + ")");
        return lock;
    }
}

package io.github.pybundle.core.app;

import io.github.pybundle.core.event.BuildListener;
import io.github.pybundle.core.index.IndexConfiguration;
import io.github.pybundle.core.lock.Locker;
import io.github.pybundle.core.requirements.DeclaredRequirements;
import io.github.pybundle.core.resolve.SourceBuilder;
import io.github.pybundle.core.target.Target;
import java.io.IOException;

/** The steps the dependency goals share: read the declarations, validate the target, resolve. */
final class Dependencies {
    private final BuildListener listener;
    private boolean profileLogged;

    Dependencies(BuildListener listener) {
        this.listener = listener;
    }

    /**
     * Reads and validates every declared requirement; goals call it first, so that typos fail early. Says once which
     * cluster profile the target comes from, and which packages a probe's output makes provided.
     */
    DeclaredRequirements declared(DependencyRequest r) throws IOException {
        if (!profileLogged && r.target() != null && r.target().profile() != null) {
            profileLogged = true;
            listener.log(BuildListener.Level.INFO, r.target().describeProfile());
        }
        DeclaredRequirements declared = DeclaredRequirements.collect(r.requirements());
        r.target().reportProvidedFromProbe(listener);
        return declared;
    }

    /** The sdist builder when source builds are allowed, else null. */
    SourceBuilder sourceBuilder(DependencyRequest r, Target t, IndexConfiguration config) {
        return r.allowSourceBuilds() ? new SourceBuilder(t, config.cacheRoot(), r.env(), listener) : null;
    }

    /** A resolution of the declared requirements for the target, with the lock it makes. */
    Resolved resolve(DependencyRequest r, IndexSource sources) throws IOException {
        DeclaredRequirements declared = declared(r);
        Target t = r.target().target();
        IndexConfiguration config = sources.configure(declared.files());
        Locker.Result result = new Locker(listener).lock(declared, t, r.target().providedPackages(),
                r.allowPrereleases(), config, r.lockFile(), sourceBuilder(r, t, config));
        return new Resolved(t, result);
    }

    /** A resolution and the target it was made for. */
    record Resolved(Target target, Locker.Result result) {
    }
}

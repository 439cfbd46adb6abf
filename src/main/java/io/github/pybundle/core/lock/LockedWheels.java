package io.github.pybundle.core.lock;

import io.github.pybundle.core.cache.HashMismatchException;
import io.github.pybundle.core.event.BuildListener.Level;
import io.github.pybundle.core.event.BuildListener;
import io.github.pybundle.core.index.DistributionFile;
import io.github.pybundle.core.index.Downloader;
import io.github.pybundle.core.index.IndexConfiguration;
import io.github.pybundle.core.index.PackageSource;
import io.github.pybundle.core.requirements.DeclaredRequirements;
import io.github.pybundle.core.requirements.HashPolicy;
import io.github.pybundle.core.requirements.HashesRequiredException;
import io.github.pybundle.core.resolve.Lookahead;
import io.github.pybundle.core.resolve.SourceBuilder;
import io.github.pybundle.core.spec.dist.WheelFilename;
import io.github.pybundle.core.target.Target;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The wheels a bundle is made of, always taken from the lock: an existing lock is used when it still matches the
 * declared requirements and target (checked without network), a missing one is created, a drifted one is an error
 * unless re-locking is asked for. Only files whose sha256 the lock records are downloaded, and each is verified.
 */
public final class LockedWheels {
    private final BuildListener listener;
    private final SourceBuilder builder; // null: locked sdists are an error
    private final Lookahead lookahead;

    public LockedWheels(BuildListener listener, SourceBuilder builder) {
        this(listener, builder, Lookahead.none());
    }

    /** Wheels whose resolution, when it runs, tells {@code lookahead} of each wheel it takes. */
    public LockedWheels(BuildListener listener, SourceBuilder builder, Lookahead lookahead) {
        this.listener = listener;
        this.builder = builder;
        this.lookahead = lookahead;
    }

    /** The lock to bundle from. */
    public Pylock ensure(DeclaredRequirements declared, Target target, Map<String, String> provided,
                         boolean allowPrereleases, IndexConfiguration config, Path lockFile, boolean update)
            throws IOException {
        if (!update && Files.isRegularFile(lockFile)) {
            Pylock lock = Pylock.read(lockFile);
            Map<String, List<String>> inputs = Locker.inputs(declared, target, provided);
            List<String> drift = Locker.drift(lock, inputs);
            if (!drift.isEmpty()) {
                LockSatisfaction.Verdict v = LockSatisfaction.check(lock, inputs, declared.requirements(),
                        declared.constraints(), target.markers(), allowPrereleases);
                if (!v.satisfied()) {
                    throw new InvalidLockException(lockFile + " is out of date: " + String.join("; ", drift)
                            + (v.misfits().isEmpty() ? "" : "; " + String.join("; ", v.misfits())),
                            "re-lock with {!lock}, or add {#updateLock} to this build");
                }
                // Every locked version still satisfies the edited requirements: keep them, record the new inputs.
                lock = new Pylock(lock.environments(), lock.requiresPython(), lock.createdBy(), lock.packages(),
                        inputs);
                lock.write(lockFile);
                listener.log(Level.INFO, "Kept the locked versions of " + lockFile + ": they still satisfy the"
                        + " changed requirements (" + String.join("; ", drift) + "); no version changed");
            }
            for (LockedPackage p : lock.resolvedOnly().packages()) {
                if (!p.sdist() && !target.tags().accepts(WheelFilename.parse(p.wheelName()).tags())) {
                    throw new InvalidLockException(lockFile + " was made for another environment: "
                            + p.wheelName() + " does not run on " + target.describe(),
                            "re-lock for this target with {#updateLock}");
                }
            }
            checkHashes(lock, lockFile, declared.hashes().forTarget(target.markers()), provided);
            listener.log(Level.INFO, "Using " + lockFile + " (" + BuildListener.count(lock.packages().size(),
                    "package") + ", created by " + lock.createdBy() + ")");
            return lock;
        }
        Pylock before = update ? readIfValid(lockFile) : null;
        Locker.Result r = new Locker(listener, lookahead).lock(declared, target, provided, allowPrereleases, config, lockFile,
                builder);
        r.lock().write(lockFile);
        listener.log(Level.INFO, (update ? "Re-locked " : "Locked ") + lockFile + " ("
                + BuildListener.count(r.lock().packages().size(), "package") + " for " + target.describe() + ")");
        if (before != null) {
            List<String> changes = changes(before, r.lock());
            listener.log(Level.INFO, changes.isEmpty() ? "No locked version changed" : "Changed: "
                    + String.join(", ", changes));
        }
        return r.lock();
    }

    // The lock being replaced, when it can be read (a damaged one is simply replaced).
    private static Pylock readIfValid(Path lockFile) {
        try {
            return Files.isRegularFile(lockFile) ? Pylock.read(lockFile) : null;
        } catch (IOException | RuntimeException unreadable) {
            return null;
        }
    }

    /** What a re-lock changed, package by package: {@code requests 2.31.0 -> 2.32.3}, {@code + idna 3.7}. */
    static List<String> changes(Pylock before, Pylock after) {
        Map<String, String> old = new java.util.TreeMap<>();
        before.resolvedOnly().packages().forEach(p -> old.put(p.name(), p.version()));
        Map<String, String> now = new java.util.TreeMap<>();
        after.resolvedOnly().packages().forEach(p -> now.put(p.name(), p.version()));
        java.util.TreeSet<String> names = new java.util.TreeSet<>(old.keySet());
        names.addAll(now.keySet());
        List<String> out = new ArrayList<>();
        for (String n : names) {
            String a = old.get(n);
            String b = now.get(n);
            if (a == null) {
                out.add("+ " + n + " " + b);
            } else if (b == null) {
                out.add("- " + n + " " + a);
            } else if (!a.equals(b)) {
                out.add(n + " " + a + " -> " + b);
            }
        }
        return out;
    }

    // Hash-checking mode with an existing lock: the lock must hold only files the declared hashes allow. (A lock this
    // build made is checked as it is made; one made before a hash changed is out of date already, by its inputs.)
    private static void checkHashes(Pylock lock, Path lockFile, HashPolicy hashes, Map<String, String> provided) {
        if (!hashes.enabled()) {
            return;
        }
        hashes.validate(provided.keySet());
        List<String> unhashed = new ArrayList<>();
        for (LockedPackage p : lock.resolvedOnly().packages()) { // the build's own wheels are not declared
            if (!hashes.covers(p.name())) {
                unhashed.add(p.name() + "==" + p.version() + " --hash=sha256:" + p.sha256());
                continue;
            }
            HashPolicy.Verdict v = hashes.check(p.name(), p.hashes());
            if (v == HashPolicy.Verdict.MISMATCH) {
                throw new InvalidLockException(lockFile + " is out of date: it locks " + p.wheelName() + " ("
                        + String.join(", ", p.hashes().entrySet().stream().filter(h -> hashes.algorithms(p.name())
                        .contains(h.getKey())).map(h -> h.getKey() + ":" + h.getValue()).toList())
                        + "), which the hashes declared for " + p.name()
                        + " do not allow: " + hashes.describe(p.name()) + " allows " + hashes.allowed(p.name()),
                        "re-lock with {!lock}, or add {#updateLock} to this build: the new lock"
                                + " takes only files that match the hashes");
            }
            if (v == HashPolicy.Verdict.UNKNOWN) {
                throw new InvalidLockException(lockFile + " records no " + hashes.algorithms(p.name())
                        + " digest of " + p.wheelName() + ", which the hashes declared for " + p.name() + " ("
                        + hashes.describe(p.name()) + ") need", "re-lock with {!lock}, or add"
                        + " {#updateLock} to this build: the lock then records those digests too");
            }
        }
        if (!unhashed.isEmpty()) {
            throw new HashesRequiredException("Hashes are required in hash-checking mode (on because of "
                    + hashes.trigger() + "), but no requirement or constraint gives hashes for these packages of "
                    + lockFile + ":\n  " + String.join("\n  ", unhashed), List.of("add the lines to a requirements"
                    + " or constraints file once you have checked the hashes against a source you trust"));
        }
    }

    private static String hashList(Map<String, String> digests) {
        return String.join(", ", new java.util.TreeMap<>(digests).entrySet().stream().map(e -> e.getKey() + ":"
                + e.getValue()).toList());
    }

    /** Downloads (or finds in the cache) every locked wheel; returns their paths in lock order. */
    public List<Path> fetch(Pylock lock, Path lockFile, IndexConfiguration config) throws IOException {
        return fetch(lock, lockFile, config, Downloader.WhenReady.nothing());
    }

    /**
     * Downloads (or finds in the cache) every locked file resolved from an index, running {@code whenWheelReady} on
     * each wheel as soon as it is there; returns the wheels' paths in lock order. The wheels the build depends on,
     * which the lock records too, come from the build.
     */
    public List<Path> fetch(Pylock all, Path lockFile, IndexConfiguration config,
                            Downloader.WhenReady whenWheelReady) throws IOException {
        Pylock lock = all.resolvedOnly();
        IndexConfiguration.Repository repo = config.open(listener);
        List<Downloader.Request> requests = new ArrayList<>();
        for (LockedPackage p : lock.packages()) {
            URI url = p.url() != null ? URI.create(p.url())
                    : lockFile.toAbsolutePath().getParent().resolve(p.path()).normalize().toUri();
            String sourceId = config.indexes().stream().filter(s -> s.url().toString().equals(p.index()))
                    .map(PackageSource::id).findFirst().orElse("lock");
            DistributionFile f = new DistributionFile(p.wheelName(), url, Map.of("sha256", p.sha256()), null, null,
                    null, p.size(), sourceId);
            requests.add(new Downloader.Request(f, p.sha256()));
        }
        List<Path> files = new ArrayList<>(repo.downloader().download(requests, f -> {
            if (f.getFileName().toString().endsWith(".whl")) {
                whenWheelReady.accept(f);
            }
        }).values());
        List<Path> wheels = new ArrayList<>();
        for (int i = 0; i < files.size(); i++) {
            LockedPackage p = lock.packages().get(i);
            if (!p.otherHashes().isEmpty()) { // the download was checked against the sha256; these must agree too
                Map<String, String> actual = HashPolicy.digests(files.get(i), p.otherHashes().keySet());
                if (!actual.equals(p.otherHashes())) {
                    throw new HashMismatchException(p.wheelName() + " has " + hashList(actual) + ", but " + lockFile
                            + " records " + hashList(p.otherHashes()) + "; the file was not used", List.of("the lock"
                            + " was edited by hand or made from another file: re-lock with {#updateLock}"));
                }
            }
            if (!p.sdist()) {
                wheels.add(files.get(i));
            } else if (builder == null) {
                throw new InvalidLockException(lockFile + " locks the source distribution " + p.wheelName()
                        + ", and source builds are off", "set {@allowSourceBuilds=true} to build it"
                        + " with a local interpreter of the target's Python version");
            } else {
                wheels.add(builder.build(files.get(i), p.wheelName()));
            }
        }
        return wheels;
    }
}

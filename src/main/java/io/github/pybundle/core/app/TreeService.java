package io.github.pybundle.core.app;

import io.github.pybundle.core.event.BuildListener;
import io.github.pybundle.core.event.BuildListener.Level;
import io.github.pybundle.core.lock.LockedPackage;
import io.github.pybundle.core.lock.Locker;
import io.github.pybundle.core.lock.Pylock;
import io.github.pybundle.core.requirements.DeclaredRequirement;
import io.github.pybundle.core.requirements.DeclaredRequirements;
import io.github.pybundle.core.resolve.Resolution;
import io.github.pybundle.core.resolve.TreeRenderer;
import io.github.pybundle.core.target.Target;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The {@code tree} goal: what the bundle is made of, each package under what required it. With a lock that still
 * answers the requirements, the locked versions (what the bundle uses), without the network; otherwise, or when a
 * refresh is asked for, a fresh resolution, with every package whose version differs from the lock marked.
 */
public final class TreeService {
    private final BuildListener listener;

    public TreeService(BuildListener listener) {
        this.listener = listener;
    }

    /** Reports the tree; returns its lines. */
    public List<String> tree(DependencyRequest request, IndexSource sources) throws IOException {
        return tree(request, sources, false);
    }

    /**
     * Reports the tree; returns its lines.
     *
     * @param refresh resolve afresh even when the lock is current, and mark the differences
     */
    public List<String> tree(DependencyRequest request, IndexSource sources, boolean refresh) throws IOException {
        Dependencies deps = new Dependencies(listener);
        DeclaredRequirements declared = deps.declared(request);
        Target target = request.target().target();
        Map<String, String> provided = request.target().providedPackages();
        Pylock lock = readLock(request.lockFile());
        List<String> lines;
        if (lock != null && !refresh && Locker.isCurrent(lock, declared, target, provided,
                request.allowPrereleases())) {
            listener.log(Level.INFO, "Dependencies for " + target.describe() + ", as locked in " + request.lockFile()
                    + " (what the bundle uses; {#refresh} resolves afresh):");
            lines = fromLock(lock, declared, target, provided);
        } else {
            Dependencies.Resolved r = deps.resolve(request, sources);
            listener.log(Level.INFO, "Dependencies for " + r.target().describe() + (lock == null ? ""
                    : ", resolved afresh (marked: versions that differ from " + request.lockFile() + ")") + ":");
            lines = TreeRenderer.render(r.result().resolution());
            if (lock != null) {
                lines = marked(lines, r.result().resolution(), lock);
            }
        }
        lines.forEach(l -> listener.log(Level.INFO, l));
        return lines;
    }

    private static Pylock readLock(Path lockFile) {
        try {
            return lockFile != null && Files.isRegularFile(lockFile) ? Pylock.read(lockFile) : null;
        } catch (IOException | RuntimeException unreadable) {
            return null; // the fresh resolution says what is wrong
        }
    }

    // The lock drawn as a tree: each declared project with the requirement that asks for it, its dependencies below.
    private static List<String> fromLock(Pylock lock, DeclaredRequirements declared, Target target,
                                         Map<String, String> provided) {
        Map<String, LockedPackage> byName = new TreeMap<>();
        lock.packages().forEach(p -> byName.put(p.name(), p));
        List<String> lines = new ArrayList<>();
        Set<String> shown = new HashSet<>();
        Map<String, List<String>> roots = new java.util.LinkedHashMap<>();
        for (DeclaredRequirement d : declared.requirements()) {
            if (d.requirement().appliesTo(target.markers(), null)) {
                roots.computeIfAbsent(d.requirement().normalizedName(), k -> new ArrayList<>()).add(
                        d.requirement() + " (" + d.source() + ")");
            }
        }
        for (Map.Entry<String, List<String>> root : roots.entrySet()) {
            LockedPackage p = byName.get(root.getKey());
            if (p == null) {
                lines.add(root.getKey() + "  provided by the cluster, for " + String.join("; ", root.getValue()));
                continue;
            }
            shown.add(p.name());
            lines.add(p.name() + " " + p.version() + "  <- " + String.join("; ", root.getValue()));
            children(p, byName, "", shown, lines);
        }
        provided.forEach((name, version) -> {
            if (!roots.containsKey(name) && lock.packages().stream().anyMatch(x -> x.dependencies().contains(name))) {
                lines.add(name + " " + (version.isEmpty() ? "(any version)" : version) + "  provided by the cluster");
            }
        });
        return lines;
    }

    private static void children(LockedPackage parent, Map<String, LockedPackage> byName, String indent,
                                 Set<String> shown, List<String> lines) {
        List<String> kids = parent.dependencies().stream().filter(byName::containsKey).toList();
        for (int i = 0; i < kids.size(); i++) {
            LockedPackage k = byName.get(kids.get(i));
            boolean last = i == kids.size() - 1;
            boolean again = !shown.add(k.name());
            lines.add(indent + (last ? "`-- " : "|-- ") + k.name() + " " + k.version() + "  (required by "
                    + parent.name() + ")" + (again ? " (see above)" : ""));
            if (!again) {
                children(k, byName, indent + (last ? "    " : "|   "), shown, lines);
            }
        }
    }

    // A fresh tree with each line whose version differs from the lock marked, then what the lock has that is gone.
    private static List<String> marked(List<String> lines, Resolution fresh, Pylock lock) {
        Map<String, String> locked = new TreeMap<>();
        lock.resolvedOnly().packages().forEach(p -> locked.put(p.name(), p.version()));
        Map<String, String> now = new TreeMap<>();
        fresh.pins().forEach(p -> now.put(p.candidate().name(), p.candidate().version().toString()));
        List<String> out = new ArrayList<>();
        for (String line : lines) {
            String body = line.replaceFirst("^[ |`-]*", "");
            String name = body.contains(" ") ? body.substring(0, body.indexOf(' ')) : body;
            String version = now.get(name);
            String was = locked.get(name);
            if (version != null && !version.equals(was)) {
                line += was == null ? "  [not in the lock]" : "  [locked: " + was + "]";
            }
            out.add(line);
        }
        locked.forEach((name, version) -> {
            if (!now.containsKey(name)) {
                out.add(name + " " + version + "  [locked, no longer needed]");
            }
        });
        return out;
    }
}

package io.github.pybundle.core.app;

import io.github.pybundle.core.event.BuildListener;
import io.github.pybundle.core.event.BuildListener.Level;
import io.github.pybundle.core.target.ClusterProfile;
import java.util.ArrayList;
import java.util.List;

/** The {@code profiles} goal: lists the built-in cluster profiles, or shows one with its sources and notes. */
public final class ProfilesService {
    private final BuildListener listener;

    public ProfilesService(BuildListener listener) {
        this.listener = listener;
    }

    /** Logs every profile: name, Python, platform, Spark, provided packages, first source. */
    public List<ClusterProfile> list() {
        List<ClusterProfile> all = ClusterProfile.all();
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"PROFILE", "PYTHON", "PLATFORM", "SPARK", "PROVIDED", "SOURCE"});
        for (ClusterProfile p : all) {
            rows.add(new String[] {p.name(), p.pythonVersion(), p.platformsForDisplay(),
                p.sparkVersion() == null ? "-" : p.sparkVersion(), String.valueOf(p.provided().size()),
                p.sources().get(0).url() + (p.sources().size() > 1 ? " (+" + (p.sources().size() - 1) + ")" : "")});
        }
        int[] width = new int[rows.get(0).length - 1];
        for (String[] r : rows) {
            for (int i = 0; i < width.length; i++) {
                width[i] = Math.max(width[i], r[i].length());
            }
        }
        listener.log(Level.INFO, "Cluster profiles, for {@target.profile=NAME}:");
        for (String[] r : rows) {
            StringBuilder sb = new StringBuilder("  ");
            for (int i = 0; i < width.length; i++) {
                sb.append(r[i]).append(" ".repeat(width[i] - r[i].length() + 2));
            }
            listener.log(Level.INFO, sb.append(r[r.length - 1]).toString());
        }
        listener.log(Level.INFO, "Each profile's sources and notes: {!profiles} {#profile}=NAME. Explicit {@target}"
                + " elements override a profile's values; {@target.provided} entries add to its own.");
        listener.log(Level.INFO, "Another cluster: run probe.py there (written by {!probe}), save its output as"
                + " src/main/pybundle/profiles/NAME.json and use {@target.profile=src/main/pybundle/profiles/NAME.json}");
        return all;
    }

    /** Logs one profile in full: its values, every source with what it says, and its notes. */
    public ClusterProfile show(String name) {
        ClusterProfile p = ClusterProfile.builtIn(name);
        listener.log(Level.INFO, p.name() + ": " + p.title());
        listener.log(Level.INFO, "  Python:   " + p.pythonVersion() + (p.pythonFullVersion() == null ? ""
                : " (" + p.pythonFullVersion() + ")") + (p.implementation() == null ? "" : ", " + p.implementation()));
        listener.log(Level.INFO, "  Platform: " + p.platformsForDisplay() + (p.os() == null ? "" : ", " + p.os()));
        listener.log(Level.INFO, "  Spark:    " + (p.sparkVersion() == null ? "-" : p.sparkVersion()));
        listener.log(Level.INFO, "  Provided: " + (p.provided().isEmpty() ? "none" : String.join(", ", p.provided())));
        listener.log(Level.INFO, "  Sources:");
        for (ClusterProfile.Source s : p.sources()) {
            listener.log(Level.INFO, "    " + s.url());
            listener.log(Level.INFO, "      " + s.says());
        }
        if (!p.notes().isEmpty()) {
            listener.log(Level.INFO, "  Notes:");
            p.notes().forEach(n -> listener.log(Level.INFO, "    - " + n));
        }
        return p;
    }
}

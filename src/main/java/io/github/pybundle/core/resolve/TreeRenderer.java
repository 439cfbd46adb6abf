package io.github.pybundle.core.resolve;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/** Draws a resolution as a tree: each package under what required it, with the requirement (and marker) that did. */
public final class TreeRenderer {
    private TreeRenderer() {
    }

    public static List<String> render(Resolution r) {
        List<String> lines = new ArrayList<>();
        Set<String> shown = new HashSet<>();
        for (Resolution.Pin p : r.pins()) {
            List<Resolution.Reason> declared = p.requiredBy().stream().filter(w -> w.parent() == null).toList();
            if (!declared.isEmpty()) {
                shown.add(p.candidate().name());
                lines.add(p.candidate() + extras(p) + "  <- " + declared.stream().map(Resolution.Reason::toString)
                        .collect(Collectors.joining("; ")));
                children(r, p, "", shown, lines);
            }
        }
        for (Resolution.Pin p : r.provided()) {
            lines.add(p.candidate().name() + " " + (p.candidate().version() == null ? "(any version)"
                    : p.candidate().version()) + "  provided by the cluster, for " + p.requiredBy().stream()
                    .map(Resolution.Reason::toString).collect(Collectors.joining("; ")));
        }
        return lines;
    }

    private static String extras(Resolution.Pin p) {
        return p.extras().isEmpty() ? "" : " [" + String.join(",", p.extras()) + "]";
    }

    private static void children(Resolution r, Resolution.Pin parent, String indent, Set<String> shown,
                                 List<String> lines) {
        List<Resolution.Pin> kids = new ArrayList<>();
        List<String> why = new ArrayList<>();
        for (Resolution.Pin p : r.pins()) {
            for (Resolution.Reason w : p.requiredBy()) {
                if (parent.candidate().name().equals(w.parent())
                        && parent.candidate().version().toString().equals(w.parentVersion()) && !kids.contains(p)) {
                    kids.add(p);
                    why.add(w.requirement());
                }
            }
        }
        for (int i = 0; i < kids.size(); i++) {
            Resolution.Pin k = kids.get(i);
            boolean last = i == kids.size() - 1;
            boolean again = !shown.add(k.candidate().name()); // drawn already: not repeated
            lines.add(indent + (last ? "`-- " : "|-- ") + k.candidate() + extras(k) + "  (" + why.get(i) + ")"
                    + (again ? " (see above)" : ""));
            if (!again) {
                children(r, k, indent + (last ? "    " : "|   "), shown, lines);
            }
        }
    }
}

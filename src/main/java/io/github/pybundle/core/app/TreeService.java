package io.github.pybundle.core.app;

import io.github.pybundle.core.event.BuildListener.Level;
import io.github.pybundle.core.event.BuildListener;
import io.github.pybundle.core.resolve.TreeRenderer;
import java.io.IOException;
import java.util.List;

/** The {@code tree} goal: the resolution for the target, each package with the requirement that brought it in. */
public final class TreeService {
    private final BuildListener listener;

    public TreeService(BuildListener listener) {
        this.listener = listener;
    }

    /** Resolves and reports the tree; returns its lines. */
    public List<String> tree(DependencyRequest request, IndexSource sources) throws IOException {
        Dependencies.Resolved r = new Dependencies(listener).resolve(request, sources);
        listener.log(Level.INFO, "Dependencies for " + r.target().describe() + ":");
        List<String> lines = TreeRenderer.render(r.result().resolution());
        lines.forEach(l -> listener.log(Level.INFO, l));
        return lines;
    }
}

package io.github.pybundle.core.app;

import io.github.pybundle.core.event.BuildListener.Level;
import io.github.pybundle.core.event.BuildListener;
import io.github.pybundle.core.probe.ClusterProbe;
import java.io.IOException;
import java.nio.file.Path;

/** The {@code probe} goal: writes {@code probe.py} and says how to run it on a cluster. */
public final class ProbeService {
    private final BuildListener listener;

    public ProbeService(BuildListener listener) {
        this.listener = listener;
    }

    /** Writes {@code <outputDirectory>/pybundle/probe.py}. */
    public Path write(Path outputDirectory) throws IOException {
        Path script = ClusterProbe.write(outputDirectory.resolve("pybundle").resolve(ClusterProbe.SCRIPT));
        listener.log(Level.INFO, "Wrote " + script);
        listener.log(Level.INFO, "On an edge node:    python3 probe.py > cluster.json");
        listener.log(Level.INFO, "On the executors:   spark-submit probe.py --executors 4 > cluster.json");
        listener.log(Level.INFO, "Then in {%project}:    {@target.environmentFile=cluster.json}");
        listener.log(Level.INFO, "Or, to override some of its values with explicit {@target} elements, save it as"
                + " src/main/pybundle/profiles/NAME.json and use {@target.profile=src/main/pybundle/profiles/NAME.json}");
        return script;
    }
}

package io.github.pybundle.core.wheel;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;

/** The console and GUI scripts a wheel declares in {@code entry_points.txt}, as Python script bodies. */
final class EntryPoints {
    private EntryPoints() {
    }

    /** Script name → body (without shebang). */
    static Map<String, String> scripts(WheelSource wheel) throws IOException {
        Map<String, String> out = new TreeMap<>();
        byte[] file = wheel.readDistInfo("entry_points.txt", 1024 * 1024);
        if (file == null) {
            return out;
        }
        String text = new String(file, StandardCharsets.UTF_8);
        String section = "";
        for (String raw : text.split("\r?\n")) {
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith("#") || line.startsWith(";")) {
                continue;
            }
            if (line.startsWith("[") && line.endsWith("]")) {
                section = line.substring(1, line.length() - 1).strip();
                continue;
            }
            int eq = line.indexOf('=');
            if (eq <= 0 || !(section.equals("console_scripts") || section.equals("gui_scripts"))) {
                continue;
            }
            String name = line.substring(0, eq).strip();
            String target = line.substring(eq + 1).replaceAll("\\[.*]", "").strip(); // extras do not matter here
            String[] mod = target.split(":", 2);
            if (name.contains("/") || name.contains("\\") || !mod[0].matches("[\\w.]+")
                    || mod.length == 2 && !mod[1].strip().matches("[\\w.]+")) {
                throw new UnsafeWheelException(wheel.filename(), "entry point '" + line + "' is malformed",
                        "the wheel is malformed");
            }
            String attr = mod.length == 2 ? mod[1].strip() : null;
            String head = attr == null ? null : attr.split("\\.")[0];
            out.put(name, "import re\nimport sys\n"
                    + (attr == null ? "import " + mod[0] + "\n" : "from " + mod[0] + " import " + head + "\n")
                    + "if __name__ == \"__main__\":\n"
                    + "    sys.argv[0] = re.sub(r\"(-script\\.pyw|\\.exe)?$\", \"\", sys.argv[0])\n"
                    + "    sys.exit(" + (attr == null ? mod[0] : attr) + "())\n");
        }
        return out;
    }
}

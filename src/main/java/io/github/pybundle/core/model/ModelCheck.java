package io.github.pybundle.core.model;

import io.github.pybundle.core.spec.name.ProjectName;
import io.github.pybundle.core.spec.pep440.InvalidVersionException;
import io.github.pybundle.core.spec.pep440.Version;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * A model file's libraries against the versions the bundle ships (the lock's) and those the cluster provides: the
 * scikit-learn version it was pickled with must be the one shipped, a NumPy 2 pickle ({@code numpy._core}) needs
 * NumPy 2 or later, and every package it imports should be shipped.
 */
public final class ModelCheck {
    // How a model is retrained in exactly the environment the cluster runs.
    private static final String RETRAIN = ": {!exec} runs your training script in the bundle's environment"
            + " (-Dpybundle.exec.args=\"train.py ...\")";
    // Modules of the standard library a pickle commonly names (the interpreter always has them).
    static final Set<String> STANDARD = Set.of("__builtin__", "_codecs", "_collections_abc", "_datetime", "_decimal",
            "_functools", "_operator", "_pickle", "_sre", "abc", "array", "builtins", "codecs", "collections",
            "copy_reg", "copyreg", "datetime", "decimal", "enum", "fractions", "functools", "io", "ipaddress",
            "itertools", "logging", "math", "ntpath", "numbers", "operator", "os", "pathlib", "pickle", "posixpath",
            "random", "re", "string", "struct", "types", "typing", "uuid", "weakref", "zoneinfo");
    // Import names whose distribution is named otherwise.
    static final Map<String, String> DISTRIBUTIONS = Map.of("sklearn", "scikit-learn", "skimage", "scikit-image",
            "cv2", "opencv-python", "yaml", "pyyaml", "PIL", "pillow", "dateutil", "python-dateutil", "attr", "attrs",
            "bs4", "beautifulsoup4");

    /** A mismatch that fails the build. */
    public record Problem(String message, List<String> hints) {
    }

    /**
     * What is wrong with one model.
     *
     * @param errors mismatches that fail the build
     * @param warnings packages it imports that neither the bundle ships nor the cluster provides
     */
    public record Findings(List<Problem> errors, List<String> warnings) {
    }

    private ModelCheck() {
    }

    /**
     * Checks a model read by {@link ModelFile}.
     *
     * @param name the model as the messages name it
     * @param model what it holds
     * @param shipped the lock's packages, normalized name to version
     * @param provided the cluster's packages, normalized name to version ("" when any)
     * @param own the top-level modules of the project's own code
     */
    public static Findings check(String name, ModelFile model, Map<String, String> shipped,
                                 Map<String, String> provided, Set<String> own) {
        List<Problem> errors = new ArrayList<>();
        List<String> warnings = new ArrayList<>();
        for (String trained : model.sklearnVersions()) {
            String where = version("scikit-learn", shipped, provided);
            String has = where == null ? null : shipped.containsKey("scikit-learn") ? shipped.get("scikit-learn")
                    : provided.get("scikit-learn");
            if (has != null && !has.isEmpty() && !same(trained, has)) {
                errors.add(new Problem(name + " was pickled with scikit-learn " + trained + ", but " + where
                        + " scikit-learn " + has, List.of("retrain it with the bundle's versions (scikit-learn "
                        + has + ")" + RETRAIN, "or pin scikit-learn==" + trained + " in {@requirements} and lock"
                        + " again")));
            }
        }
        String numpy2 = model.modules().stream().filter(m -> m.equals("numpy._core") || m.startsWith("numpy._core."))
                .findFirst().orElse(null);
        if (numpy2 != null) {
            String where = version("numpy", shipped, provided);
            String has = where == null ? null : shipped.containsKey("numpy") ? shipped.get("numpy")
                    : provided.get("numpy");
            if (has != null && !has.isEmpty() && major(has) >= 0 && major(has) < 2) {
                errors.add(new Problem(name + " was pickled with NumPy 2 or later (it references " + numpy2
                        + "), but " + where + " numpy " + has + ", which has no numpy._core", List.of(
                        "retrain it with the bundle's versions (numpy " + has + ")" + RETRAIN,
                        "or require numpy>=2 in"
                        + " {@requirements} and lock again")));
            }
        }
        Map<String, String> missing = new TreeMap<>();
        for (String module : model.modules()) {
            String top = module.split("\\.", 2)[0];
            if (top.isEmpty() || STANDARD.contains(top) || own.contains(top)) {
                continue;
            }
            if (top.equals("__main__")) {
                warnings.add(name + " references a class of __main__, the script that wrote it: the cluster"
                        + " cannot import it (move the class into a module of the project)");
                continue;
            }
            String dist = ProjectName.normalize(DISTRIBUTIONS.getOrDefault(top, top));
            if (!shipped.containsKey(dist) && !provided.containsKey(dist)) {
                missing.putIfAbsent(dist, module);
            }
        }
        missing.forEach((dist, module) -> warnings.add(name + " needs package " + dist + " which the bundle does"
                + " not ship (it references " + module + ")"));
        return new Findings(errors, warnings);
    }

    private static String version(String dist, Map<String, String> shipped, Map<String, String> provided) {
        return shipped.containsKey(dist) ? "the bundle ships" : provided.containsKey(dist) ? "the cluster provides"
                : null;
    }

    private static boolean same(String a, String b) {
        try {
            return Version.parse(a).equals(Version.parse(b));
        } catch (InvalidVersionException e) {
            return a.equals(b);
        }
    }

    private static int major(String v) {
        try {
            return Version.parse(v).release().get(0).intValue();
        } catch (InvalidVersionException | IndexOutOfBoundsException e) {
            return -1;
        }
    }
}

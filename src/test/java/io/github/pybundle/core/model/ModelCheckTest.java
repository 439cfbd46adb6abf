package io.github.pybundle.core.model;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** A model's versions and modules against what the bundle ships and the cluster provides. */
class ModelCheckTest {
    private static final String RETRAIN = ": {!exec} runs your training script in the bundle's environment"
            + " (-Dpybundle.exec.args=\"train.py ...\")";
    private static final ModelFile TREE = new ModelFile(Set.of("sklearn.tree._classes", "numpy._core.multiarray",
            "copyreg", "builtins"), Set.of("1.3.2"), null, null);

    @Test
    void anotherSklearnVersion_isAnErrorWithHints() {
        ModelCheck.Findings f = ModelCheck.check("src/main/models/clf.pkl", TREE, Map.of("scikit-learn", "1.5.0",
                "numpy", "2.0.2"), Map.of(), Set.of());
        assertEquals(List.of(new ModelCheck.Problem("src/main/models/clf.pkl was pickled with scikit-learn 1.3.2, but"
                + " the bundle ships scikit-learn 1.5.0", List.of("retrain it with the bundle's versions (scikit-learn"
                + " 1.5.0)" + RETRAIN, "or pin scikit-learn==1.3.2 in {@requirements} and lock again"))), f.errors());
        assertEquals(List.of(), f.warnings());
    }

    @Test
    void theSameVersions_pass() {
        ModelCheck.Findings f = ModelCheck.check("clf.pkl", TREE, Map.of("scikit-learn", "1.3.2", "numpy", "2.1.0"),
                Map.of(), Set.of());
        assertEquals(List.of(), f.errors());
        assertEquals(List.of(), f.warnings());
    }

    @Test
    void numpy2Pickle_withNumpy1_isAnError() {
        ModelCheck.Findings f = ModelCheck.check("clf.pkl", TREE, Map.of("scikit-learn", "1.3.2", "numpy", "1.26.4"),
                Map.of(), Set.of());
        assertEquals(List.of(new ModelCheck.Problem("clf.pkl was pickled with NumPy 2 or later (it references"
                + " numpy._core.multiarray), but the bundle ships numpy 1.26.4, which has no numpy._core", List.of(
                "retrain it with the bundle's versions (numpy 1.26.4)" + RETRAIN, "or require numpy>=2 in"
                + " {@requirements} and"
                + " lock again"))), f.errors());
    }

    @Test
    void theClustersVersions_countAndAnUnknownOneIsNotCompared() {
        assertEquals("clf.pkl was pickled with scikit-learn 1.3.2, but the cluster provides scikit-learn 1.2.0",
                ModelCheck.check("clf.pkl", TREE, Map.of("numpy", "2.0.0"), Map.of("scikit-learn", "1.2.0"),
                        Set.of()).errors().get(0).message());
        assertEquals(List.of(), ModelCheck.check("clf.pkl", TREE, Map.of("numpy", "2.0.0"), Map.of("scikit-learn",
                ""), Set.of()).errors());
    }

    @Test
    void packagesNothingShips_areWarnings_butNotTheProjectsOwnNorTheStandardLibrary() {
        ModelFile m = new ModelFile(Set.of("sklearn.tree._classes", "xgboost.sklearn", "myapp.features", "_codecs",
                "__main__", "collections"), Set.of(), null, null);
        assertEquals(List.of("clf.pkl needs package scikit-learn which the bundle does not ship (it references"
                + " sklearn.tree._classes)", "clf.pkl needs package xgboost which the bundle does not ship (it"
                + " references xgboost.sklearn)", "clf.pkl references a class of __main__, the script that wrote it:"
                + " the cluster cannot import it (move the class into a module of the project)"),
                ModelCheck.check("clf.pkl", m, Map.of(), Map.of(), Set.of("myapp")).warnings().stream().sorted()
                        .toList());
    }
}

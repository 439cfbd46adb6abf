package io.github.pybundle.core.cache;

import java.nio.file.Path;

/**
 * Every subdirectory of the shared cache, in one place (as uv's {@code CacheBucket}): no other class spells out the
 * cache's layout. A bucket's name carries a version where its format may change, so that a newer pybundle starts a
 * new bucket instead of misreading an old one.
 */
public enum CacheBucket {
    /** Distribution files by sha256: {@code files/sha256/<2 hex>/<64 hex>/<file name>}. */
    FILES("files"),
    /**
     * Index pages with their validators (ETag, Last-Modified): {@code <sha256 of the URL>.page}, a JSON header line
     * then the body as it came (v2; {@code pages/} held base64 bodies in JSON, costly for pages of megabytes).
     */
    PAGES("pages-v2"),
    /**
     * Archives built before ({@code BuiltArchiveCache}): {@code archives/v1/<key>/} environment archives,
     * {@code archives/app-v1/<key>/} application archives.
     */
    ARCHIVES("archives"),
    /** Every output of bundles built before ({@code BundleSnapshots}): {@code bundles/v1/<key>/}. */
    BUNDLES("bundles"),
    /** Environment archives unpacked for {@code pybundle:exec}: {@code environments/sha256/<archive digest>/}. */
    ENVIRONMENTS("environments"),
    /** Wheels built from sdists, by the sdist's sha256. */
    SDIST_BUILDS("sdist-builds"),
    /** Interpreter archives downloaded by URL ({@code <target><pythonArchive>}): {@code sha256/<hex>/<file name>}. */
    INTERPRETERS("interpreters"),
    /** The compiler directives a cold build gives HotSpot ({@code JitFocus}), a file named after what they do. */
    JIT("jit");

    /**
     * The marker beside a cached wheel that the wheel checks passed, holding what its native files need; a new set of
     * checks or a new content gets a new suffix (v2: the ELF files read, so v1 markers do not skip that reading).
     */
    public static final String CHECKED_MARKER = ".checked-v2";

    private final String directory;

    CacheBucket(String directory) {
        this.directory = directory;
    }

    /** The bucket's directory name. */
    public String directory() {
        return directory;
    }

    /** The bucket's directory under {@code root}. */
    public Path in(Path root) {
        return root.resolve(directory);
    }
}

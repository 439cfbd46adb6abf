package io.github.pybundle.core.resolve;

import io.github.pybundle.core.spec.pep440.Version;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Words a {@link ResolutionFailure} as the message and hints users read: the only place resolver prose is written.
 *
 * <p>Build logs and tests quote these sentences, so their wording changes only on purpose.
 */
public final class ResolutionReporter {
    private static final int RULED_OUT_SHOWN = 5;
    private static final int REJECTED_SHOWN = 3;
    private static final int VERSIONS_SHOWN = 8;

    /** The hint for a project no source has: most often a typo. */
    public static final String MISSPELT_HINT = "check the spelling of the name (case and the characters '-', '_' and"
            + " '.' do not matter, PEP 503), and that {@indexUrl}, {@indexes} or {@findLinks} name the index that has"
            + " it";

    private ResolutionReporter() {
    }

    /**
     * Every declared project no source has, at once: {@code no project named 'scikit-lern' (<requirements> entry 1)
     * or 'pandsa' (...) on https://pypi.org/simple/}.
     */
    public static String unknownProjects(List<Resolver.Root> missing, List<String> sources) {
        return "no project named " + missing.stream().map(r -> "'" + r.requirement().name() + "' (" + r.source() + ")")
                .collect(Collectors.joining(missing.size() == 2 ? " or " : ", ")) + " on " + String.join(", ", sources);
    }

    /** The explanation: what failed and everything that contributed. */
    public static String message(ResolutionFailure failure) {
        if (failure instanceof ResolutionFailure.NoVersion f) {
            return noVersion(f);
        }
        if (failure instanceof ResolutionFailure.DirectUrl f) {
            return "'" + f.requirement() + "' (" + f.source() + ") names a direct URL, which the resolver does not"
                    + " support yet";
        }
        if (failure instanceof ResolutionFailure.TooManySteps f) {
            return "resolution gave up after " + f.limit() + " steps without finding a consistent set of versions";
        }
        if (failure instanceof ResolutionFailure.UnevaluableMarker f) {
            return "the marker '" + f.marker() + "'" + (f.dependent() == null ? ""
                    : " of a dependency of " + f.dependent()) + " cannot be evaluated for the target: " + f.detail();
        }
        throw new IllegalArgumentException("unknown failure " + failure);
    }

    /** What the user can do about it, one sentence each. */
    public static List<String> hints(ResolutionFailure failure) {
        if (failure instanceof ResolutionFailure.NoVersion f && f.offer() != null && !f.offer().known()) {
            return List.of(MISSPELT_HINT);
        }
        if (failure instanceof ResolutionFailure.NoVersion f) {
            return List.of("relax one of the requirements above, or add {@constraints} that steer " + f.key().name()
                    + " to a version everything accepts");
        }
        if (failure instanceof ResolutionFailure.DirectUrl) {
            return List.of("publish the wheel to your index, or put it in a {@findLinks} directory and require it by"
                    + " name and version");
        }
        if (failure instanceof ResolutionFailure.TooManySteps) {
            return List.of("narrow the requirements (e.g. pin the large packages) so that fewer combinations must be"
                    + " tried");
        }
        if (failure instanceof ResolutionFailure.UnevaluableMarker f) {
            return f.hints();
        }
        throw new IllegalArgumentException("unknown failure " + failure);
    }

    /**
     * Why one version was ruled out, e.g. {@code frame 2.0 requires num>=1.22, which conflicts with num<1.22  required
     * by <requirements> entry 2}.
     */
    public static String describe(Rejection rejection, String target) {
        if (rejection instanceof Rejection.Unusable r) {
            return r.candidate() + ": " + r.reason();
        }
        if (rejection instanceof Rejection.Clash r) {
            return r.candidate() + " requires " + r.dependency() + ", but " + r.chosen() + (r.chosen().provided()
                    ? " is provided by the cluster" : " was chosen");
        }
        if (rejection instanceof Rejection.Backjump r) {
            String name = r.conflict().name();
            String head = r.candidate() + (r.own().isEmpty() ? " leads to a conflict on " + name : " requires "
                    + r.own().stream().map(Object::toString).collect(Collectors.joining(", ")));
            if (r.others().isEmpty()) {
                return head + ", and no version of " + name + " fits it for " + target;
            }
            return head + ", which conflicts with " + r.others().stream().map(c -> c.requirement() + "  required by "
                    + chain(c)).collect(Collectors.joining("; "));
        }
        throw new IllegalArgumentException("unknown rejection " + rejection);
    }

    /** Who made a requirement, back to the declaration: {@code frame 2.0 <- frame>=2 (<requirements> entry 1)}. */
    public static String chain(Cause cause) {
        Cause.Origin p = cause.parent();
        if (p.isDeclared()) {
            return p.source();
        }
        return p.key() + " " + p.version() + (cause.via() == null ? "" : " <- " + cause.via().requirement() + " ("
                + chain(cause.via()) + ")");
    }

    private static String noVersion(ResolutionFailure.NoVersion f) {
        String name = f.key().name();
        StringBuilder sb = new StringBuilder("cannot find a version of " + name + " for " + f.target()
                + " that satisfies every requirement:");
        for (Cause c : f.requirements()) {
            sb.append("\n  - ").append(c.requirement()).append("  required by ").append(chain(c));
        }
        for (Cause c : f.constraints()) {
            sb.append("\n  - ").append(c.requirement()).append("  constraint from ").append(c.parent().source());
        }
        if (f.provided() != null) {
            sb.append("\n  - ").append(f.provided()).append(" is provided by the cluster ({@target.provided})");
            return sb.toString();
        }
        ResolutionFailure.Offer offer = f.offer();
        if (offer == null) {
            return sb.toString();
        }
        if (!offer.known()) {
            sb.append("\n  no configured index or find-links location has a project named ").append(name);
            return sb.toString();
        }
        List<Version> usable = offer.usable();
        if (offer.fitting().isEmpty() && !offer.rejectedFitting().isEmpty()) {
            sb.append("\n  ").append(name).append(f.spec().isEmpty() ? "" : f.spec().toString())
                    .append(" has no wheel for ").append(f.target()).append("; ").append(usable.isEmpty()
                            ? "no version has one" : "the newest version with one is " + usable.get(0));
            offer.rejectedFitting().stream().limit(REJECTED_SHOWN).forEach(r -> sb.append("\n    ").append(name)
                    .append(' ').append(r.version()).append(": ").append(r.reason()));
        } else if (offer.fitting().isEmpty()) {
            sb.append("\n  no version of ").append(name).append(" satisfies ").append(f.spec())
                    .append("; versions for ").append(f.target()).append(": ")
                    .append(usable.stream().limit(VERSIONS_SHOWN).map(Version::toString)
                            .collect(Collectors.joining(", ")))
                    .append(usable.size() > VERSIONS_SHOWN ? ", ..." : "");
        } else {
            sb.append("\n  every version that would fit was ruled out:");
            f.ruledOut().stream().limit(RULED_OUT_SHOWN).forEach(r -> sb.append("\n    ")
                    .append(describe(r, f.target())));
            int more = f.ruledOut().size() - RULED_OUT_SHOWN;
            if (more > 0) {
                sb.append("\n    (").append(more).append(" more)");
            }
        }
        return sb.toString();
    }
}

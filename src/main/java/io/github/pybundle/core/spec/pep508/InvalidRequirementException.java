package io.github.pybundle.core.spec.pep508;

import io.github.pybundle.core.PyBundleException;
import java.util.List;

/**
 * A requirement or marker string that does not follow the PEP 508 grammar. The message shows the input with a caret
 * under the fault.
 */
public class InvalidRequirementException extends PyBundleException {
    private static final long serialVersionUID = 1L;
    private final String input;
    private final String problem;
    private final int position;

    public InvalidRequirementException(String input, String problem, int start, int end) {
        super(problem + "\n    " + input + "\n    " + " ".repeat(start) + "~".repeat(Math.max(0, end - start)) + "^",
                List.of("a requirement looks like: name[extra1,extra2] >=1.0,<2 ; python_version >= \"3.8\""));
        this.input = input;
        this.problem = problem;
        this.position = end;
    }

    /** The rejected input. */
    public String input() {
        return input;
    }

    /** What is wrong, without the caret diagram. */
    public String problem() {
        return problem;
    }

    /** The offset of the fault in the input. */
    public int position() {
        return position;
    }
}

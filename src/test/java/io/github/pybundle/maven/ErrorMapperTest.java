package io.github.pybundle.maven;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import io.github.pybundle.core.InvalidConfigurationException;
import io.github.pybundle.core.PyBundleException;
import io.github.pybundle.core.cache.HashMismatchException;
import io.github.pybundle.core.cache.OfflineMissException;
import io.github.pybundle.core.net.FetchException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.NoSuchFileException;
import java.util.List;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.junit.jupiter.api.Test;

class ErrorMapperTest {
    private static final String NL = System.lineSeparator();

    @Test
    void configurationErrors_areFailuresNamingThePomElementWithHints() {
        Exception e = ErrorMapper.map(new InvalidConfigurationException("mainScript", "x.py", "it is missing",
                "create it", "or set it"));
        assertInstanceOf(MojoFailureException.class, e);
        assertEquals("<mainScript>: it is missing" + NL + "  hint: create it" + NL + "  hint: or set it",
                e.getMessage());
    }

    @Test
    void propertiesAndProjectElements_areNamedAsSuch() {
        assertEquals("Property project.build.outputTimestamp", ErrorMapper.where("project.build.outputTimestamp"));
        assertEquals("Project <version>", ErrorMapper.where("version"));
    }

    @Test
    void otherUserErrors_areFailures() {
        Exception e = ErrorMapper.map(new PyBundleException("no wheel fits", List.of("try this")));
        assertInstanceOf(MojoFailureException.class, e);
        assertEquals("no wheel fits" + NL + "  hint: try this", e.getMessage());
    }

    @Test
    void ioErrors_areExecutionErrorsEvenWhenWrapped() {
        Exception e = ErrorMapper.map(new UncheckedIOException(new NoSuchFileException("/x/y")));
        assertInstanceOf(MojoExecutionException.class, e);
        assertEquals("I/O failure: /x/y (NoSuchFileException)", e.getMessage());
        assertInstanceOf(MojoExecutionException.class, ErrorMapper.map(new IOException()));
    }

    @Test
    void networkAndCacheFailures_areExecutionErrors() {
        for (PyBundleException e : List.of(new FetchException("failed after 4 tries: https://x/simple/a/", 503,
                "try again"), new OfflineMissException("a-1.0-py3-none-any.whl"), new HashMismatchException(
                "a-1.0-py3-none-any.whl", "0".repeat(64), "1".repeat(64)))) {
            assertInstanceOf(MojoExecutionException.class, ErrorMapper.map(e), e.getMessage());
        }
    }

    @Test
    void aMessageThatNamesItsElementIsNotPrefixedAgain() {
        Exception e = ErrorMapper.map(new InvalidConfigurationException("target", null,
                "<target><pythonVersion> is required to resolve dependencies"));
        assertEquals("<target><pythonVersion> is required to resolve dependencies", e.getMessage());
    }

    @Test
    void theCoresNeutralWordingNeverReachesMavenThroughTheCauseChain() {
        Exception e = ErrorMapper.map(new InvalidConfigurationException("target", null,
                "{@target.pythonVersion} is required to resolve dependencies", "add {@target.pythonVersion=3.8}"));
        assertEquals("<target><pythonVersion> is required to resolve dependencies" + NL
                + "  hint: add <target><pythonVersion>3.8</pythonVersion></target>", e.getMessage());
        for (Throwable t = e; t != null; t = t.getCause()) {
            assertFalse(String.valueOf(t.getMessage()).contains("{@"), String.valueOf(t.getMessage()));
        }
    }
}

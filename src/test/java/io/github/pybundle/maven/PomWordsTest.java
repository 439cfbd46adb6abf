package io.github.pybundle.maven;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The core's neutral references, worded as a Maven user reads them. */
class PomWordsTest {
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "{@target.pythonVersion} is required | <target><pythonVersion> is required",
        "set {@allowSourceBuilds=true} | set <allowSourceBuilds>true</allowSourceBuilds>",
        "add {@target.pythonVersion=3.8} | add <target><pythonVersion>3.8</pythonVersion></target>",
        "e.g. {@index={@id=corp}{@url=https://n/simple/}} | e.g. <index><id>corp</id><url>https://n/simple/</url></index>",
        "add {#updateLock} | add -Dpybundle.updateLock",
        "re-lock with {!lock} | re-lock with mvn pybundle:lock",
        "both run in {!verify} | both run in mvn verify",
        "to {%settings}, in {%project} | to settings.xml, in the pom",
        "a {brace} and {@ not a ref | a {brace} and {@ not a ref",
    })
    void rendersEveryKindOfReference(String core, String maven) {
        assertEquals(maven, PomWords.render(core));
    }

    @Test
    void nullStaysNull() {
        assertNull(PomWords.render(null));
    }
}

package io.github.pybundle.maven;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
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
        "build it first: {!package}, then {!list} | build it first: mvn package, then mvn pybundle:list",
        "to {%settings}, in {%project} | to settings.xml, in the pom",
        "a {brace} and {@ not a ref | a {brace} and {@ not a ref",
        "Python says \"{!r}\".format(x) and {@decorator} | Python says \"{!r}\".format(x) and {@decorator}",
    })
    void rendersEveryKindOfReference(String core, String maven) {
        assertEquals(maven, PomWords.render(core));
    }

    @Test
    void nullStaysNull() {
        assertNull(PomWords.render(null));
    }

    @Test
    void everyReferenceInTheCoreIsWorded() throws Exception {
        Pattern reference = Pattern.compile("\\{[@#!%][A-Za-z][\\w.]*(=[^{}\"]*)?\\}");
        List<String> unknown = new ArrayList<>();
        try (Stream<Path> files = Files.walk(Path.of("src/main/java/io/github/pybundle/core"))) {
            for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                for (String line : Files.readAllLines(f)) {
                    if (line.strip().startsWith("*") || line.strip().startsWith("//")) {
                        continue; // Javadoc's {@code} and {@link}
                    }
                    Matcher m = reference.matcher(line);
                    while (m.find()) {
                        if (PomWords.render(m.group()).equals(m.group())) {
                            unknown.add(f.getFileName() + ": " + m.group());
                        }
                    }
                }
            }
        }
        assertEquals(List.of(), unknown);
    }
}

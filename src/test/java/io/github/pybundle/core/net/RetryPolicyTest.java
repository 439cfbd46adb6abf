package io.github.pybundle.core.net;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.EOFException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.MalformedURLException;
import java.net.ProtocolException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.util.stream.Stream;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every failure the fetcher can meet, and whether it is tried again. */
class RetryPolicyTest {
    static Stream<Arguments> cases() {
        return Stream.of(
                Arguments.of(new SocketTimeoutException("Read timed out"), true),
                Arguments.of(new ConnectException("Connection refused"), true),
                Arguments.of(new SocketException("Connection reset"), true),
                Arguments.of(new EOFException("Unexpected end of ZLIB input stream"), true),
                Arguments.of(new IOException("Premature EOF"), true),
                Arguments.of(new RetryPolicy.HttpStatusException("HTTP 503", 503, 0), true),
                Arguments.of(new SSLException("Connection reset", new SocketException("Connection reset")), true),
                Arguments.of(new SSLHandshakeException("PKIX path building failed"), false),
                Arguments.of(new SSLException("Unsupported or unrecognized SSL message"), false),
                Arguments.of(new UnknownHostException("nexus.example"), false),
                Arguments.of(new MalformedURLException("no protocol"), false),
                Arguments.of(new ProtocolException("Server redirected too many times"), false),
                Arguments.of(new FileSystemException("/cache/x.part", null, "No space left on device"), false),
                Arguments.of(new AccessDeniedException("/cache/x.part"), false),
                Arguments.of(new RetryPolicy.LocalIOException("cannot write a download to disk",
                        new IOException("No space left on device")), false));
    }

    @ParameterizedTest(name = "{0} -> retried: {1}")
    @MethodSource("cases")
    void classifiesEveryFailure(IOException failure, boolean retried) {
        assertEquals(retried, RetryPolicy.isTransient(failure));
    }
}

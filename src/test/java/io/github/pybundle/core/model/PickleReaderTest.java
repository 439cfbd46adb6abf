package io.github.pybundle.core.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/**
 * The pickle reader on pickles written by Python 3.11's pickle module (as hex, one per protocol) and on hand-made
 * malformed ones: modules and {@code _sklearn_version} found, nothing executed, a clear error for a broken pickle.
 */
class PickleReaderTest {
    // [DecisionTreeClassifier() whose __getstate__ is {'max_depth': 3, '_sklearn_version': '1.3.2'},
    //  an object reduced to numpy._core.multiarray._reconstruct(1)], with fake modules, by pickle.dumps(obj, p).
    static final List<String> TREE_AND_NUMPY2 = List.of(
            "286c70300a63636f70795f7265670a5f7265636f6e7374727563746f720a70310a2863736b6c6561726e2e747265652e5f636c617373"
            + "65730a4465636973696f6e54726565436c61737369666965720a70320a635f5f6275696c74696e5f5f0a6f626a6563740a70330a4e"
            + "7470340a5270350a286470360a566d61785f64657074680a70370a49330a73565f736b6c6561726e5f76657273696f6e0a70380a56"
            + "312e332e320a70390a736261636e756d70792e5f636f72652e6d756c746961727261790a5f7265636f6e7374727563740a7031300a"
            + "2849310a747031310a527031320a612e",
            "5d71002863636f70795f7265670a5f7265636f6e7374727563746f720a71012863736b6c6561726e2e747265652e5f636c6173736573"
            + "0a4465636973696f6e54726565436c61737369666965720a7102635f5f6275696c74696e5f5f0a6f626a6563740a71034e74710452"
            + "71057d71062858090000006d61785f646570746871074b0358100000005f736b6c6561726e5f76657273696f6e7108580500000031"
            + "2e332e3271097562636e756d70792e5f636f72652e6d756c746961727261790a5f7265636f6e7374727563740a710a284b0174710b"
            + "52710c652e",
            "80025d71002863736b6c6561726e2e747265652e5f636c61737365730a4465636973696f6e54726565436c61737369666965720a7101"
            + "298171027d71032858090000006d61785f646570746871044b0358100000005f736b6c6561726e5f76657273696f6e710558050000"
            + "00312e332e3271067562636e756d70792e5f636f72652e6d756c746961727261790a5f7265636f6e7374727563740a71074b018571"
            + "08527109652e",
            "80035d71002863736b6c6561726e2e747265652e5f636c61737365730a4465636973696f6e54726565436c61737369666965720a7101"
            + "298171027d71032858090000006d61785f646570746871044b0358100000005f736b6c6561726e5f76657273696f6e710558050000"
            + "00312e332e3271067562636e756d70792e5f636f72652e6d756c746961727261790a5f7265636f6e7374727563740a71074b018571"
            + "08527109652e",
            "80049599000000000000005d94288c15736b6c6561726e2e747265652e5f636c6173736573948c164465636973696f6e54726565436c"
            + "61737369666965729493942981947d94288c096d61785f6465707468944b038c105f736b6c6561726e5f76657273696f6e948c0531"
            + "2e332e329475628c166e756d70792e5f636f72652e6d756c74696172726179948c0c5f7265636f6e7374727563749493944b018594"
            + "5294652e",
            "80059599000000000000005d94288c15736b6c6561726e2e747265652e5f636c6173736573948c164465636973696f6e54726565436c"
            + "61737369666965729493942981947d94288c096d61785f6465707468944b038c105f736b6c6561726e5f76657273696f6e948c0531"
            + "2e332e329475628c166e756d70792e5f636f72652e6d756c74696172726179948c0c5f7265636f6e7374727563749493944b018594"
            + "5294652e");

    static byte[] tree(int protocol) {
        return HexFormat.of().parseHex(TREE_AND_NUMPY2.get(protocol));
    }

    private static PickleReader.Contents read(byte[] b) throws Exception {
        return PickleReader.read(new ByteArrayInputStream(b));
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 2, 3, 4, 5})
    void everyProtocol_findsTheModulesAndTheSklearnVersion(int protocol) throws Exception {
        PickleReader.Contents c = read(tree(protocol));
        assertTrue(c.modules().contains("sklearn.tree._classes"), c.modules().toString());
        assertTrue(c.modules().contains("numpy._core.multiarray"), c.modules().toString());
        assertEquals(Set.of("1.3.2"), c.values("_sklearn_version"));
        assertNull(c.partial());
    }

    @Test
    void memoizedStrings_nameTheSecondClassAndItsState() throws Exception {
        // [DecisionTreeClassifier(), ExtraTreeClassifier()], protocol 4: the second STACK_GLOBAL and the second
        // state's key and value come from the memo (BINGET).
        PickleReader.Contents c = read(HexFormat.of().parseHex("8004957f000000000000005d94288c15736b6c6561726e2e7472"
                + "65652e5f636c6173736573948c164465636973696f6e54726565436c61737369666965729493942981947d948c105f736b6c"
                + "6561726e5f76657273696f6e948c05312e332e3294736268018c13457874726154726565436c6173736966696572949394298"
                + "1947d94680668077362652e"));
        assertEquals(Set.of("sklearn.tree._classes"), c.modules());
        assertEquals(Set.of("1.3.2"), c.values("_sklearn_version"));
    }

    @Test
    void protocol0Strings_areUnquoted() throws Exception {
        PickleReader.Contents c = read("(S'_sklearn_version'\nS'1.0.2'\nd.".getBytes(StandardCharsets.US_ASCII));
        assertEquals(Set.of("1.0.2"), c.values("_sklearn_version"));
    }

    @Test
    void plainJoblib_isReadUpToItsFirstRawArray() throws Exception {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.writeBytes(HexFormat.of().parseHex("8004"));
        b.writeBytes("csklearn.linear_model._logistic\nLogisticRegression\n)\u0081}b".getBytes(
                StandardCharsets.ISO_8859_1));
        b.writeBytes("cjoblib.numpy_pickle\nNumpyArrayWrapper\n)\u0081}b".getBytes(StandardCharsets.ISO_8859_1));
        // The array's raw bytes, which would read as GLOBAL "evil\nmodule\n" if taken for opcodes.
        b.writeBytes("cevil\nmodule\n.".getBytes(StandardCharsets.ISO_8859_1));
        PickleReader.Contents c = read(b.toByteArray());
        assertEquals(Set.of("sklearn.linear_model._logistic", "joblib.numpy_pickle"), c.modules());
        assertEquals("read up to joblib's first raw NumPy array, at byte 100", c.partial());
        // Bytes that are no opcode after the wrapper appeared (before its BUILD) end the reading too.
        byte[] cut = ("\u0080\u0004cjoblib.numpy_pickle\nNumpyArrayWrapper\n\u0000").getBytes(
                StandardCharsets.ISO_8859_1);
        assertTrue(read(cut).partial().startsWith("read up to joblib's first raw NumPy array"));
    }

    @Test
    void malformedPickles_failClearlyAndQuickly() {
        byte[] whole = tree(4);
        for (int cut : new int[] {0, 1, 10, 30, whole.length - 1}) {
            byte[] part = java.util.Arrays.copyOf(whole, cut);
            PickleReader.MalformedPickleException e = assertThrows(PickleReader.MalformedPickleException.class,
                    () -> read(part), "cut at " + cut);
            assertTrue(e.getMessage().startsWith("the pickle ends early"), e.getMessage());
        }
        assertMalformed("unknown opcode 0x00 at byte 2", "8004" + "00");
        assertMalformed("the stack is empty at byte 3", "8004" + "52"); // REDUCE on nothing
        assertMalformed("memo entry 7 is read before it is written, at byte 4", "8004" + "6807");
        assertMalformed("no mark to pop to at byte 3", "8004" + "74"); // TUPLE without MARK
        assertMalformed("a negative or too large length at byte 2", "8004" + "54" + "ffffffff"); // BINSTRING -1
        // BINUNICODE8 of 2^62 bytes: skipped, not allocated, and the stream ends long before.
        assertMalformed("the pickle ends early, at byte 11", "8004" + "8d" + "0000000000000040");
        assertMalformed("a memo index that is no number at byte 0", "70782d310a"); // PUT x-1
    }

    private static void assertMalformed(String message, String hex) {
        PickleReader.MalformedPickleException e = assertThrows(PickleReader.MalformedPickleException.class,
                () -> read(HexFormat.of().parseHex(hex)), hex);
        assertEquals(message, e.getMessage());
    }

    @Test
    void aDeepStack_isBoundedNotExhausted() {
        byte[] b = new byte[(1 << 20) + 10];
        java.util.Arrays.fill(b, (byte) 'N');
        PickleReader.MalformedPickleException e = assertThrows(PickleReader.MalformedPickleException.class,
                () -> read(b));
        assertTrue(e.getMessage().startsWith("a stack deeper than 1048576"), e.getMessage());
    }
}

package io.github.pybundle.core.model;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads a pickle's opcodes (protocols 0 to 5) without executing any of them: a small stack machine that follows only
 * strings, so that it learns the modules the pickle imports ({@code GLOBAL}, {@code INST}, {@code STACK_GLOBAL},
 * through the memo) and the string values set for a key (scikit-learn's {@code _sklearn_version}). Everything else is
 * a placeholder. Every length is checked against what the stream holds (bytes are skipped, never allocated, beyond a
 * small string), the stack and the memo are bounded, and the stream is read once: a malformed pickle is a
 * {@link MalformedPickleException}, never a loop or a large allocation.
 *
 * <p>A joblib file writes raw NumPy array bytes after each {@code NumpyArrayWrapper} it builds, outside the opcodes.
 * Once the reader has seen {@code joblib.numpy_pickle.NumpyArrayWrapper}, the next {@code BUILD} (the wrapper's, or its
 * dtype's just before), or a byte that is no opcode, or a length that does not fit, ends the reading: the result is
 * what was read up to there, marked partial. Array bytes are never read as opcodes.
 */
public final class PickleReader {
    /** The longest string kept; longer ones are skipped (module names and versions are short). */
    static final int MAX_KEPT = 4096;
    private static final int MAX_LINE = 1 << 16;
    private static final int MAX_STACK = 1 << 20;
    private static final int MAX_MEMO = 1 << 20;
    static final String NUMPY_WRAPPER = "joblib.numpy_pickle.NumpyArrayWrapper";
    private static final Object OTHER = new Object();

    /**
     * What a pickle holds that matters to the check.
     *
     * @param modules the modules it imports, in the order met
     * @param values for each key of a dictionary whose value is a string (e.g. {@code _sklearn_version}), the values
     * @param partial why the reading stopped before STOP (joblib's raw arrays), or null when it read the whole pickle
     */
    public record Contents(Set<String> modules, Map<String, Set<String>> values, String partial) {
        /** The values of {@code key}, in the order met; empty when none. */
        public Set<String> values(String key) {
            return values.getOrDefault(key, Set.of());
        }
    }

    /** A byte sequence that is no pickle the reader can follow. */
    public static final class MalformedPickleException extends IOException {
        MalformedPickleException(String message) {
            super(message);
        }
    }

    private record Global(String module, String name) {
    }

    private final InputStream in;
    private long offset;
    private final List<Object> stack = new ArrayList<>();
    private final List<Integer> marks = new ArrayList<>();
    private final Map<Long, Object> memo = new HashMap<>();
    private final Set<String> modules = new LinkedHashSet<>();
    private final Map<String, Set<String>> values = new HashMap<>();
    private boolean sawNumpyWrapper;
    private boolean stoppedAtArray;

    private PickleReader(InputStream in) {
        this.in = in;
    }

    /** Reads one pickle from {@code in} up to its STOP (or to joblib's first raw array). */
    public static Contents read(InputStream in) throws IOException {
        PickleReader r = new PickleReader(in);
        String partial = null;
        try {
            r.run();
        } catch (MalformedPickleException | EOFException e) {
            if (!r.sawNumpyWrapper) {
                throw e instanceof MalformedPickleException m ? m
                        : new MalformedPickleException("the pickle ends early, at byte " + r.offset);
            }
            partial = "read up to joblib's first raw NumPy array, at byte " + r.offset;
        }
        if (r.stoppedAtArray) {
            partial = "read up to joblib's first raw NumPy array, at byte " + r.offset;
        }
        return new Contents(r.modules, r.values, partial);
    }

    private void run() throws IOException {
        while (true) {
            long at = offset;
            int op = u1();
            switch (op) {
                case 0x80 -> u1(); // PROTO
                case 0x95 -> u8(); // FRAME: a hint of the next frame's size
                case '.' -> { // STOP
                    return;
                }
                case '(' -> marks.add(stack.size());
                case '0' -> pop();
                case '1' -> popMark();
                case '2' -> push(peek());
                case 'F', 'I', 'L' -> { // FLOAT, INT, LONG as text
                    line();
                    push(OTHER);
                }
                case 'G' -> { // BINFLOAT
                    skip(8);
                    push(OTHER);
                }
                case 'J' -> {
                    skip(4);
                    push(OTHER);
                }
                case 'K' -> {
                    skip(1);
                    push(OTHER);
                }
                case 'M' -> {
                    skip(2);
                    push(OTHER);
                }
                case 0x8a -> { // LONG1
                    skip(u1());
                    push(OTHER);
                }
                case 0x8b -> { // LONG4
                    skip(length(s4(), at));
                    push(OTHER);
                }
                case 'N', 0x88, 0x89, ')', ']', '}', 0x8f -> push(OTHER); // None, True, False, (), [], {}, set()
                case 'P' -> { // PERSID
                    line();
                    push(OTHER);
                }
                case 'Q' -> { // BINPERSID
                    pop();
                    push(OTHER);
                }
                case 'S' -> push(quoted(line())); // STRING: repr of a str
                case 'V' -> push(line()); // UNICODE (raw-unicode-escape; module names and versions are ASCII)
                case 'T' -> push(string(length(s4(), at), false)); // BINSTRING
                case 'U' -> push(string(u1(), false)); // SHORT_BINSTRING
                case 'X' -> push(string(length(s4(), at), true)); // BINUNICODE
                case 0x8c -> push(string(u1(), true)); // SHORT_BINUNICODE
                case 0x8d -> push(string(length(u8(), at), true)); // BINUNICODE8
                case 'B' -> bytes(length(s4(), at)); // BINBYTES
                case 'C' -> bytes(u1()); // SHORT_BINBYTES
                case 0x8e, 0x96 -> bytes(length(u8(), at)); // BINBYTES8, BYTEARRAY8
                case 0x97 -> push(OTHER); // NEXT_BUFFER
                case 0x98 -> { // READONLY_BUFFER
                    peek();
                }
                case 'c' -> push(global(line(), line())); // GLOBAL
                case 'i' -> { // INST
                    Global g = global(line(), line());
                    popMark();
                    push(g);
                }
                case 0x93 -> { // STACK_GLOBAL
                    Object name = pop();
                    Object module = pop();
                    push(module instanceof String m && name instanceof String n ? global(m, n) : OTHER);
                }
                case 0x82 -> { // EXT1..4: the extension registry's code, not a name
                    skip(1);
                    push(OTHER);
                }
                case 0x83 -> {
                    skip(2);
                    push(OTHER);
                }
                case 0x84 -> {
                    skip(4);
                    push(OTHER);
                }
                case 'p' -> put(Long.parseLong(digits(line(), at))); // PUT
                case 'q' -> put(u1()); // BINPUT
                case 'r' -> put(u4()); // LONG_BINPUT
                case 0x94 -> put(memo.size()); // MEMOIZE
                case 'g' -> get(Long.parseLong(digits(line(), at))); // GET
                case 'h' -> get(u1()); // BINGET
                case 'j' -> get(u4()); // LONG_BINGET
                case 'R', 0x81 -> { // REDUCE, NEWOBJ: callable/class and arguments
                    pop();
                    pop();
                    push(OTHER);
                }
                case 0x92 -> { // NEWOBJ_EX
                    pop();
                    pop();
                    pop();
                    push(OTHER);
                }
                case 'o' -> { // OBJ
                    popMark();
                    push(OTHER);
                }
                case 'b' -> { // BUILD: the state is applied to the object below it
                    pop();
                    peek();
                    if (sawNumpyWrapper) { // joblib's raw array bytes follow the wrapper's BUILD
                        stoppedAtArray = true;
                        return;
                    }
                }
                case 'a' -> pop(); // APPEND
                case 'e', 0x90 -> popMark(); // APPENDS, ADDITEMS
                case 's' -> { // SETITEM
                    Object value = pop();
                    Object key = pop();
                    pair(key, value);
                    peek();
                }
                case 'u', 'd' -> { // SETITEMS, DICT
                    List<Object> items = popMark();
                    if (items.size() % 2 != 0) {
                        throw new MalformedPickleException("a dictionary with an odd number of items at byte " + at);
                    }
                    for (int i = 0; i < items.size(); i += 2) {
                        pair(items.get(i), items.get(i + 1));
                    }
                    if (op == 'd') {
                        push(OTHER);
                    } else {
                        peek();
                    }
                }
                case 'l', 't', 0x91 -> { // LIST, TUPLE, FROZENSET
                    popMark();
                    push(OTHER);
                }
                case 0x85 -> {
                    pop();
                    push(OTHER);
                }
                case 0x86 -> {
                    pop();
                    pop();
                    push(OTHER);
                }
                case 0x87 -> {
                    pop();
                    pop();
                    pop();
                    push(OTHER);
                }
                default -> throw new MalformedPickleException(String.format("unknown opcode 0x%02x at byte %d", op,
                        at));
            }
        }
    }

    // A memoized object keeps its identity: a memoized class (e.g. NumpyArrayWrapper) is still recognised.
    private Global global(String module, String name) {
        modules.add(module);
        Global g = new Global(module, name);
        if (NUMPY_WRAPPER.equals(module + "." + name)) {
            sawNumpyWrapper = true;
        }
        return g;
    }

    private void pair(Object key, Object value) {
        if (key instanceof String k && value instanceof String v && values.size() < 1024) {
            values.computeIfAbsent(k, x -> new LinkedHashSet<>()).add(v);
        }
    }

    private void put(long index) throws MalformedPickleException {
        if (memo.size() >= MAX_MEMO && !memo.containsKey(index)) {
            throw new MalformedPickleException("more than " + MAX_MEMO + " memo entries");
        }
        memo.put(index, peek());
    }

    private void get(long index) throws MalformedPickleException {
        Object o = memo.get(index);
        if (o == null) {
            throw new MalformedPickleException("memo entry " + index + " is read before it is written, at byte "
                    + offset);
        }
        push(o);
    }

    private void push(Object o) throws MalformedPickleException {
        if (stack.size() >= MAX_STACK) {
            throw new MalformedPickleException("a stack deeper than " + MAX_STACK + " at byte " + offset);
        }
        stack.add(o);
    }

    private Object pop() throws MalformedPickleException {
        int floor = marks.isEmpty() ? 0 : marks.get(marks.size() - 1);
        if (stack.size() <= floor) {
            throw new MalformedPickleException("the stack is empty at byte " + offset);
        }
        return stack.remove(stack.size() - 1);
    }

    private Object peek() throws MalformedPickleException {
        if (stack.isEmpty()) {
            throw new MalformedPickleException("the stack is empty at byte " + offset);
        }
        return stack.get(stack.size() - 1);
    }

    private List<Object> popMark() throws MalformedPickleException {
        if (marks.isEmpty()) {
            throw new MalformedPickleException("no mark to pop to at byte " + offset);
        }
        int at = marks.remove(marks.size() - 1);
        List<Object> top = new ArrayList<>(stack.subList(at, stack.size()));
        stack.subList(at, stack.size()).clear();
        return top;
    }

    private int u1() throws IOException {
        int b = in.read();
        if (b < 0) {
            throw new EOFException();
        }
        offset++;
        return b;
    }

    private long u4() throws IOException {
        long v = 0;
        for (int i = 0; i < 4; i++) {
            v |= (long) u1() << (8 * i);
        }
        return v;
    }

    private long s4() throws IOException {
        return (int) u4();
    }

    private long u8() throws IOException {
        long v = 0;
        for (int i = 0; i < 8; i++) {
            v |= (long) u1() << (8 * i);
        }
        return v;
    }

    private long length(long n, long at) throws MalformedPickleException {
        if (n < 0) {
            throw new MalformedPickleException("a negative or too large length at byte " + at);
        }
        return n;
    }

    private void skip(long n) throws IOException {
        in.skipNBytes(n); // EOFException when the stream holds fewer
        offset += n;
    }

    private void bytes(long n) throws IOException {
        skip(n);
        push(OTHER);
    }

    private Object string(long n, boolean utf8) throws IOException {
        if (n > MAX_KEPT) {
            skip(n);
            return OTHER;
        }
        byte[] b = in.readNBytes((int) n);
        if (b.length < n) {
            throw new EOFException();
        }
        offset += n;
        return new String(b, utf8 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
    }

    private String line() throws IOException {
        StringBuilder sb = new StringBuilder();
        long at = offset;
        for (int b = u1(); b != '\n'; b = u1()) {
            if (sb.length() >= MAX_LINE) {
                throw new MalformedPickleException("a line longer than " + MAX_LINE + " bytes at byte " + at);
            }
            sb.append((char) b);
        }
        return sb.toString();
    }

    private static String digits(String s, long at) throws MalformedPickleException {
        if (!s.matches("[0-9]{1,18}")) {
            throw new MalformedPickleException("a memo index that is no number at byte " + at);
        }
        return s;
    }

    // Protocol 0's STRING: Python's repr, quoted with ' or "; escapes other than those of ASCII text are kept as is.
    private static Object quoted(String s) {
        if (s.length() >= 2 && (s.charAt(0) == '\'' || s.charAt(0) == '"') && s.charAt(s.length() - 1) == s.charAt(0)) {
            return s.substring(1, s.length() - 1);
        }
        return OTHER;
    }
}

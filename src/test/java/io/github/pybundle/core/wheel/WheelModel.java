package io.github.pybundle.core.wheel;

import com.code_intelligence.jazzer.mutation.annotation.InRange;
import com.code_intelligence.jazzer.mutation.annotation.NotNull;
import com.code_intelligence.jazzer.mutation.annotation.WithSize;
import io.github.pybundle.testing.TestWheels;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * A wheel as the structure-aware fuzzer sees it: entries (name, content, method, extra field, Unix mode, listed in
 * RECORD or not), a tail of raw RECORD text, and patches to single zip header fields. {@link #bytes()} lays it out as
 * a zip with consistent CRCs, sizes and offsets (so mutations reach the checks behind them), computes the RECORD
 * entry when its content is empty, then applies the patches: the fuzzer changes one field and keeps the rest valid.
 *
 * @param entries the entries, in archive order
 * @param recordTail raw text appended to a computed RECORD
 * @param patches changes to header fields, applied after layout
 * @param comment the end-of-central-directory comment
 */
public record WheelModel(@NotNull @WithSize(max = 24) List<@NotNull Entry> entries, @NotNull String recordTail,
                         @NotNull @WithSize(max = 8) List<@NotNull Patch> patches, @NotNull byte[] comment) {
    // @NotNull is a hint to the mutator, not a guarantee (the empty input gives nulls).
    public WheelModel {
        entries = entries == null ? List.of() : entries.stream().filter(java.util.Objects::nonNull).toList();
        recordTail = recordTail == null ? "" : recordTail;
        patches = patches == null ? List.of() : patches.stream().filter(java.util.Objects::nonNull).toList();
        comment = comment == null ? new byte[0] : comment;
    }

    /**
     * One entry.
     *
     * @param name the name, written as UTF-8 (flagged as such when not ASCII)
     * @param data the content
     * @param deflate deflated, else stored
     * @param extra the extra field, in the local and central header alike
     * @param unixMode the Unix mode in the external attributes (0: a DOS entry)
     * @param listed whether a computed RECORD lists it with its hash and size
     */
    public record Entry(@NotNull String name, @NotNull byte[] data, boolean deflate, @NotNull byte[] extra,
                        int unixMode, boolean listed) {
        public Entry {
            name = name == null ? "" : name;
            data = data == null ? new byte[0] : data;
            extra = extra == null ? new byte[0] : extra;
        }
    }

    /**
     * A change to one field: {@code field} indexes {@link #FIELDS} ({@code entry} picks the entry, modulo their
     * count), or is {@code FIELDS.length} for a byte of the whole file ({@code entry} is then the offset).
     *
     * @param field which field
     * @param entry which entry, or the offset of a raw byte
     * @param value the new value, or the bits to flip
     * @param xor flip the bits of {@code value} instead of setting it
     */
    public record Patch(@InRange(min = 0, max = 31) int field, int entry, int value, boolean xor) {
    }

    private enum Where { LOCAL, CENTRAL, END }

    private record Field(Where where, int offset, int width) {
    }

    // Header fields by offset and width (APPNOTE 4.3.7, 4.3.12, 4.3.16).
    private static final Field[] FIELDS = {
        new Field(Where.LOCAL, 4, 2), new Field(Where.LOCAL, 6, 2), new Field(Where.LOCAL, 8, 2),
        new Field(Where.LOCAL, 10, 2), new Field(Where.LOCAL, 14, 4), new Field(Where.LOCAL, 18, 4),
        new Field(Where.LOCAL, 22, 4), new Field(Where.LOCAL, 26, 2), new Field(Where.LOCAL, 28, 2),
        new Field(Where.CENTRAL, 4, 2), new Field(Where.CENTRAL, 6, 2), new Field(Where.CENTRAL, 8, 2),
        new Field(Where.CENTRAL, 10, 2), new Field(Where.CENTRAL, 16, 4), new Field(Where.CENTRAL, 20, 4),
        new Field(Where.CENTRAL, 24, 4), new Field(Where.CENTRAL, 28, 2), new Field(Where.CENTRAL, 30, 2),
        new Field(Where.CENTRAL, 32, 2), new Field(Where.CENTRAL, 34, 2), new Field(Where.CENTRAL, 36, 2),
        new Field(Where.CENTRAL, 38, 4), new Field(Where.CENTRAL, 42, 4),
        new Field(Where.END, 4, 2), new Field(Where.END, 6, 2), new Field(Where.END, 8, 2),
        new Field(Where.END, 10, 2), new Field(Where.END, 12, 4), new Field(Where.END, 16, 4),
        new Field(Where.END, 20, 2),
    };

    /** The zip file's bytes. */
    public byte[] bytes() {
        int n = entries.size();
        List<byte[]> names = new ArrayList<>();
        List<byte[]> contents = new ArrayList<>();
        for (Entry e : entries) {
            names.add(e.name().getBytes(StandardCharsets.UTF_8));
            contents.add(e.name().endsWith(".dist-info/RECORD") && e.data().length == 0 ? record(e) : e.data());
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int[] local = new int[n];
        int[] storedSize = new int[n];
        for (int i = 0; i < n; i++) {
            Entry e = entries.get(i);
            byte[] content = contents.get(i);
            byte[] stored = e.deflate() ? deflate(content) : content;
            local[i] = out.size();
            storedSize[i] = stored.length;
            ByteBuffer h = le(30);
            h.putInt(0x04034b50).putShort((short) 20).putShort(flags(e)).putShort((short) (e.deflate() ? 8 : 0))
                    .putShort((short) 0).putShort((short) 0x21).putInt((int) crc(content)).putInt(stored.length)
                    .putInt(content.length).putShort((short) names.get(i).length).putShort((short) e.extra().length);
            out.writeBytes(h.array());
            out.writeBytes(names.get(i));
            out.writeBytes(e.extra());
            out.writeBytes(stored);
        }
        int cdStart = out.size();
        int[] central = new int[n];
        for (int i = 0; i < n; i++) {
            Entry e = entries.get(i);
            byte[] content = contents.get(i);
            central[i] = out.size();
            ByteBuffer h = le(46);
            h.putInt(0x02014b50).putShort((short) (e.unixMode() != 0 ? 0x0314 : 20)).putShort((short) 20)
                    .putShort(flags(e)).putShort((short) (e.deflate() ? 8 : 0)).putShort((short) 0)
                    .putShort((short) 0x21).putInt((int) crc(content)).putInt(storedSize[i]).putInt(content.length)
                    .putShort((short) names.get(i).length).putShort((short) e.extra().length).putShort((short) 0)
                    .putShort((short) 0).putShort((short) 0).putInt(e.unixMode() << 16).putInt(local[i]);
            out.writeBytes(h.array());
            out.writeBytes(names.get(i));
            out.writeBytes(e.extra());
        }
        int end = out.size();
        ByteBuffer h = le(22);
        h.putInt(0x06054b50).putShort((short) 0).putShort((short) 0).putShort((short) n).putShort((short) n)
                .putInt(end - cdStart).putInt(cdStart).putShort((short) comment.length);
        out.writeBytes(h.array());
        out.writeBytes(comment);
        byte[] zip = out.toByteArray();
        for (Patch p : patches) {
            apply(zip, p, local, central, end);
        }
        return zip;
    }

    private static void apply(byte[] zip, Patch p, int[] local, int[] central, int end) {
        if (p.field() >= FIELDS.length) {
            if (zip.length > 0) {
                zip[Math.floorMod(p.entry(), zip.length)] ^= (byte) (p.value() == 0 ? 1 : p.value());
            }
            return;
        }
        Field f = FIELDS[p.field()];
        int base;
        if (f.where() == Where.END) {
            base = end;
        } else if (local.length == 0) {
            return;
        } else {
            int i = Math.floorMod(p.entry(), local.length);
            base = f.where() == Where.LOCAL ? local[i] : central[i];
        }
        int at = base + f.offset();
        ByteBuffer b = ByteBuffer.wrap(zip).order(ByteOrder.LITTLE_ENDIAN);
        if (f.width() == 2) {
            b.putShort(at, (short) (p.xor() ? b.getShort(at) ^ p.value() : p.value()));
        } else {
            b.putInt(at, p.xor() ? b.getInt(at) ^ p.value() : p.value());
        }
    }

    // RECORD as wheel writes it: every listed entry with its sha256 and size, RECORD itself without, then the tail.
    private byte[] record(Entry self) {
        StringBuilder sb = new StringBuilder();
        for (Entry e : entries) {
            if (e == self) {
                sb.append(csv(e.name())).append(",,\n");
            } else if (e.listed()) {
                sb.append(csv(e.name())).append(",sha256=").append(Base64.getUrlEncoder().withoutPadding()
                        .encodeToString(TestWheels.sha256(e.data()))).append(',').append(e.data().length).append('\n');
            }
        }
        return sb.append(recordTail).toString().getBytes(StandardCharsets.UTF_8);
    }

    private static String csv(String field) {
        return field.contains(",") || field.contains("\"") ? "\"" + field.replace("\"", "\"\"") + "\"" : field;
    }

    private static short flags(Entry e) {
        return (short) (e.name().chars().allMatch(c -> c < 0x80) ? 0 : 0x800);
    }

    private static ByteBuffer le(int size) {
        return ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
    }

    private static long crc(byte[] b) {
        CRC32 crc = new CRC32();
        crc.update(b);
        return crc.getValue();
    }

    private static byte[] deflate(byte[] b) {
        Deflater d = new Deflater(Deflater.DEFAULT_COMPRESSION, true);
        try {
            d.setInput(b);
            d.finish();
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] buf = new byte[4096];
            while (!d.finished()) {
                out.write(buf, 0, d.deflate(buf));
            }
            return out.toByteArray();
        } finally {
            d.end();
        }
    }

    /**
     * The model of a wheel built by {@link TestWheels}: its entries as they are, RECORD left empty so that it is
     * computed again after the fuzzer changed the others.
     */
    public static WheelModel of(TestWheels.Spec spec, boolean deflate) throws IOException {
        List<Entry> entries = new ArrayList<>();
        try (ZipInputStream in = new ZipInputStream(new java.io.ByteArrayInputStream(TestWheels.build(spec)))) {
            for (ZipEntry e; (e = in.getNextEntry()) != null; ) {
                byte[] data = e.getName().endsWith(".dist-info/RECORD") ? new byte[0] : in.readAllBytes();
                int mode = e.getName().endsWith(".py") ? 0100644 : 0;
                entries.add(new Entry(e.getName(), data, deflate, new byte[0], mode, true));
            }
        }
        return new WheelModel(entries, "", List.of(), new byte[0]);
    }
}

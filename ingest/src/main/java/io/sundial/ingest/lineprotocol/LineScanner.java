package io.sundial.ingest.lineprotocol;

import io.sundial.core.FieldType;
import io.sundial.core.InvalidPointException;
import io.sundial.core.PointColumns;
import io.sundial.core.Precision;
import io.sundial.core.SeriesTags;
import io.sundial.ingest.text.DecimalScanner;
import io.sundial.ingest.text.LineReader;
import io.sundial.ingest.text.Numbers;
import io.sundial.ingest.text.StringCache;
import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.function.LongSupplier;

/**
 * Parses one line of InfluxDB line protocol in place in the reader's buffer:
 * {@code measurement[,tag=value...] field=value[,field=value...] [timestamp]}.
 *
 * <p>Escapes (InfluxDB 1.x "special characters"): in a measurement a backslash escapes a comma
 * or space; in tag keys, tag values and field keys it escapes a comma, equals sign or space; in
 * a string field value it escapes a double quote. Everywhere a doubled backslash is one
 * backslash, and a backslash before any other byte is kept as is. While scanning for the end of
 * a token, a backslash and the byte after it are always taken together, so an escape never
 * ends a token. Only the final names and values are decoded; repeated ones come from a cache,
 * and a series key (the bytes before the first unescaped space) seen before is not parsed again:
 * its checked, sorted tags come from a {@link SeriesCache}.
 *
 * <p>The common case takes fast paths that fall back to the general code whenever the input is
 * anything else, so the general code alone decides what is an error and how it is worded: field
 * keys equal to the previous line's at the same position ({@link FieldKeyCache}), plain decimal
 * numbers and timestamps read while their end is found ({@link DecimalScanner}), and the series
 * key's end found eight bytes a step.
 */
final class LineScanner {
    private static final String TIME_RANGE = "time outside range 1677-09-21T00:12:43.145224194Z - 2262-04-11T23:47:16.854775806Z";

    /** Stands in for a series that broke the rules while the rest of its line is still checked for syntax. */
    private static final SeriesTags PLACEHOLDER_SERIES = SeriesTags.of("invalid", new String[0], new String[0], 0);
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long ONES = 0x0101010101010101L;
    private static final long HIGH_BITS = 0x8080808080808080L;
    private static final long SPACES = 0x2020202020202020L;
    private static final long BACKSLASHES = 0x5C5C5C5C5C5C5C5CL;
    /** Lines {@link #parseToNewline} leaves to the general path after a line it did not take. */
    private static final int PLAIN_LINES_TO_SKIP = 8;

    private final StringCache cache = new StringCache();
    private final SeriesCache seriesCache = SeriesCache.shared();
    private final FieldKeyCache fieldKeys = new FieldKeyCache();
    private final DecimalScanner decimals = new DecimalScanner();
    private String[] tagKeys = new String[16];
    private String[] tagValues = new String[16];
    private int tagCount;
    private final Precision precision;
    private byte[] scratch = new byte[256];
    private byte[] buf;
    private int lineStart;
    private int end;
    private int openQuoteOffset;
    private int plainLinesSkipped = PLAIN_LINES_TO_SKIP;
    /** Whether the last {@link #parseToNewline} refused its line only because the buffer ended inside it. */
    private boolean isLineCut;
    /** The {@link SeriesCache#hash} of the key {@link #seriesKeyEnd} found last. */
    private long seriesKeyHash;
    /** The key {@link #fieldKey(int, int)} decoded last. */
    private String fieldKey;

    LineScanner(Precision precision) {
        this.precision = precision;
    }

    /**
     * Parses the reader's current line into a new row of {@code sink}; false for a blank or
     * comment line. On an error nothing is added.
     */
    boolean parse(LineReader reader, LongSupplier defaultNanos, PointColumns sink) throws LineSyntaxException, IOException {
        buf = reader.buffer();
        lineStart = reader.lineStart();
        end = reader.lineEnd();
        int p = lineStart;
        while (p < end && (buf[p] == ' ' || buf[p] == '\t')) {
            p++;
        }
        if (p == end || buf[p] == '#') {
            return false;
        }
        int start = p;
        int keyEnd = seriesKeyEnd(p);
        SeriesTags series = seriesCache.find(buf, start, keyEnd, seriesKeyHash);
        InvalidPointException invalidSeries = null;
        if (series != null) {
            p = keyEnd;
            if (p == end) {
                throw fail(p, "missing fields");
            }
        } else {
            try {
                series = seriesTags(start, keyEnd);
            } catch (InvalidPointException e) {
                // Reported after any syntax error later in the line, as a Point built from the line would.
                invalidSeries = e;
                series = PLACEHOLDER_SERIES;
            }
            p = keyEnd;
        }
        sink.startRow(series);
        fieldKeys.select(series.measurement());
        try {
            p = skipSpaces(p);
            if (p == end) {
                throw fail(p, "missing fields");
            }
            p = skipSpaces(fields(sink, p, reader));
            long timestamp = p < end ? timestamp(p) : defaultNanos.getAsLong();
            if (invalidSeries != null) {
                throw fail(lineStart, invalidSeries.getMessage());
            }
            sink.endRow(timestamp);
            return true;
        } catch (InvalidPointException e) {
            throw fail(lineStart, e.getMessage());
        } finally {
            sink.cancelRow(); // no-op after endRow
        }
    }

    /**
     * Parses the line that starts at {@link LineReader#nextLineStart()} into a new row of
     * {@code sink} while finding its end, when it is the common line that every fast path takes
     * (a cached series, cached field keys, plain numbers, a timestamp right before {@code '\n'}),
     * and makes it the reader's current line. Else adds nothing, leaves the reader as it was and
     * returns false: the caller reads the line with {@link LineReader#nextLine()} and
     * {@link #parse}, which alone decide what is an error and how it is worded.
     *
     * <p>One pass instead of a newline scan before the parse. Sound because every byte up to the
     * {@code '\n'} taken as the line's end is one that a fast path accepted, and none accepts a
     * line break: cached series and field keys never hold one, numbers are digits, and the
     * delimiters are commas and spaces. A line too long for the reader is left to it.
     */
    boolean parseToNewline(LineReader reader, PointColumns sink) {
        isLineCut = false;
        if (plainLinesSkipped < PLAIN_LINES_TO_SKIP) {
            plainLinesSkipped++;
            return false;
        }
        buf = reader.buffer();
        lineStart = reader.nextLineStart();
        end = reader.bufferedEnd();
        int keyEnd = seriesKeyEnd(lineStart);
        SeriesTags series = keyEnd < end ? seriesCache.find(buf, lineStart, keyEnd, seriesKeyHash) : null;
        if (series == null) {
            return isPlainLineRefused();
        }
        sink.startRow(series);
        fieldKeys.select(series.measurement());
        try {
            int p = plainFields(sink, skipSpaces(keyEnd));
            if (p == DecimalScanner.NOT_PLAIN) {
                return isPlainLineRefused();
            }
            int newline = decimals.scanLongDigits(buf, skipSpaces(p), end);
            if (newline == DecimalScanner.NOT_PLAIN || newline == end || buf[newline] != '\n'
                    || newline - lineStart > reader.lineBytesMax()) {
                return isPlainLineRefused();
            }
            sink.endRow(precision.toNanos(decimals.value()));
            reader.acceptLine(newline);
            return true;
        } catch (InvalidPointException e) {
            return isPlainLineRefused();
        } finally {
            sink.cancelRow(); // no-op after endRow
        }
    }

    /**
     * The field set from {@code p} when every key is the cached one at its position and every
     * value a plain number: returns the index of the space after it; else {@link DecimalScanner#NOT_PLAIN}.
     */
    private int plainFields(PointColumns sink, int from) {
        int p = from;
        for (int position = 0; ; position++) {
            int valueStart = fieldKeys.match(position, buf, p, end);
            if (valueStart < 0) {
                return DecimalScanner.NOT_PLAIN;
            }
            int valueEnd = decimals.scanFloatOrInteger(buf, valueStart, end);
            if (valueEnd == DecimalScanner.NOT_PLAIN || valueEnd == end) {
                return DecimalScanner.NOT_PLAIN;
            }
            sink.addField(fieldKeys.name(position), buf[valueEnd - 1] == 'i' ? FieldType.INTEGER : FieldType.FLOAT,
                    decimals.value(), null);
            if (buf[valueEnd] == ' ') {
                return valueEnd;
            }
            p = valueEnd + 1; // the comma: scanFloatOrInteger ends a token only at ',', ' ' or end
        }
    }

    /**
     * False, after a line {@link #parseToNewline} did not take. When the line was not merely cut
     * by the buffer's end, the next {@link #PLAIN_LINES_TO_SKIP} lines skip the attempt: input
     * whose lines are other than plain (strings, booleans, new series) then pays for a wasted
     * partial parse on one line in {@code PLAIN_LINES_TO_SKIP + 1}, not on every line.
     */
    private boolean isPlainLineRefused() {
        if (LineReader.indexOfNewline(buf, lineStart, end) >= 0) {
            plainLinesSkipped = 0;
        } else {
            isLineCut = true;
        }
        return false;
    }

    /**
     * Whether the last {@link #parseToNewline} refused its line only because the reader's buffer
     * ended inside it: after {@link LineReader#fillForNextLine()} the line may be taken after all.
     */
    boolean isLineCut() {
        return isLineCut;
    }

    /**
     * The index of the first unescaped space from {@code start} (or {@link #end}): where the
     * series key ends. Sets {@link #seriesKeyHash} to the key's {@link SeriesCache#hash}, mixed
     * in from the same words the scan reads, so the key is read once before its comparison.
     */
    private int seriesKeyEnd(int start) {
        // Eight bytes a step to the first space or backslash (series keys run to hundreds of
        // bytes): (x - 0x01..) & ~x & 0x80.. marks the lowest zero byte of x exactly, and a false
        // mark only ever lies above a true one, so the lowest mark of either test is the first hit.
        long hash = 0;
        int p = start;
        while (p + Long.BYTES <= buf.length) {
            long word = (long) LONGS.get(buf, p);
            long spaces = word ^ SPACES;
            long backslashes = word ^ BACKSLASHES;
            long marks = ((spaces - ONES) & ~spaces | (backslashes - ONES) & ~backslashes) & HIGH_BITS;
            int hit = marks == 0 ? p + Long.BYTES : p + (Long.numberOfTrailingZeros(marks) >>> 3);
            if (hit >= end || (marks != 0 && buf[hit] == ' ')) {
                int stop = Math.min(hit, end);
                if (stop > p) {
                    hash = SeriesCache.mix(hash, word & (-1L >>> (Long.SIZE - (stop - p) * Byte.SIZE)));
                }
                seriesKeyHash = SeriesCache.finish(hash, stop - start);
                return stop;
            }
            if (marks != 0) {
                return escapedKeyEnd(start, hit);
            }
            hash = SeriesCache.mix(hash, word);
            p += Long.BYTES;
        }
        return escapedKeyEnd(start, p);
    }

    /**
     * {@link #seriesKeyEnd} from {@code p} on, for a key with an escape or one that ends within a
     * word of the buffer's end; hashes the key in a second pass.
     */
    private int escapedKeyEnd(int start, int from) {
        int p = from;
        while (p + Long.BYTES <= buf.length && p < end) {
            long word = (long) LONGS.get(buf, p);
            long spaces = word ^ SPACES;
            long backslashes = word ^ BACKSLASHES;
            long marks = ((spaces - ONES) & ~spaces | (backslashes - ONES) & ~backslashes) & HIGH_BITS;
            if (marks == 0) {
                p += Long.BYTES;
                continue;
            }
            int hit = p + (Long.numberOfTrailingZeros(marks) >>> 3);
            if (hit >= end || buf[hit] == ' ') {
                p = hit;
                break;
            }
            p = hit + 2;
        }
        while (p < end) {
            byte b = buf[p];
            if (b == '\\') {
                p += 2;
            } else if (b == ' ') {
                break;
            } else {
                p++;
            }
        }
        int stop = Math.min(p, end);
        seriesKeyHash = SeriesCache.hash(buf, start, stop);
        return stop;
    }

    /**
     * Parses the measurement and tags of a series not in the cache, which must end at {@code keyEnd}
     * when they are well formed, and caches them if they are valid.
     *
     * @throws InvalidPointException when the measurement or tags break the point rules
     */
    private SeriesTags seriesTags(int start, int keyEnd) throws LineSyntaxException {
        int p = start;
        boolean isEscaped = false;
        while (p < end) {
            byte b = buf[p];
            if (b == '\\') {
                isEscaped = true;
                p = Math.min(p + 2, end);
            } else if (b == ',' || b == ' ') {
                break;
            } else {
                p++;
            }
        }
        if (p == start) {
            throw fail(p, "missing measurement");
        }
        String measurement = identifier(start, p, isEscaped, true);
        if (p == end) {
            throw fail(p, "missing fields");
        }
        tagCount = 0;
        while (buf[p] == ',') {
            p = tag(p + 1);
        }
        if (p != keyEnd) {
            throw new IllegalStateException("series key scan and tag parse disagree at column " + (p - lineStart + 1));
        }
        SeriesTags series = SeriesTags.of(measurement, tagKeys, tagValues, tagCount);
        seriesCache.put(buf, start, keyEnd, series);
        return series;
    }

    /** Parses {@code key=value} starting at {@code p}; returns the index of the ',' or ' ' after it. */
    private int tag(int p) throws LineSyntaxException {
        int keyStart = p;
        boolean isEscaped = false;
        while (p < end) {
            byte b = buf[p];
            if (b == '\\') {
                isEscaped = true;
                p = Math.min(p + 2, end);
            } else if (b == '=' || b == ',' || b == ' ') {
                break;
            } else {
                p++;
            }
        }
        if (p == keyStart) {
            throw fail(p, "missing tag key");
        }
        if (p == end || buf[p] != '=') {
            throw fail(p, "missing tag value");
        }
        String key = identifier(keyStart, p, isEscaped, false);
        p++;
        int valueStart = p;
        isEscaped = false;
        while (p < end) {
            byte b = buf[p];
            if (b == '\\') {
                isEscaped = true;
                p = Math.min(p + 2, end);
            } else if (b == ',' || b == ' ') {
                break;
            } else if (b == '=') {
                throw fail(p, "invalid tag format");
            } else {
                p++;
            }
        }
        if (p == valueStart) {
            throw fail(p, "missing tag value");
        }
        if (p == end) {
            throw fail(p, "missing fields");
        }
        if (tagCount == tagKeys.length) {
            tagKeys = Arrays.copyOf(tagKeys, tagCount * 2);
            tagValues = Arrays.copyOf(tagValues, tagCount * 2);
        }
        tagKeys[tagCount] = key;
        tagValues[tagCount] = identifier(valueStart, p, isEscaped, false);
        tagCount++;
        return p;
    }

    /** Parses the field set starting at {@code p}; returns the index of the ' ' after it, or the line end. */
    private int fields(PointColumns sink, int p, LineReader reader) throws LineSyntaxException, IOException {
        for (int position = 0; ; position++) {
            int valueStart = fieldKeys.match(position, buf, p, end);
            String name;
            if (valueStart >= 0) {
                name = fieldKeys.name(position);
            } else {
                valueStart = fieldKey(position, p);
                name = fieldKey;
            }
            p = valueStart;
            if (p == end || buf[p] == ' ' || buf[p] == ',') {
                throw fail(p, "missing field value");
            }
            p = buf[p] == '"' ? stringValue(sink, name, p + 1, reader) : scalarValue(sink, name, p);
            if (p == end || buf[p] == ' ') {
                return p;
            }
            if (buf[p] != ',') {
                throw fail(p, "invalid field format");
            }
            p++;
            if (p == end || buf[p] == ' ') {
                throw fail(p, "missing field key");
            }
        }
    }

    /**
     * Scans and decodes the field key at {@code p} into {@link #fieldKey}, caches it for the key's
     * position in the field set, and returns the index after its '='.
     */
    private int fieldKey(int position, int p) throws LineSyntaxException {
        int keyStart = p;
        boolean isEscaped = false;
        while (p < end) {
            byte b = buf[p];
            if (b == '\\') {
                isEscaped = true;
                p = Math.min(p + 2, end);
            } else if (b == '=' || b == ',' || b == ' ') {
                break;
            } else {
                p++;
            }
        }
        if (p == keyStart) {
            throw fail(p, "missing field key");
        }
        if (p == end || buf[p] != '=') {
            throw fail(keyStart, "invalid field format");
        }
        fieldKey = identifier(keyStart, p, isEscaped, false);
        fieldKeys.remember(position, buf, keyStart, p, fieldKey);
        return p + 1;
    }

    /** Parses a quoted string whose first content byte is at {@code p}; returns the index after the closing quote. */
    private int stringValue(PointColumns sink, String name, int p, LineReader reader) throws LineSyntaxException, IOException {
        int valueStart = p;
        boolean isEscaped = false;
        while (true) {
            while (p < end) {
                byte b = buf[p];
                if (b == '\\') {
                    isEscaped = true;
                    p += 2;
                } else if (b == '"') {
                    break;
                } else {
                    p++;
                }
            }
            if (p < end) {
                break;
            }
            // InfluxDB 1.x lets a string field span lines: the line break is part of the value.
            if (!reader.isExtended()) {
                openQuoteOffset = valueStart - 1 - lineStart;
            }
            int valueOffset = valueStart - lineStart;
            int scanOffset = p - lineStart;
            LineReader.Status status = reader.extendLine();
            if (status == LineReader.Status.END) {
                throw fail(valueStart - 1, "unbalanced quotes");
            }
            if (status == LineReader.Status.TOO_LONG) {
                throw new LineSyntaxException(-1, "line is longer than " + reader.lineBytesMax()
                        + " bytes (ParseOptions.lineBytesMax); split it or raise the limit");
            }
            buf = reader.buffer();
            lineStart = reader.lineStart();
            end = reader.lineEnd();
            valueStart = lineStart + valueOffset;
            p = lineStart + scanOffset;
        }
        String value = isEscaped ? unescapeString(valueStart, p) : cache.decode(buf, valueStart, p);
        if (value == null) {
            throw fail(valueStart, "invalid UTF-8 in string field '" + name + "'");
        }
        sink.addField(name, FieldType.STRING, 0, value);
        return p + 1;
    }

    private int scalarValue(PointColumns sink, String name, int p) throws LineSyntaxException {
        int valueStart = p;
        int valueEnd = decimals.scanFloatOrInteger(buf, p, end);
        if (valueEnd != DecimalScanner.NOT_PLAIN) {
            sink.addField(name, buf[valueEnd - 1] == 'i' ? FieldType.INTEGER : FieldType.FLOAT, decimals.value(), null);
            return valueEnd;
        }
        while (p < end && buf[p] != ',' && buf[p] != ' ') {
            p++;
        }
        byte first = buf[valueStart];
        byte last = buf[p - 1];
        try {
            if (first == 't' || first == 'T' || first == 'f' || first == 'F') {
                sink.addField(name, FieldType.BOOLEAN, bool(valueStart, p) ? 1 : 0, null);
            } else if (last == 'i') {
                sink.addField(name, FieldType.INTEGER, Numbers.parseLong(buf, valueStart, p - 1), null);
            } else if (last == 'u') {
                sink.addField(name, FieldType.UNSIGNED, Numbers.parseUnsigned(buf, valueStart, p - 1), null);
            } else {
                sink.addField(name, FieldType.FLOAT, Double.doubleToRawLongBits(Numbers.parseDouble(buf, valueStart, p)), null);
            }
        } catch (NumberFormatException e) {
            throw fail(valueStart, "invalid number: " + e.getMessage());
        }
        return p;
    }

    /** The ten spellings InfluxDB accepts: t T true True TRUE f F false False FALSE. */
    private boolean bool(int start, int stop) throws LineSyntaxException {
        int length = stop - start;
        byte first = buf[start];
        if (length == 1) {
            return first == 't' || first == 'T';
        }
        if (length == 4 && (matches(start, "true") || matches(start, "True") || matches(start, "TRUE"))) {
            return true;
        }
        if (length == 5 && (matches(start, "false") || matches(start, "False") || matches(start, "FALSE"))) {
            return false;
        }
        throw fail(start, "invalid boolean");
    }

    private boolean matches(int start, String word) {
        for (int i = 0; i < word.length(); i++) {
            if (buf[start + i] != word.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    private long timestamp(int p) throws LineSyntaxException {
        int start = p;
        long value;
        int valueEnd = decimals.scanLong(buf, p, end);
        if (valueEnd != DecimalScanner.NOT_PLAIN) {
            value = decimals.value();
            p = valueEnd;
        } else {
            while (p < end && buf[p] != ' ') {
                p++;
            }
            try {
                value = Numbers.parseLong(buf, start, p);
            } catch (NumberFormatException e) {
                throw fail(start, "bad timestamp");
            }
        }
        if (skipSpaces(p) < end) {
            throw fail(skipSpaces(p), "bad timestamp");
        }
        try {
            return precision.toNanos(value);
        } catch (InvalidPointException e) {
            throw fail(start, TIME_RANGE);
        }
    }

    /** Offset of the opening quote of the string that made the reader extend the line. */
    int openQuoteOffset() {
        return openQuoteOffset;
    }

    private int skipSpaces(int p) {
        while (p < end && buf[p] == ' ') {
            p++;
        }
        return p;
    }

    /** Decodes a measurement, tag key, tag value or field key, resolving its escapes. */
    private String identifier(int start, int stop, boolean isEscaped, boolean isMeasurement) throws LineSyntaxException {
        String value;
        if (!isEscaped) {
            value = cache.intern(buf, start, stop);
        } else {
            int length = 0;
            byte[] out = scratch(stop - start);
            for (int i = start; i < stop; i++) {
                byte b = buf[i];
                if (b == '\\' && i + 1 < stop && isEscapable(buf[i + 1], isMeasurement)) {
                    b = buf[++i];
                }
                out[length++] = b;
            }
            value = cache.intern(out, 0, length);
        }
        if (value == null) {
            throw fail(start, "invalid UTF-8");
        }
        return value;
    }

    private static boolean isEscapable(byte b, boolean isMeasurement) {
        return b == ',' || b == ' ' || b == '\\' || (b == '=' && !isMeasurement);
    }

    private String unescapeString(int start, int stop) {
        int length = 0;
        byte[] out = scratch(stop - start);
        for (int i = start; i < stop; i++) {
            byte b = buf[i];
            if (b == '\\' && i + 1 < stop && (buf[i + 1] == '"' || buf[i + 1] == '\\')) {
                b = buf[++i];
            }
            out[length++] = b;
        }
        return cache.decode(out, 0, length);
    }

    private byte[] scratch(int bytes) {
        if (scratch.length < bytes) {
            scratch = new byte[Math.max(bytes, scratch.length * 2)];
        }
        return scratch;
    }

    private LineSyntaxException fail(int p, String reason) {
        return new LineSyntaxException(p - lineStart, reason);
    }
}

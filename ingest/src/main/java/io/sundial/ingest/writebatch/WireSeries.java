package io.sundial.ingest.writebatch;

import io.sundial.core.FieldType;
import java.util.List;

/**
 * One {@code sundial.v1.Series} as read off the wire: names still as bytes (decoded and checked
 * later, so a bad name rejects only its series), timestamps as sent, one entry per column.
 *
 * @param offset byte offset of the Series message in the request, for error messages
 */
record WireSeries(int offset, byte[] measurement, List<byte[]> tagKeys, List<byte[]> tagValues, long[] timestamps,
                  List<WireColumn> columns) {

    /** One {@code sundial.v1.Column}: the values of the type that was set, as raw 64-bit words or strings. */
    record WireColumn(int offset, byte[] name, FieldType type, long[] bits, byte[][] strings, int count) {}
}

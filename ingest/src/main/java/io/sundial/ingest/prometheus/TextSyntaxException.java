package io.sundial.ingest.prometheus;

/** A bad line of the text format: the byte offset in the line and the reason. */
final class TextSyntaxException extends Exception {
    private static final long serialVersionUID = 1L;

    final int offset;

    TextSyntaxException(int offset, String reason) {
        super(reason, null, false, false);
        this.offset = offset;
    }
}

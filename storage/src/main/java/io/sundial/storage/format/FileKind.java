package io.sundial.storage.format;

/**
 * The kinds of file Sundial writes. Each starts with the common header ({@link FileHeaders});
 * the four-byte tag there says which kind it is, so a file given to the wrong reader (or to
 * {@code sundial inspect}) is recognised.
 */
public enum FileKind {
    WAL_SEGMENT("WALS"),
    SEGMENT("SEGF"),
    MANIFEST("MANF"),
    CATALOG("CATL");

    private final String tag;

    FileKind(String tag) {
        this.tag = tag;
    }

    /** Four ASCII bytes. */
    public String tag() {
        return tag;
    }

    int tagAsInt() {
        return (tag.charAt(0) << 24) | (tag.charAt(1) << 16) | (tag.charAt(2) << 8) | tag.charAt(3);
    }

    static FileKind ofTag(int tag) {
        for (FileKind k : values()) {
            if (k.tagAsInt() == tag) {
                return k;
            }
        }
        return null;
    }
}

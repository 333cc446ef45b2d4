package io.sundial.query.sundialql;

/**
 * Where a token or AST node starts in the query text: 1-based line and column (columns count
 * UTF-16 characters) and the 0-based character offset.
 *
 * <p>Positions are provenance, not meaning. {@link #equals} therefore holds for any two
 * positions, so AST records (which carry a position as a component) compare equal exactly when
 * they mean the same query; that is what makes {@code parse(print(ast)).equals(ast)} a useful
 * check. Use {@link #sameAs} when the location itself matters.
 */
public final class Position {
    /** The position of nodes built by code rather than parsed from text. */
    public static final Position UNKNOWN = new Position(0, 0, 0);

    private final int line;
    private final int column;
    private final int offset;

    public Position(int line, int column, int offset) {
        this.line = line;
        this.column = column;
        this.offset = offset;
    }

    public int line() {
        return line;
    }

    public int column() {
        return column;
    }

    public int offset() {
        return offset;
    }

    /** True when both positions point at the same place in the text. */
    public boolean sameAs(Position other) {
        return line == other.line && column == other.column && offset == other.offset;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Position;
    }

    @Override
    public int hashCode() {
        return 0;
    }

    @Override
    public String toString() {
        return "line " + line + ", column " + column;
    }
}

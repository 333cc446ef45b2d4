package io.sundial.server.pgwire;

import java.util.List;

/**
 * The rows of a statement's answer, handed out one at a time so they can go to the client as
 * they are produced: the columns are known before the first row (RowDescription leaves first),
 * and a producer may compute the next rows only when asked ({@link PagedSelect}).
 */
interface RowStream {
    List<ResultTable.Column> columns();

    /** The next row (one value per column), or null after the last. */
    Object[] next() throws PgException;

    /** The rows of a table already in memory. */
    static RowStream of(ResultTable table) {
        return new RowStream() {
            private int index;

            @Override
            public List<ResultTable.Column> columns() {
                return table.columns();
            }

            @Override
            public Object[] next() {
                return index < table.rows().size() ? table.rows().get(index++) : null;
            }
        };
    }

    /**
     * These rows in the shape of {@code announced} (a RowDescription the client already has):
     * columns matched by name, a value that does not fit its announced type sent as NULL.
     */
    default RowStream as(List<ResultTable.Column> announced) {
        if (announced.equals(columns())) {
            return this;
        }
        RowStream source = this;
        ResultTable.Projection projection = ResultTable.Projection.of(columns(), announced);
        return new RowStream() {
            @Override
            public List<ResultTable.Column> columns() {
                return announced;
            }

            @Override
            public Object[] next() throws PgException {
                Object[] row = source.next();
                return row == null ? null : projection.apply(row);
            }
        };
    }
}

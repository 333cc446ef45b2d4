package io.sundial.server.pgwire;

/** The SQLSTATE codes Sundial answers with (PostgreSQL Appendix A). */
final class SqlState {
    static final String PROTOCOL_VIOLATION = "08P01";
    static final String FEATURE_NOT_SUPPORTED = "0A000";
    static final String INVALID_PARAMETER_VALUE = "22023";
    static final String INVALID_TEXT_REPRESENTATION = "22P02";
    static final String BAD_COPY_FILE_FORMAT = "22P04";
    static final String UNDEFINED_COLUMN = "42703";
    static final String DATATYPE_MISMATCH = "42804";
    static final String IN_FAILED_TRANSACTION = "25P02";
    static final String INVALID_PASSWORD = "28P01";
    static final String INVALID_AUTHORIZATION = "28000";
    static final String INSUFFICIENT_PRIVILEGE = "42501";
    static final String INVALID_CATALOG_NAME = "3D000";
    static final String INVALID_CURSOR_NAME = "34000";
    static final String INVALID_STATEMENT_NAME = "26000";
    static final String DUPLICATE_PREPARED_STATEMENT = "42P05";
    static final String DUPLICATE_TABLE = "42P07";
    static final String SYNTAX_ERROR = "42601";
    static final String UNDEFINED_TABLE = "42P01";
    static final String UNDEFINED_OBJECT = "42704";
    static final String QUERY_CANCELED = "57014";
    static final String OUT_OF_MEMORY = "53200";
    static final String TOO_MANY_CONNECTIONS = "53300";
    static final String INSUFFICIENT_RESOURCES = "53000";
    static final String DISK_FULL = "53100";
    static final String PROGRAM_LIMIT_EXCEEDED = "54000";
    static final String INTERNAL_ERROR = "XX000";
    static final String IO_ERROR = "58030";

    private SqlState() {}
}

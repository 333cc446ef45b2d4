package io.sundial.server.logging;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Removes secrets from text bound for the log: Authorization header values, API tokens, and
 * the values of password, token and secret settings or parameters. A safety net under every
 * log line, since a message can quote what a client sent (a query text, a URL, an error).
 */
public final class Redaction {
    static final String REDACTED = "[redacted]";

    private static final Pattern AUTHORIZATION = Pattern.compile(
            "(?i)(authorization\\s*[:=]\\s*)(basic|bearer|token)?\\s*[^\\s,;\"']+");
    /** Sundial API tokens (UserStore.TOKEN_PREFIX) wherever they appear. */
    private static final Pattern API_TOKEN = Pattern.compile("sdl_[A-Za-z0-9_-]+");
    /** password=x, "password": "x", p=x in a URL, WITH PASSWORD 'x', token=x, secret: x. */
    private static final Pattern SECRET_VALUE = Pattern.compile(
            "(?i)((?:[?&]p|password|passwd|pwd|secret|token)(?:\"?\\s*[=:]\\s*|\\s+))(\"[^\"]*\"|'[^']*'|[^\\s&,;\"']+)");

    private Redaction() {}

    /** {@code text} with every secret replaced by {@value #REDACTED}; null stays null. */
    public static String apply(String text) {
        if (text == null || text.isEmpty()) {
            return text;
        }
        String out = AUTHORIZATION.matcher(text).replaceAll(m -> Matcher.quoteReplacement(m.group(1) + REDACTED));
        out = API_TOKEN.matcher(out).replaceAll(REDACTED);
        return SECRET_VALUE.matcher(out).replaceAll(m -> Matcher.quoteReplacement(m.group(1) + REDACTED));
    }
}

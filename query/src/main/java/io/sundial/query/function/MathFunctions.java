package io.sundial.query.function;

import java.util.List;

/**
 * InfluxQL's math functions, applied to one value at a time. abs, ceil, floor and round keep an
 * integer an integer (as InfluxDB does); the others answer a float. Null in, null out.
 */
public final class MathFunctions {
    public static final List<String> NAMES = List.of("abs", "ceil", "floor", "round", "sqrt", "pow", "ln", "log",
            "log2", "log10", "exp", "sin", "cos", "tan", "asin", "acos", "atan", "atan2");

    private MathFunctions() {}

    /** Number of arguments each function takes. */
    public static int arity(String name) {
        return switch (name) {
            case "pow", "log", "atan2" -> 2;
            default -> 1;
        };
    }

    public static Object apply(String name, Object value, Object second) {
        if (!(value instanceof Double) && !(value instanceof Long)) {
            return null;
        }
        if (value instanceof Long integer && (name.equals("abs") || name.equals("ceil") || name.equals("floor")
                || name.equals("round"))) {
            return name.equals("abs") ? Math.abs(integer) : integer;
        }
        double x = Values.toDouble(value);
        double y = second == null ? Double.NaN : Values.toDouble(second);
        if ((name.equals("pow") || name.equals("log") || name.equals("atan2"))
                && !(second instanceof Double) && !(second instanceof Long)) {
            return null;
        }
        return switch (name) {
            case "abs" -> Math.abs(x);
            case "ceil" -> Math.ceil(x);
            case "floor" -> Math.floor(x);
            // Go's math.Round: half away from zero (Java's Math.round rounds half up).
            case "round" -> x < 0 ? -Math.floor(-x + 0.5) : Math.floor(x + 0.5);
            case "sqrt" -> Math.sqrt(x);
            case "pow" -> Math.pow(x, y);
            case "ln" -> Math.log(x);
            case "log" -> Math.log(x) / Math.log(y);
            case "log2" -> Math.log(x) / Math.log(2);
            case "log10" -> Math.log10(x);
            case "exp" -> Math.exp(x);
            case "sin" -> Math.sin(x);
            case "cos" -> Math.cos(x);
            case "tan" -> Math.tan(x);
            case "asin" -> Math.asin(x);
            case "acos" -> Math.acos(x);
            case "atan" -> Math.atan(x);
            case "atan2" -> Math.atan2(x, y);
            default -> throw new IllegalArgumentException("not a math function: " + name);
        };
    }
}

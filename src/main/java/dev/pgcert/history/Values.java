package dev.pgcert.history;

import java.util.List;
import java.util.Map;

/**
 * Typed reads of an event's value map. Values come from JSON (numbers as Long or Double) or from
 * Java code (any Number), so every read goes through here instead of a cast.
 */
public final class Values {
    private Values() {}

    public static String string(Map<String, Object> value, String key) {
        Object v = value.get(key);
        return v == null ? null : v.toString();
    }

    public static Long longValue(Map<String, Object> value, String key) {
        Object v = value.get(key);
        if (v instanceof Number n) {
            return n.longValue();
        }
        if (v instanceof String s) {
            try {
                return Long.parseLong(s.trim());
            } catch (NumberFormatException e) {
                return null;
            }
        }
        return null;
    }

    public static Double doubleValue(Map<String, Object> value, String key) {
        Object v = value.get(key);
        if (v instanceof Number n) {
            return n.doubleValue();
        }
        if (v instanceof String s) {
            try {
                return Double.parseDouble(s.trim());
            } catch (NumberFormatException e) {
                return null;
            }
        }
        return null;
    }

    public static Boolean bool(Map<String, Object> value, String key) {
        Object v = value.get(key);
        if (v instanceof Boolean b) {
            return b;
        }
        if (v instanceof String s && (s.equalsIgnoreCase("true") || s.equalsIgnoreCase("false"))) {
            return Boolean.parseBoolean(s);
        }
        return null;
    }

    public static List<?> list(Map<String, Object> value, String key) {
        return value.get(key) instanceof List<?> l ? l : List.of();
    }

    @SuppressWarnings("unchecked")
    public static Map<String, Object> map(Object v) {
        return v instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
    }

    /**
     * A write key in one comparable form: integral numbers (however they were stored) become Long,
     * anything else its string; null stays null. Lets keys from OK writes and from the final read
     * meet in one set.
     */
    public static Object key(Object raw) {
        if (raw == null) {
            return null;
        }
        if (raw instanceof Number n) {
            double d = n.doubleValue();
            if (d == Math.rint(d) && !Double.isInfinite(d)) {
                return n.longValue();
            }
            return n.toString();
        }
        String s = raw.toString();
        try {
            return Long.parseLong(s.trim());
        } catch (NumberFormatException e) {
            return s;
        }
    }

    /** Orders keys: numbers numerically, before strings. */
    public static int compareKeys(Object a, Object b) {
        if (a instanceof Long x && b instanceof Long y) {
            return Long.compare(x, y);
        }
        if (a instanceof Long) {
            return -1;
        }
        if (b instanceof Long) {
            return 1;
        }
        return a.toString().compareTo(b.toString());
    }
}

package org.jgrad.cli;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The parsed arguments of one command: {@code --name value}, {@code --name=value} and bare flags,
 * checked against the command's known options, plus positional arguments. Typed getters turn a bad
 * value into a {@link UsageException} that names the option and what it expects.
 */
final class Args {
    private final Map<String, String> values = new LinkedHashMap<>();
    private final List<String> positional = new ArrayList<>();

    private Args() {}

    /**
     * @param valued options that take a value (without the leading dashes)
     * @param flags options that take none
     */
    static Args parse(List<String> args, Set<String> valued, Set<String> flags) throws UsageException {
        Args a = new Args();
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            if (arg.equals("--")) {
                a.positional.addAll(args.subList(i + 1, args.size()));
                break;
            }
            if (!arg.startsWith("--") || arg.length() == 2) {
                if (arg.startsWith("-") && arg.length() > 1 && !isNumber(arg)) {
                    throw new UsageException("unknown option " + arg);
                }
                a.positional.add(arg);
                continue;
            }
            String name = arg.substring(2);
            String value = null;
            int eq = name.indexOf('=');
            if (eq >= 0) {
                value = name.substring(eq + 1);
                name = name.substring(0, eq);
            }
            if (flags.contains(name)) {
                if (value != null) throw new UsageException("option --" + name + " takes no value");
                a.values.put(name, "true");
            } else if (valued.contains(name)) {
                if (value == null) {
                    if (i + 1 >= args.size()) throw new UsageException("option --" + name + " needs a value");
                    value = args.get(++i);
                }
                a.values.put(name, value);
            } else {
                throw new UsageException("unknown option --" + name);
            }
        }
        return a;
    }

    private static boolean isNumber(String s) {
        try {
            Double.parseDouble(s);
            return true;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    boolean has(String name) {
        return values.containsKey(name);
    }

    boolean flag(String name) {
        return values.containsKey(name);
    }

    List<String> positional() {
        return positional;
    }

    String string(String name, String defaultValue) {
        return values.getOrDefault(name, defaultValue);
    }

    /** An integer in [min, max]. */
    int integer(String name, int defaultValue, int min, int max) throws UsageException {
        String v = values.get(name);
        if (v == null) return defaultValue;
        int n;
        try {
            n = Integer.parseInt(v.strip());
        } catch (NumberFormatException e) {
            throw new UsageException("--" + name + ": expected an integer, got '" + v + "'");
        }
        if (n < min || n > max) {
            throw new UsageException("--" + name + ": expected an integer " + range(min, max) + ", got " + n);
        }
        return n;
    }

    long longValue(String name, long defaultValue) throws UsageException {
        String v = values.get(name);
        if (v == null) return defaultValue;
        try {
            return Long.parseLong(v.strip());
        } catch (NumberFormatException e) {
            throw new UsageException("--" + name + ": expected an integer, got '" + v + "'");
        }
    }

    /** A finite number in [min, max]. */
    double number(String name, double defaultValue, double min, double max) throws UsageException {
        String v = values.get(name);
        if (v == null) return defaultValue;
        double d;
        try {
            d = Double.parseDouble(v.strip());
        } catch (NumberFormatException e) {
            throw new UsageException("--" + name + ": expected a number, got '" + v + "'");
        }
        if (!Double.isFinite(d) || d < min || d > max) {
            throw new UsageException("--" + name + ": expected a number in [" + min + ", " + max + "], got " + v);
        }
        return d;
    }

    /** A comma-separated list of positive integers, e.g. {@code 256,128}; empty for "" or "none". */
    int[] sizes(String name, int[] defaultValue) throws UsageException {
        String v = values.get(name);
        if (v == null) return defaultValue;
        if (v.isBlank() || v.equals("none")) return new int[0];
        String[] parts = v.split(",");
        int[] out = new int[parts.length];
        for (int i = 0; i < parts.length; i++) {
            try {
                out[i] = Integer.parseInt(parts[i].strip());
            } catch (NumberFormatException e) {
                throw new UsageException("--" + name + ": expected sizes like 256,128, got '" + v + "'");
            }
            if (out[i] <= 0) throw new UsageException("--" + name + ": sizes must be positive, got '" + v + "'");
        }
        return out;
    }

    /** A comma-separated list of names, e.g. {@code species,colour}; empty when the option is absent. */
    List<String> names(String name) throws UsageException {
        String v = values.get(name);
        if (v == null) return List.of();
        List<String> out = new ArrayList<>();
        for (String part : v.split(",", -1)) {
            String n = part.strip();
            if (n.isEmpty()) throw new UsageException("--" + name + ": expected names like a,b, got '" + v + "'");
            if (!out.contains(n)) out.add(n);
        }
        return out;
    }

    /** One of {@code choices}. */
    String choice(String name, String defaultValue, List<String> choices) throws UsageException {
        String v = values.getOrDefault(name, defaultValue);
        if (!choices.contains(v)) {
            throw new UsageException("--" + name + ": expected one of " + String.join(", ", choices) + ", got '" + v + "'");
        }
        return v;
    }

    private static String range(int min, int max) {
        if (max == Integer.MAX_VALUE) return ">= " + min;
        return "in [" + min + ", " + max + "]";
    }

    @Override
    public String toString() {
        return values + " " + Arrays.toString(positional.toArray());
    }
}

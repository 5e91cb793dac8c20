package org.jgrad.optim;

import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Writes an options record as strings and reads it back, so that hyper-parameters can travel as the
 * string metadata of a checkpoint. Doubles use {@link Double#toString}, which reads back to the same
 * bits, so a resumed run sees exactly the learning rate it stopped with.
 */
final class OptionsCodec {
    private OptionsCodec() {}

    static Map<String, String> write(Record options) {
        Map<String, String> out = new LinkedHashMap<>();
        for (RecordComponent c : options.getClass().getRecordComponents()) {
            try {
                out.put(c.getName(), String.valueOf(c.getAccessor().invoke(options)));
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException("cannot read option " + c.getName() + " of " + options, e);
            }
        }
        return out;
    }

    /** Builds a record of {@code type} from {@code values}; a missing key keeps {@code fallback}'s value. */
    static <R extends Record> R read(Class<R> type, Map<String, String> values, R fallback, String what) {
        RecordComponent[] components = type.getRecordComponents();
        Object[] args = new Object[components.length];
        Class<?>[] types = new Class<?>[components.length];
        for (int i = 0; i < components.length; i++) {
            RecordComponent c = components[i];
            types[i] = c.getType();
            String text = values.get(c.getName());
            try {
                args[i] = text == null ? c.getAccessor().invoke(fallback) : parse(c.getType(), text);
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException("cannot read option " + c.getName() + " of " + fallback, e);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(what + ": option " + c.getName() + " = \"" + text
                        + "\" is not a valid " + c.getType().getSimpleName(), e);
            }
        }
        try {
            Constructor<R> ctor = type.getDeclaredConstructor(types);
            return ctor.newInstance(args);
        } catch (InvocationTargetException e) {
            if (e.getCause() instanceof RuntimeException r) throw r;
            throw new IllegalStateException(e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot build " + type.getSimpleName(), e);
        }
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static Object parse(Class<?> type, String text) {
        if (type == double.class) return Double.parseDouble(text);
        if (type == int.class) return Integer.parseInt(text);
        if (type == long.class) return Long.parseLong(text);
        if (type == boolean.class) {
            if (!text.equals("true") && !text.equals("false")) throw new IllegalArgumentException(text);
            return Boolean.parseBoolean(text);
        }
        if (type.isEnum()) return Enum.valueOf((Class<? extends Enum>) type, text);
        throw new IllegalStateException("options of type " + type + " cannot be stored");
    }
}

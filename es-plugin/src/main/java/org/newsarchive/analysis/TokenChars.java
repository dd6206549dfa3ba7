package org.newsarchive.analysis;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.IntPredicate;

/**
 * Character classes understood by the {@code token_chars} parameter of the {@code ngram} and
 * {@code edge_ngram} tokenizers and by {@code tokenize_on_chars} of {@code char_group}:
 * {@code letter}, {@code digit}, {@code whitespace}, {@code punctuation}, {@code symbol},
 * {@code custom} (with {@code custom_token_chars}) and every Unicode general category name of
 * {@link Character} in lower case (e.g. {@code uppercase_letter}).
 */
final class TokenChars {

    static final Map<String, IntPredicate> CLASSES;

    static {
        Map<String, IntPredicate> m = new TreeMap<>();
        m.put("letter", Character::isLetter);
        m.put("digit", Character::isDigit);
        m.put("whitespace", Character::isWhitespace);
        m.put("punctuation", c -> {
            switch (Character.getType(c)) {
                case Character.CONNECTOR_PUNCTUATION:
                case Character.DASH_PUNCTUATION:
                case Character.START_PUNCTUATION:
                case Character.END_PUNCTUATION:
                case Character.INITIAL_QUOTE_PUNCTUATION:
                case Character.FINAL_QUOTE_PUNCTUATION:
                case Character.OTHER_PUNCTUATION:
                    return true;
                default:
                    return false;
            }
        });
        m.put("symbol", c -> {
            switch (Character.getType(c)) {
                case Character.MATH_SYMBOL:
                case Character.CURRENCY_SYMBOL:
                case Character.MODIFIER_SYMBOL:
                case Character.OTHER_SYMBOL:
                    return true;
                default:
                    return false;
            }
        });
        for (Field field : Character.class.getFields()) {
            int mod = field.getModifiers();
            if (field.getType() == byte.class
                && Modifier.isStatic(mod)
                && Modifier.isPublic(mod)
                && field.getName().startsWith("DIRECTIONALITY") == false) {
                try {
                    final byte category = field.getByte(null);
                    m.putIfAbsent(field.getName().toLowerCase(Locale.ROOT), c -> Character.getType(c) == category);
                } catch (IllegalAccessException e) {
                    // not accessible: skip
                }
            }
        }
        CLASSES = Collections.unmodifiableMap(m);
    }

    private TokenChars() {}

    /** @return null if no classes were given (meaning: every character is a token character) */
    static IntPredicate parse(List<String> classes, String customChars) {
        if (classes == null || classes.isEmpty()) {
            return null;
        }
        IntPredicate result = c -> false;
        boolean custom = false;
        for (String raw : classes) {
            String name = raw.toLowerCase(Locale.ROOT).trim();
            if (name.equals("custom")) {
                custom = true;
                continue;
            }
            IntPredicate p = CLASSES.get(name);
            if (p == null) {
                throw new IllegalArgumentException("Unknown token type: '" + name + "', must be one of " + CLASSES.keySet() + " or custom");
            }
            result = result.or(p);
        }
        if (custom) {
            if (customChars == null) {
                throw new IllegalArgumentException("Token type: 'custom' requires setting `custom_token_chars`");
            }
            final String chars = customChars;
            final java.util.Set<Integer> set = new java.util.HashSet<>();
            chars.chars().forEach(set::add);
            result = result.or(set::contains);
        }
        return result;
    }
}

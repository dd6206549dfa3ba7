package org.newsarchive.analysis;

import org.apache.lucene.analysis.CharArraySet;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.miscellaneous.WordDelimiterGraphFilter;
import org.apache.lucene.analysis.miscellaneous.WordDelimiterIterator;
import org.elasticsearch.common.settings.Settings;
import org.elasticsearch.env.Environment;
import org.elasticsearch.index.IndexSettings;
import org.elasticsearch.index.analysis.AbstractTokenFilterFactory;
import org.elasticsearch.index.analysis.Analysis;
import org.elasticsearch.index.analysis.TokenFilterFactory;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.apache.lucene.analysis.miscellaneous.WordDelimiterGraphFilter.CATENATE_ALL;
import static org.apache.lucene.analysis.miscellaneous.WordDelimiterGraphFilter.CATENATE_NUMBERS;
import static org.apache.lucene.analysis.miscellaneous.WordDelimiterGraphFilter.CATENATE_WORDS;
import static org.apache.lucene.analysis.miscellaneous.WordDelimiterGraphFilter.GENERATE_NUMBER_PARTS;
import static org.apache.lucene.analysis.miscellaneous.WordDelimiterGraphFilter.GENERATE_WORD_PARTS;
import static org.apache.lucene.analysis.miscellaneous.WordDelimiterGraphFilter.IGNORE_KEYWORDS;
import static org.apache.lucene.analysis.miscellaneous.WordDelimiterGraphFilter.PRESERVE_ORIGINAL;
import static org.apache.lucene.analysis.miscellaneous.WordDelimiterGraphFilter.SPLIT_ON_CASE_CHANGE;
import static org.apache.lucene.analysis.miscellaneous.WordDelimiterGraphFilter.SPLIT_ON_NUMERICS;
import static org.apache.lucene.analysis.miscellaneous.WordDelimiterGraphFilter.STEM_ENGLISH_POSSESSIVE;

/**
 * {@code word_delimiter_graph}. Parameters and defaults as in Elasticsearch: generate_word_parts (true),
 * generate_number_parts (true), catenate_words (false), catenate_numbers (false), catenate_all (false),
 * split_on_case_change (true), preserve_original (false), split_on_numerics (true), stem_english_possessive (true),
 * ignore_keywords (false), adjust_offsets (true), protected_words / protected_words_path, type_table / type_table_path.
 */
final class WordDelimiterGraphFilterFactory extends AbstractTokenFilterFactory {

    private final byte[] charTypeTable;
    private final int flags;
    private final CharArraySet protectedWords;
    private final boolean adjustOffsets;

    WordDelimiterGraphFilterFactory(IndexSettings indexSettings, Environment env, String name, Settings settings) {
        super(name, settings);
        List<String> typeTable = Analysis.getWordList(env, settings, "type_table");
        this.charTypeTable = typeTable == null ? WordDelimiterIterator.DEFAULT_WORD_DELIM_TABLE : parseTypes(typeTable);
        int f = 0;
        f |= flag(GENERATE_WORD_PARTS, settings, "generate_word_parts", true);
        f |= flag(GENERATE_NUMBER_PARTS, settings, "generate_number_parts", true);
        f |= flag(CATENATE_WORDS, settings, "catenate_words", false);
        f |= flag(CATENATE_NUMBERS, settings, "catenate_numbers", false);
        f |= flag(CATENATE_ALL, settings, "catenate_all", false);
        f |= flag(SPLIT_ON_CASE_CHANGE, settings, "split_on_case_change", true);
        f |= flag(PRESERVE_ORIGINAL, settings, "preserve_original", false);
        f |= flag(SPLIT_ON_NUMERICS, settings, "split_on_numerics", true);
        f |= flag(STEM_ENGLISH_POSSESSIVE, settings, "stem_english_possessive", true);
        f |= flag(IGNORE_KEYWORDS, settings, "ignore_keywords", false);
        this.flags = f;
        Set<?> words = Analysis.getWordSet(env, settings, "protected_words");
        this.protectedWords = words == null ? null : CharArraySet.copy(words);
        this.adjustOffsets = settings.getAsBoolean("adjust_offsets", true);
    }

    private static int flag(int flag, Settings settings, String key, boolean defaultValue) {
        return settings.getAsBoolean(key, defaultValue) ? flag : 0;
    }

    @Override
    public TokenStream create(TokenStream ts) {
        return new WordDelimiterGraphFilter(ts, adjustOffsets, charTypeTable, flags, protectedWords);
    }

    @Override
    public TokenFilterFactory getSynonymFilter() {
        throw new IllegalArgumentException("Token filter [" + name() + "] cannot be used to parse synonyms");
    }

    private static final Pattern TYPE_RULE = Pattern.compile("(.*)\\s*=>\\s*(.*)\\s*$");

    /** Parses "c => TYPE" lines (TYPE: LOWER, UPPER, ALPHA, DIGIT, ALPHANUM, SUBWORD_DELIM) into a char type table. */
    static byte[] parseTypes(List<String> rules) {
        SortedMap<Character, Byte> map = new TreeMap<>();
        for (String rule : rules) {
            Matcher m = TYPE_RULE.matcher(rule);
            if (m.find() == false) {
                throw new RuntimeException("Invalid mapping rule: [" + rule + "]");
            }
            String lhs = CharFilters.Mapping.unescape(m.group(1).trim());
            Byte type = parseType(m.group(2).trim());
            if (lhs.length() != 1) {
                throw new RuntimeException("Invalid mapping rule: [" + rule + "]. Only a single character is allowed.");
            }
            if (type == null) {
                throw new RuntimeException("Invalid mapping rule: [" + rule + "]. Illegal type.");
            }
            map.put(lhs.charAt(0), type);
        }
        byte[] table = new byte[Math.max(map.lastKey() + 1, WordDelimiterIterator.DEFAULT_WORD_DELIM_TABLE.length)];
        System.arraycopy(WordDelimiterIterator.DEFAULT_WORD_DELIM_TABLE, 0, table, 0, WordDelimiterIterator.DEFAULT_WORD_DELIM_TABLE.length);
        for (Map.Entry<Character, Byte> e : map.entrySet()) {
            table[e.getKey()] = e.getValue();
        }
        return table;
    }

    /** Character type bits of Lucene's WordDelimiterIterator (LOWER=1, UPPER=2, DIGIT=4, SUBWORD_DELIM=8). */
    private static Byte parseType(String s) {
        return switch (s) {
            case "LOWER" -> (byte) 1;
            case "UPPER" -> (byte) 2;
            case "ALPHA" -> (byte) 3;
            case "DIGIT" -> (byte) 4;
            case "ALPHANUM" -> (byte) 7;
            case "SUBWORD_DELIM" -> (byte) 8;
            default -> null;
        };
    }
}

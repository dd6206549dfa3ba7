package org.newsarchive.analysis;

import org.elasticsearch.common.settings.Settings;
import org.elasticsearch.index.analysis.IndexAnalyzers;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/** Every configurable name, configured with its minimal settings, builds inside one index and yields tokens. */
class EveryNameTest {

    /** minimal settings per token filter type (keys relative to the filter) */
    static final Map<String, Map<String, Object>> FILTER_SETTINGS = new TreeMap<>();
    static {
        for (String n : RegistrationTest.TOKEN_FILTERS) {
            FILTER_SETTINGS.put(n, Map.of());
        }
        FILTER_SETTINGS.put("dictionary_decompounder", Map.of("word_list", List.of("haus")));
        FILTER_SETTINGS.put("hyphenation_decompounder", Map.of("word_list", List.of("haus"), "hyphenation_patterns_path", "analysis/hyph_tiny.xml"));
        FILTER_SETTINGS.put("elision", Map.of("articles", List.of("l")));
        FILTER_SETTINGS.put("keep", Map.of("keep_words", List.of("haus")));
        FILTER_SETTINGS.put("keep_types", Map.of("types", List.of("<ALPHANUM>")));
        FILTER_SETTINGS.put("keyword_marker", Map.of("keywords", List.of("haus")));
        FILTER_SETTINGS.put("pattern_replace", Map.of("pattern", "x"));
        FILTER_SETTINGS.put("stemmer_override", Map.of("rules", List.of("a => b")));
        FILTER_SETTINGS.put("synonym", Map.of("synonyms", List.of("a, b")));
        FILTER_SETTINGS.put("synonym_graph", Map.of("synonyms", List.of("a, b")));
        FILTER_SETTINGS.put("truncate", Map.of("length", 5));
    }

    static final Map<String, Map<String, Object>> TOKENIZER_SETTINGS = new TreeMap<>();
    static {
        for (String n : RegistrationTest.TOKENIZERS) {
            TOKENIZER_SETTINGS.put(n, Map.of());
        }
        TOKENIZER_SETTINGS.put("char_group", Map.of("tokenize_on_chars", List.of("whitespace")));
    }

    static final Map<String, Map<String, Object>> CHAR_FILTER_SETTINGS = Map.of(
        "html_strip", Map.of(),
        "mapping", Map.of("mappings", List.of("a => b")),
        "pattern_replace", Map.of("pattern", "x")
    );

    private static void put(Settings.Builder b, String prefix, Map<String, Object> values) {
        for (Map.Entry<String, Object> e : values.entrySet()) {
            if (e.getValue() instanceof List<?> l) {
                b.putList(prefix + e.getKey(), l.stream().map(String::valueOf).toList());
            } else {
                b.put(prefix + e.getKey(), String.valueOf(e.getValue()));
            }
        }
    }

    @Test
    void everyConfigurableComponentBuildsAndAnalyzes() throws IOException {
        assertEquals(RegistrationTest.TOKEN_FILTERS, FILTER_SETTINGS.keySet());
        Settings.Builder b = Settings.builder();
        for (var e : FILTER_SETTINGS.entrySet()) {
            String id = "f_" + e.getKey();
            b.put("index.analysis.filter." + id + ".type", e.getKey());
            put(b, "index.analysis.filter." + id + ".", e.getValue());
            b.put("index.analysis.analyzer.a_" + id + ".tokenizer", "standard");
            b.putList("index.analysis.analyzer.a_" + id + ".filter", "lowercase", id);
        }
        for (var e : TOKENIZER_SETTINGS.entrySet()) {
            String id = "t_" + e.getKey();
            b.put("index.analysis.tokenizer." + id + ".type", e.getKey());
            put(b, "index.analysis.tokenizer." + id + ".", e.getValue());
            b.put("index.analysis.analyzer.a_" + id + ".tokenizer", id);
        }
        for (var e : CHAR_FILTER_SETTINGS.entrySet()) {
            String id = "c_" + e.getKey();
            b.put("index.analysis.char_filter." + id + ".type", e.getKey());
            put(b, "index.analysis.char_filter." + id + ".", e.getValue());
            b.put("index.analysis.analyzer.a_" + id + ".tokenizer", "standard");
            b.putList("index.analysis.analyzer.a_" + id + ".char_filter", id);
        }
        for (String type : RegistrationTest.ANALYZERS) {
            b.put("index.analysis.analyzer.a_an_" + type + ".type", type);
        }
        IndexAnalyzers analyzers = AnalysisTest.build(b.build());
        List<String> names = new java.util.ArrayList<>();
        FILTER_SETTINGS.keySet().forEach(n -> names.add("a_f_" + n));
        TOKENIZER_SETTINGS.keySet().forEach(n -> names.add("a_t_" + n));
        CHAR_FILTER_SETTINGS.keySet().forEach(n -> names.add("a_c_" + n));
        RegistrationTest.ANALYZERS.forEach(n -> names.add("a_an_" + n));
        for (String name : names) {
            List<String> tokens = AnalysisTest.tokens(analyzers.get(name), "Haus haus");
            assertFalse(tokens.isEmpty(), name + " produced no tokens");
        }
    }
}

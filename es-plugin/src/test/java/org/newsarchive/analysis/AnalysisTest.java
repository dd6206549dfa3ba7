package org.newsarchive.analysis;

import org.apache.lucene.analysis.Analyzer;
import org.elasticsearch.common.settings.Settings;
import org.elasticsearch.index.analysis.IndexAnalyzers;
import org.elasticsearch.index.analysis.TokenFilterFactory;
import org.elasticsearch.indices.analysis.AnalysisModule.AnalysisProvider;
import org.elasticsearch.indices.analysis.AnalysisModule;
import org.elasticsearch.plugins.scanners.StablePluginsRegistry;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Builds Elasticsearch's real AnalysisModule with the plugin (this is where duplicate names would fail, as at node
 * startup) and analyses text through index-level analyzers built from index settings.
 */
class AnalysisTest {

    static IndexAnalyzers build(Settings analysis) throws IOException {
        return TestSupport.build(analysis);
    }

    static List<String> tokens(Analyzer analyzer, String text) throws IOException {
        return TestSupport.tokens(analyzer, text);
    }

    /** The startup check this plugin relies on: a name the server already has is rejected. */
    @Test
    void duplicateServerNameWouldFailStartup() {
        NewsarchiveAnalysisPlugin clashing = new NewsarchiveAnalysisPlugin() {
            @Override
            public Map<String, AnalysisProvider<TokenFilterFactory>> getTokenFilters() {
                Map<String, AnalysisProvider<TokenFilterFactory>> m = new TreeMap<>(super.getTokenFilters());
                m.put("stop", m.get("trim"));
                return m;
            }
        };
        Exception e = assertThrows(
            IllegalArgumentException.class,
            () -> new AnalysisModule(TestSupport.ENV, List.of(clashing), new StablePluginsRegistry())
        );
        assertTrue(e.getMessage().contains("stop"), e.getMessage());
    }

    @Test
    void germanNormalizationAndLightGermanStemmer() throws IOException {
        IndexAnalyzers a = build(
            Settings.builder()
                .put("index.analysis.filter.de_stem.type", "stemmer")
                .put("index.analysis.filter.de_stem.language", "light_german")
                .put("index.analysis.analyzer.de.tokenizer", "standard")
                .putList("index.analysis.analyzer.de.filter", "lowercase", "german_normalization", "de_stem")
                .build()
        );
        assertEquals(List.of("haus", "baum"), tokens(a.get("de"), "Häuser Bäume"));
    }

    @Test
    void germanAnalyzerPrebuiltAndConfigured() throws IOException {
        IndexAnalyzers a = build(
            Settings.builder()
                .put("index.analysis.analyzer.g2.type", "german")
                .putList("index.analysis.analyzer.g2.stopwords", "und")
                .build()
        );
        assertEquals(List.of("haus", "strass"), tokens(a.get("german"), "Die Häuser und die Straßen"));
        assertEquals(List.of("die", "haus"), tokens(a.get("g2"), "die Häuser und"));
    }

    @Test
    void synonymGraphUsesPrecedingChain() throws IOException {
        IndexAnalyzers a = build(
            Settings.builder()
                .put("index.analysis.filter.syn.type", "synonym_graph")
                .putList("index.analysis.filter.syn.synonyms", "Straße => Weg", "eu, europäische union")
                .put("index.analysis.filter.synf.type", "synonym_graph")
                .put("index.analysis.filter.synf.synonyms_path", "analysis/synonyms.txt")
                .put("index.analysis.analyzer.s.tokenizer", "standard")
                .putList("index.analysis.analyzer.s.filter", "lowercase", "german_normalization", "syn")
                .put("index.analysis.analyzer.f.tokenizer", "standard")
                .putList("index.analysis.analyzer.f.filter", "lowercase", "synf")
                .build()
        );
        assertEquals(List.of("weg"), tokens(a.get("s"), "STRASSE"));
        assertEquals(List.of("europaische", "eu", "union"), tokens(a.get("s"), "EU"));
        assertEquals(List.of("nahverkehr", "öpnv"), tokens(a.get("f"), "ÖPNV"));
    }

    @Test
    void synonymAfterNgramIsRejected() {
        Exception e = assertThrows(
            IllegalArgumentException.class,
            () -> build(
                Settings.builder()
                    .put("index.analysis.filter.syn.type", "synonym")
                    .putList("index.analysis.filter.syn.synonyms", "a, b")
                    .put("index.analysis.analyzer.s.tokenizer", "standard")
                    .putList("index.analysis.analyzer.s.filter", "ngram", "syn")
                    .build()
            )
        );
        assertTrue(e.getMessage().contains("cannot be used to parse synonyms"), e.getMessage());
    }

    @Test
    void decompounders() throws IOException {
        IndexAnalyzers a = build(
            Settings.builder()
                .put("index.analysis.filter.dict.type", "dictionary_decompounder")
                .put("index.analysis.filter.dict.word_list_path", "analysis/words.txt")
                .put("index.analysis.filter.hyph.type", "hyphenation_decompounder")
                .put("index.analysis.filter.hyph.word_list_path", "analysis/words.txt")
                .put("index.analysis.filter.hyph.hyphenation_patterns_path", "analysis/hyph_tiny.xml")
                .put("index.analysis.analyzer.d.tokenizer", "standard")
                .putList("index.analysis.analyzer.d.filter", "lowercase", "dict")
                .put("index.analysis.analyzer.h.tokenizer", "standard")
                .putList("index.analysis.analyzer.h.filter", "lowercase", "hyph")
                .build()
        );
        assertEquals(List.of("donaudampfschiff", "donau", "dampf", "schiff"), tokens(a.get("d"), "Donaudampfschiff"));
        assertEquals(List.of("donaudampfschiff", "donau", "dampf", "schiff"), tokens(a.get("h"), "Donaudampfschiff"));
    }

    @Test
    void charFiltersTokenizersAndNormalizer() throws IOException {
        IndexAnalyzers a = build(
            Settings.builder()
                .put("index.analysis.char_filter.m.type", "mapping")
                .putList("index.analysis.char_filter.m.mappings", "& => und")
                .put("index.analysis.tokenizer.e.type", "edge_ngram")
                .put("index.analysis.tokenizer.e.min_gram", 2)
                .put("index.analysis.tokenizer.e.max_gram", 4)
                .putList("index.analysis.tokenizer.e.token_chars", "letter")
                .put("index.analysis.analyzer.ac.tokenizer", "e")
                .putList("index.analysis.analyzer.ac.filter", "lowercase", "asciifolding")
                .putList("index.analysis.analyzer.hs.char_filter", "html_strip", "m")
                .put("index.analysis.analyzer.hs.tokenizer", "whitespace")
                .put("index.analysis.filter.wdg.type", "word_delimiter_graph")
                .put("index.analysis.filter.wdg.preserve_original", true)
                .put("index.analysis.analyzer.wd.tokenizer", "whitespace")
                .putList("index.analysis.analyzer.wd.filter", "wdg")
                .put("index.analysis.normalizer.n.type", "custom")
                .putList("index.analysis.normalizer.n.filter", "lowercase", "asciifolding", "trim")
                .build()
        );
        assertEquals(List.of("zu", "zur", "zuri"), tokens(a.get("ac"), "Zürich"));
        assertEquals(List.of("a", "und", "b"), tokens(a.get("hs"), "<b>a</b> & b"));
        assertEquals(List.of("Baden-Württemberg", "Baden", "Württemberg"), tokens(a.get("wd"), "Baden-Württemberg"));
        assertNotNull(a.getNormalizer("n"));
        assertEquals("muller", a.getNormalizer("n").normalize("f", " Müller ").utf8ToString());
    }

    @Test
    void uniqueFilter() throws IOException {
        IndexAnalyzers a = build(
            Settings.builder()
                .put("index.analysis.analyzer.u.tokenizer", "standard")
                .putList("index.analysis.analyzer.u.filter", "keyword_repeat", "unique")
                .build()
        );
        assertEquals(List.of("a", "b"), tokens(a.get("u"), "a b a"));
    }
}

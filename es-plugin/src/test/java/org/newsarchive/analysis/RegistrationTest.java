package org.newsarchive.analysis;

import org.elasticsearch.index.analysis.PreBuiltAnalyzerProviderFactory;
import org.elasticsearch.index.analysis.PreConfiguredCharFilter;
import org.elasticsearch.index.analysis.PreConfiguredTokenFilter;
import org.elasticsearch.index.analysis.PreConfiguredTokenizer;
import org.junit.jupiter.api.Test;

import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The exact table of names the plugin registers, and none of the names the bare server registers itself. */
class RegistrationTest {

    private final NewsarchiveAnalysisPlugin plugin = new NewsarchiveAnalysisPlugin();

    // ---- what the plugin provides (keep README.md in sync)
    static final Set<String> CHAR_FILTERS = Set.of("html_strip", "mapping", "pattern_replace");
    static final Set<String> PRECONFIGURED_CHAR_FILTERS = Set.of("html_strip");
    static final Set<String> TOKEN_FILTERS = Set.of(
        "apostrophe", "asciifolding", "classic", "decimal_digit", "dictionary_decompounder", "edge_ngram", "elision",
        "flatten_graph", "german_normalization", "german_stem", "hyphenation_decompounder", "keep", "keep_types",
        "keyword_marker", "kstem", "length", "limit", "lowercase", "ngram", "pattern_replace", "porter_stem",
        "remove_duplicates", "reverse", "snowball", "stemmer", "stemmer_override", "synonym", "synonym_graph", "trim",
        "truncate", "unique", "uppercase", "word_delimiter_graph"
    );
    static final Set<String> PRECONFIGURED_TOKEN_FILTERS = Set.of(
        "apostrophe", "asciifolding", "classic", "decimal_digit", "edge_ngram", "elision", "german_normalization",
        "german_stem", "keyword_repeat", "kstem", "length", "limit", "ngram", "porter_stem", "reverse", "snowball",
        "stemmer", "trim", "truncate", "unique", "uppercase", "word_delimiter_graph"
    );
    static final Set<String> TOKENIZERS = Set.of(
        "char_group", "classic", "edge_ngram", "keyword", "letter", "ngram", "path_hierarchy", "pattern", "uax_url_email", "whitespace"
    );
    static final Set<String> PRECONFIGURED_TOKENIZERS = Set.of(
        "classic", "edge_ngram", "keyword", "letter", "ngram", "path_hierarchy", "pattern", "uax_url_email", "whitespace"
    );
    static final Set<String> ANALYZERS = Set.of("german", "keyword", "simple", "stop", "whitespace");
    static final Set<String> PREBUILT_ANALYZERS = Set.of("german");

    // ---- what Elasticsearch 8.19's server registers itself (AnalysisModule, PreBuiltAnalyzers, PreBuiltTokenizers);
    // registering any of these again in the same registry makes the node fail at startup.
    static final Set<String> SERVER_TOKEN_FILTERS = Set.of("stop", "standard", "shingle", "hunspell");
    static final Set<String> SERVER_PRECONFIGURED_TOKEN_FILTERS = Set.of("lowercase", "standard");
    static final Set<String> SERVER_TOKENIZERS = Set.of("standard");
    static final Set<String> SERVER_PRECONFIGURED_TOKENIZERS = Set.of("standard");
    static final Set<String> SERVER_ANALYZERS = Set.of("default", "standard");
    static final Set<String> SERVER_PREBUILT_ANALYZERS = Set.of("standard", "default", "keyword", "stop", "whitespace", "simple", "classic");

    @Test
    void charFilters() {
        assertEquals(new TreeSet<>(CHAR_FILTERS), new TreeSet<>(plugin.getCharFilters().keySet()));
        assertEquals(
            new TreeSet<>(PRECONFIGURED_CHAR_FILTERS),
            plugin.getPreConfiguredCharFilters().stream().map(PreConfiguredCharFilter::getName).collect(Collectors.toCollection(TreeSet::new))
        );
    }

    @Test
    void tokenFilters() {
        assertEquals(new TreeSet<>(TOKEN_FILTERS), new TreeSet<>(plugin.getTokenFilters().keySet()));
        assertEquals(
            new TreeSet<>(PRECONFIGURED_TOKEN_FILTERS),
            plugin.getPreConfiguredTokenFilters().stream().map(PreConfiguredTokenFilter::getName).collect(Collectors.toCollection(TreeSet::new))
        );
    }

    @Test
    void tokenizers() {
        assertEquals(new TreeSet<>(TOKENIZERS), new TreeSet<>(plugin.getTokenizers().keySet()));
        assertEquals(
            new TreeSet<>(PRECONFIGURED_TOKENIZERS),
            plugin.getPreConfiguredTokenizers().stream().map(PreConfiguredTokenizer::getName).collect(Collectors.toCollection(TreeSet::new))
        );
    }

    @Test
    void analyzers() {
        assertEquals(new TreeSet<>(ANALYZERS), new TreeSet<>(plugin.getAnalyzers().keySet()));
        assertEquals(
            new TreeSet<>(PREBUILT_ANALYZERS),
            plugin.getPreBuiltAnalyzerProviderFactories().stream().map(PreBuiltAnalyzerProviderFactory::getName).collect(Collectors.toCollection(TreeSet::new))
        );
    }

    @Test
    void noServerNameRegisteredTwice() {
        assertDisjoint(SERVER_TOKEN_FILTERS, plugin.getTokenFilters().keySet());
        assertDisjoint(
            SERVER_PRECONFIGURED_TOKEN_FILTERS,
            plugin.getPreConfiguredTokenFilters().stream().map(PreConfiguredTokenFilter::getName).collect(Collectors.toSet())
        );
        assertDisjoint(SERVER_TOKENIZERS, plugin.getTokenizers().keySet());
        assertDisjoint(
            SERVER_PRECONFIGURED_TOKENIZERS,
            plugin.getPreConfiguredTokenizers().stream().map(PreConfiguredTokenizer::getName).collect(Collectors.toSet())
        );
        assertDisjoint(SERVER_ANALYZERS, plugin.getAnalyzers().keySet());
        assertDisjoint(
            SERVER_PREBUILT_ANALYZERS,
            plugin.getPreBuiltAnalyzerProviderFactories().stream().map(PreBuiltAnalyzerProviderFactory::getName).collect(Collectors.toSet())
        );
        // in particular: no stop/shingle in any token filter registry, no pre-configured lowercase
        for (String n : Set.of("stop", "shingle", "hunspell", "standard")) {
            assertTrue(plugin.getTokenFilters().containsKey(n) == false, n);
            assertTrue(plugin.getPreConfiguredTokenFilters().stream().noneMatch(f -> f.getName().equals(n)), n);
        }
        assertTrue(plugin.getPreConfiguredTokenFilters().stream().noneMatch(f -> f.getName().equals("lowercase")));
    }

    private static void assertDisjoint(Set<String> server, Set<String> ours) {
        Set<String> both = new TreeSet<>(server);
        both.retainAll(ours);
        assertTrue(both.isEmpty(), "registered by the server already: " + both);
    }
}

package org.newsarchive.analysis;

import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.charfilter.HTMLStripCharFilter;
import org.apache.lucene.analysis.classic.ClassicFilter;
import org.apache.lucene.analysis.classic.ClassicTokenizer;
import org.apache.lucene.analysis.core.DecimalDigitFilter;
import org.apache.lucene.analysis.core.KeywordTokenizer;
import org.apache.lucene.analysis.core.LetterTokenizer;
import org.apache.lucene.analysis.core.UpperCaseFilter;
import org.apache.lucene.analysis.core.WhitespaceTokenizer;
import org.apache.lucene.analysis.de.GermanAnalyzer;
import org.apache.lucene.analysis.de.GermanNormalizationFilter;
import org.apache.lucene.analysis.de.GermanStemFilter;
import org.apache.lucene.analysis.email.UAX29URLEmailTokenizer;
import org.apache.lucene.analysis.en.KStemFilter;
import org.apache.lucene.analysis.en.PorterStemFilter;
import org.apache.lucene.analysis.fr.FrenchAnalyzer;
import org.apache.lucene.analysis.miscellaneous.ASCIIFoldingFilter;
import org.apache.lucene.analysis.miscellaneous.KeywordRepeatFilter;
import org.apache.lucene.analysis.miscellaneous.LengthFilter;
import org.apache.lucene.analysis.miscellaneous.LimitTokenCountFilter;
import org.apache.lucene.analysis.miscellaneous.TrimFilter;
import org.apache.lucene.analysis.miscellaneous.TruncateTokenFilter;
import org.apache.lucene.analysis.miscellaneous.WordDelimiterGraphFilter;
import org.apache.lucene.analysis.miscellaneous.WordDelimiterIterator;
import org.apache.lucene.analysis.ngram.EdgeNGramTokenFilter;
import org.apache.lucene.analysis.ngram.EdgeNGramTokenizer;
import org.apache.lucene.analysis.ngram.NGramTokenFilter;
import org.apache.lucene.analysis.ngram.NGramTokenizer;
import org.apache.lucene.analysis.path.PathHierarchyTokenizer;
import org.apache.lucene.analysis.pattern.PatternTokenizer;
import org.apache.lucene.analysis.reverse.ReverseStringFilter;
import org.apache.lucene.analysis.snowball.SnowballFilter;
import org.apache.lucene.analysis.tr.ApostropheFilter;
import org.apache.lucene.analysis.util.ElisionFilter;
import org.elasticsearch.common.regex.Regex;
import org.elasticsearch.index.analysis.AnalyzerProvider;
import org.elasticsearch.index.analysis.CharFilterFactory;
import org.elasticsearch.index.analysis.PreBuiltAnalyzerProviderFactory;
import org.elasticsearch.index.analysis.PreConfiguredCharFilter;
import org.elasticsearch.index.analysis.PreConfiguredTokenFilter;
import org.elasticsearch.index.analysis.PreConfiguredTokenizer;
import org.elasticsearch.index.analysis.TokenFilterFactory;
import org.elasticsearch.index.analysis.TokenizerFactory;
import org.elasticsearch.indices.analysis.AnalysisModule.AnalysisProvider;
import org.elasticsearch.indices.analysis.PreBuiltCacheFactory.CachingStrategy;
import org.elasticsearch.plugins.AnalysisPlugin;
import org.elasticsearch.plugins.Plugin;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.elasticsearch.plugins.AnalysisPlugin.requiresAnalysisSettings;

/**
 * Registers a subset of Elasticsearch's {@code analysis-common} components under the same names, with the same
 * parameters and defaults, for a node that runs without modules. Never install it on a node that has
 * {@code analysis-common}: the names would clash and the node would refuse to start.
 *
 * <p>Deliberately NOT registered because the server already registers them (a duplicate fails startup):
 * token filters {@code stop}, {@code shingle}, {@code hunspell}, {@code standard}; pre-configured token filter
 * {@code lowercase}; tokenizer {@code standard}; analyzers {@code standard}, {@code default}; pre-built analyzers
 * {@code keyword}, {@code whitespace}, {@code simple}, {@code stop}, {@code classic}; normalizer {@code lowercase}.
 */
public class NewsarchiveAnalysisPlugin extends Plugin implements AnalysisPlugin {

    @Override
    public Map<String, AnalysisProvider<CharFilterFactory>> getCharFilters() {
        Map<String, AnalysisProvider<CharFilterFactory>> m = new TreeMap<>();
        m.put("html_strip", CharFilters.HtmlStrip::new);
        m.put("mapping", requiresAnalysisSettings(CharFilters.Mapping::new));
        m.put("pattern_replace", requiresAnalysisSettings(CharFilters.PatternReplace::new));
        return m;
    }

    @Override
    public List<PreConfiguredCharFilter> getPreConfiguredCharFilters() {
        return List.of(PreConfiguredCharFilter.singleton("html_strip", false, HTMLStripCharFilter::new));
    }

    @Override
    public Map<String, AnalysisProvider<TokenFilterFactory>> getTokenFilters() {
        Map<String, AnalysisProvider<TokenFilterFactory>> m = new TreeMap<>();
        m.put("apostrophe", TokenFilters.Apostrophe::new);
        m.put("asciifolding", TokenFilters.AsciiFolding::new);
        m.put("classic", TokenFilters.Classic::new);
        m.put("decimal_digit", TokenFilters.DecimalDigit::new);
        m.put("dictionary_decompounder", requiresAnalysisSettings(CompoundWordFilters.Dictionary::new));
        m.put("edge_ngram", TokenFilters.EdgeNGram::new);
        m.put("elision", requiresAnalysisSettings(TokenFilters.Elision::new));
        m.put("flatten_graph", TokenFilters.FlattenGraph::new);
        m.put("german_normalization", TokenFilters.GermanNormalization::new);
        m.put("german_stem", TokenFilters.GermanStem::new);
        m.put("hyphenation_decompounder", requiresAnalysisSettings(CompoundWordFilters.Hyphenation::new));
        m.put("keep", requiresAnalysisSettings(TokenFilters.Keep::new));
        m.put("keep_types", requiresAnalysisSettings(TokenFilters.KeepTypes::new));
        m.put("keyword_marker", requiresAnalysisSettings(TokenFilters.KeywordMarker::new));
        m.put("kstem", TokenFilters.KStem::new);
        m.put("length", TokenFilters.Length::new);
        m.put("limit", TokenFilters.Limit::new);
        // configurable lowercase (with `language`); the server only has a pre-configured `lowercase`
        m.put("lowercase", TokenFilters.LowerCase::new);
        m.put("ngram", TokenFilters.NGram::new);
        m.put("pattern_replace", requiresAnalysisSettings(TokenFilters.PatternReplace::new));
        m.put("porter_stem", TokenFilters.PorterStem::new);
        m.put("remove_duplicates", TokenFilters.RemoveDuplicates::new);
        m.put("reverse", TokenFilters.Reverse::new);
        m.put("snowball", TokenFilters.Snowball::new);
        m.put("stemmer", StemmerTokenFilterFactory::new);
        m.put("stemmer_override", requiresAnalysisSettings(TokenFilters.StemmerOverride::new));
        m.put("synonym", requiresAnalysisSettings(SynonymFilters.Synonym::new));
        m.put("synonym_graph", requiresAnalysisSettings(SynonymFilters.SynonymGraph::new));
        m.put("trim", TokenFilters.Trim::new);
        m.put("truncate", requiresAnalysisSettings(TokenFilters.Truncate::new));
        m.put("unique", TokenFilters.Unique::new);
        m.put("uppercase", TokenFilters.UpperCase::new);
        m.put("word_delimiter_graph", WordDelimiterGraphFilterFactory::new);
        return m;
    }

    @Override
    public List<PreConfiguredTokenFilter> getPreConfiguredTokenFilters() {
        return List.of(
            PreConfiguredTokenFilter.singleton("apostrophe", false, ApostropheFilter::new),
            PreConfiguredTokenFilter.singleton("asciifolding", true, ASCIIFoldingFilter::new),
            PreConfiguredTokenFilter.singleton("classic", false, ClassicFilter::new),
            PreConfiguredTokenFilter.singleton("decimal_digit", true, DecimalDigitFilter::new),
            PreConfiguredTokenFilter.singleton("edge_ngram", false, false, in -> new EdgeNGramTokenFilter(in, 1)),
            PreConfiguredTokenFilter.singleton("elision", true, in -> new ElisionFilter(in, FrenchAnalyzer.DEFAULT_ARTICLES)),
            PreConfiguredTokenFilter.singleton("german_normalization", true, GermanNormalizationFilter::new),
            PreConfiguredTokenFilter.singleton("german_stem", false, GermanStemFilter::new),
            PreConfiguredTokenFilter.singleton("keyword_repeat", false, false, KeywordRepeatFilter::new),
            PreConfiguredTokenFilter.singleton("kstem", false, KStemFilter::new),
            PreConfiguredTokenFilter.singleton("length", false, in -> new LengthFilter(in, 0, Integer.MAX_VALUE)),
            PreConfiguredTokenFilter.singleton(
                "limit",
                false,
                in -> new LimitTokenCountFilter(in, TokenFilters.Limit.DEFAULT_MAX_TOKEN_COUNT, false)
            ),
            PreConfiguredTokenFilter.singleton("ngram", false, false, in -> new NGramTokenFilter(in, 1, 2, false)),
            PreConfiguredTokenFilter.singleton("porter_stem", false, PorterStemFilter::new),
            PreConfiguredTokenFilter.singleton("reverse", false, ReverseStringFilter::new),
            PreConfiguredTokenFilter.singleton("snowball", false, in -> new SnowballFilter(in, "English")),
            PreConfiguredTokenFilter.singleton("stemmer", false, PorterStemFilter::new),
            PreConfiguredTokenFilter.singleton("trim", true, TrimFilter::new),
            PreConfiguredTokenFilter.singleton("truncate", false, in -> new TruncateTokenFilter(in, 10)),
            PreConfiguredTokenFilter.singleton("unique", false, UniqueTokenFilter::new),
            PreConfiguredTokenFilter.singleton("uppercase", true, UpperCaseFilter::new),
            PreConfiguredTokenFilter.singleton(
                "word_delimiter_graph",
                false,
                false,
                in -> new WordDelimiterGraphFilter(
                    in,
                    true,
                    WordDelimiterIterator.DEFAULT_WORD_DELIM_TABLE,
                    WordDelimiterGraphFilter.GENERATE_WORD_PARTS | WordDelimiterGraphFilter.GENERATE_NUMBER_PARTS
                        | WordDelimiterGraphFilter.SPLIT_ON_CASE_CHANGE | WordDelimiterGraphFilter.SPLIT_ON_NUMERICS
                        | WordDelimiterGraphFilter.STEM_ENGLISH_POSSESSIVE,
                    null
                )
            )
        );
    }

    @Override
    public Map<String, AnalysisProvider<TokenizerFactory>> getTokenizers() {
        Map<String, AnalysisProvider<TokenizerFactory>> m = new TreeMap<>();
        m.put("char_group", Tokenizers.CharGroup::new);
        m.put("classic", Tokenizers.Classic::new);
        m.put("edge_ngram", Tokenizers.EdgeNGram::new);
        m.put("keyword", Tokenizers.Keyword::new);
        m.put("letter", Tokenizers.Letter::new);
        m.put("ngram", Tokenizers.NGram::new);
        m.put("path_hierarchy", Tokenizers.PathHierarchy::new);
        m.put("pattern", Tokenizers.PatternTok::new);
        m.put("uax_url_email", Tokenizers.UaxUrlEmail::new);
        m.put("whitespace", Tokenizers.Whitespace::new);
        return m;
    }

    @Override
    public List<PreConfiguredTokenizer> getPreConfiguredTokenizers() {
        return List.of(
            PreConfiguredTokenizer.singleton("keyword", KeywordTokenizer::new),
            PreConfiguredTokenizer.singleton("classic", ClassicTokenizer::new),
            PreConfiguredTokenizer.singleton("uax_url_email", UAX29URLEmailTokenizer::new),
            PreConfiguredTokenizer.singleton("path_hierarchy", PathHierarchyTokenizer::new),
            PreConfiguredTokenizer.singleton("letter", LetterTokenizer::new),
            PreConfiguredTokenizer.singleton("whitespace", WhitespaceTokenizer::new),
            PreConfiguredTokenizer.singleton("ngram", NGramTokenizer::new),
            PreConfiguredTokenizer.singleton(
                "edge_ngram",
                () -> new EdgeNGramTokenizer(NGramTokenizer.DEFAULT_MIN_NGRAM_SIZE, NGramTokenizer.DEFAULT_MAX_NGRAM_SIZE)
            ),
            PreConfiguredTokenizer.singleton("pattern", () -> new PatternTokenizer(Regex.compile("\\W+", null), -1))
        );
    }

    @Override
    public Map<String, AnalysisProvider<AnalyzerProvider<? extends Analyzer>>> getAnalyzers() {
        Map<String, AnalysisProvider<AnalyzerProvider<? extends Analyzer>>> m = new TreeMap<>();
        m.put("german", Analyzers.German::new);
        m.put("keyword", Analyzers.Keyword::new);
        m.put("simple", Analyzers.Simple::new);
        m.put("stop", Analyzers.Stop::new);
        m.put("whitespace", Analyzers.Whitespace::new);
        return m;
    }

    @Override
    public List<PreBuiltAnalyzerProviderFactory> getPreBuiltAnalyzerProviderFactories() {
        return List.of(new PreBuiltAnalyzerProviderFactory("german", CachingStrategy.LUCENE, GermanAnalyzer::new));
    }
}

package org.newsarchive.analysis;

import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.synonym.SolrSynonymParser;
import org.apache.lucene.analysis.synonym.SynonymFilter;
import org.apache.lucene.analysis.synonym.SynonymGraphFilter;
import org.apache.lucene.analysis.synonym.SynonymMap;
import org.apache.lucene.analysis.synonym.WordnetSynonymParser;
import org.apache.lucene.util.CharsRef;
import org.apache.lucene.util.CharsRefBuilder;
import org.elasticsearch.common.settings.Settings;
import org.elasticsearch.env.Environment;
import org.elasticsearch.index.IndexService.IndexCreationContext;
import org.elasticsearch.index.IndexSettings;
import org.elasticsearch.index.IndexVersions;
import org.elasticsearch.index.analysis.AbstractTokenFilterFactory;
import org.elasticsearch.index.analysis.Analysis;
import org.elasticsearch.index.analysis.AnalysisMode;
import org.elasticsearch.index.analysis.CharFilterFactory;
import org.elasticsearch.index.analysis.CustomAnalyzer;
import org.elasticsearch.index.analysis.TokenFilterFactory;
import org.elasticsearch.index.analysis.TokenizerFactory;

import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.text.ParseException;
import java.util.List;
import java.util.function.Function;

/**
 * {@code synonym} and {@code synonym_graph}. Parameters as in Elasticsearch: {@code synonyms} (inline rules) or
 * {@code synonyms_path} (file relative to the node's config dir), {@code format} (solr = default | wordnet),
 * {@code expand} (true), {@code lenient} (false; true by default when {@code updateable}), {@code updateable} (false;
 * true marks the filter search-time only). {@code synonyms_set} (synonyms API / .synonyms index) is NOT supported.
 *
 * <p>The rules are analysed with the tokenizer, char filters and preceding token filters of the analyzer the filter is
 * used in ({@link #getChainAwareTokenFilterFactory}); each preceding filter contributes its
 * {@link TokenFilterFactory#getSynonymFilter()} view (identity for decompounders, error for ngram/WDG/keyword_repeat).
 */
final class SynonymFilters {

    private static final Logger LOGGER = LogManager.getLogger(SynonymFilters.class);

    private SynonymFilters() {}

    static class Synonym extends AbstractTokenFilterFactory {
        protected final Settings settings;
        protected final Environment env;
        protected final boolean expand;
        protected final boolean lenient;
        protected final String format;
        protected final AnalysisMode analysisMode;

        Synonym(IndexSettings indexSettings, Environment env, String name, Settings settings) {
            super(name, settings);
            this.settings = settings;
            this.env = env;
            if (settings.hasValue("synonyms") == false && settings.hasValue("synonyms_path") == false) {
                if (settings.hasValue("synonyms_set")) {
                    throw new IllegalArgumentException(
                        "[synonyms_set] (synonyms API) is not supported by the newsarchive-analysis plugin; use `synonyms` or `synonyms_path`"
                    );
                }
                throw new IllegalArgumentException("synonym requires either `synonyms`, `synonyms_set` or `synonyms_path` to be configured");
            }
            this.expand = settings.getAsBoolean("expand", true);
            this.format = settings.get("format", "");
            boolean updateable = settings.getAsBoolean("updateable", false);
            this.lenient = settings.getAsBoolean(
                "lenient",
                indexSettings.getIndexVersionCreated().onOrAfter(IndexVersions.LENIENT_UPDATEABLE_SYNONYMS) && updateable
            );
            this.analysisMode = updateable ? AnalysisMode.SEARCH_TIME : AnalysisMode.ALL;
        }

        @Override
        public AnalysisMode getAnalysisMode() {
            return analysisMode;
        }

        @Override
        public TokenStream create(TokenStream tokenStream) {
            throw new IllegalStateException("Call getChainAwareTokenFilterFactory to specialize this factory for an analysis chain first");
        }

        /** Wraps the stream with the built map; overridden by synonym_graph. */
        TokenStream wrap(TokenStream in, SynonymMap map) {
            return new SynonymFilter(in, map, false);
        }

        @Override
        public TokenFilterFactory getChainAwareTokenFilterFactory(
            IndexCreationContext context,
            TokenizerFactory tokenizer,
            List<CharFilterFactory> charFilters,
            List<TokenFilterFactory> previousTokenFilters,
            Function<String, TokenFilterFactory> allFilters
        ) {
            Analyzer ruleAnalyzer = new CustomAnalyzer(
                tokenizer,
                charFilters.toArray(new CharFilterFactory[0]),
                previousTokenFilters.stream().map(TokenFilterFactory::getSynonymFilter).toArray(TokenFilterFactory[]::new)
            );
            final String origin;
            final SynonymMap map;
            try {
                Reader rules;
                if (settings.hasValue("synonyms")) {
                    StringBuilder sb = new StringBuilder();
                    for (String line : Analysis.getWordList(env, settings, "synonyms")) {
                        sb.append(line).append(System.lineSeparator());
                    }
                    rules = new StringReader(sb.toString());
                    origin = "'" + name() + "' analyzer settings";
                } else {
                    String path = settings.get("synonyms_path");
                    rules = Analysis.getReaderFromFile(env, path, "synonyms");
                    origin = path;
                }
                map = buildMap(ruleAnalyzer, rules, origin);
            } finally {
                ruleAnalyzer.close();
            }
            final String filterName = name();
            final AnalysisMode mode = analysisMode;
            final Synonym self = this;
            return new TokenFilterFactory() {
                @Override
                public String name() {
                    return filterName;
                }

                @Override
                public TokenStream create(TokenStream tokenStream) {
                    return map.fst == null ? tokenStream : self.wrap(tokenStream, map);
                }

                @Override
                public TokenFilterFactory getSynonymFilter() {
                    // chained synonym filters must not expand the rules of later synonym filters
                    return IDENTITY_FILTER;
                }

                @Override
                public AnalysisMode getAnalysisMode() {
                    return mode;
                }
            };
        }

        private SynonymMap buildMap(Analyzer analyzer, Reader rules, String origin) {
            try {
                if ("wordnet".equalsIgnoreCase(format)) {
                    LenientWordnetParser parser = new LenientWordnetParser(expand, lenient, analyzer);
                    parser.parse(rules);
                    return parser.build();
                } else {
                    LenientSolrParser parser = new LenientSolrParser(expand, lenient, analyzer);
                    parser.parse(rules);
                    return parser.build();
                }
            } catch (IOException | ParseException | RuntimeException e) {
                throw new IllegalArgumentException("failed to build synonyms from [" + origin + "]", e);
            }
        }
    }

    static final class SynonymGraph extends Synonym {
        SynonymGraph(IndexSettings indexSettings, Environment env, String name, Settings settings) {
            super(indexSettings, env, name, settings);
        }

        @Override
        TokenStream wrap(TokenStream in, SynonymMap map) {
            return new SynonymGraphFilter(in, map, false);
        }
    }

    /** Solr format parser; with {@code lenient} a rule whose terms cannot be analysed is skipped instead of failing. */
    static final class LenientSolrParser extends SolrSynonymParser {
        private final boolean lenient;

        LenientSolrParser(boolean expand, boolean lenient, Analyzer analyzer) {
            super(true, expand, analyzer);
            this.lenient = lenient;
        }

        @Override
        public void add(CharsRef input, CharsRef output, boolean includeOrig) {
            if (lenient == false || (input.length > 0 && output.length > 0)) {
                super.add(input, output, includeOrig);
            }
        }

        @Override
        public CharsRef analyze(String text, CharsRefBuilder reuse) throws IOException {
            try {
                return super.analyze(text, reuse);
            } catch (IllegalArgumentException e) {
                if (lenient) {
                    LOGGER.info("Synonym rule for [{}] was ignored", text);
                    return new CharsRef("");
                }
                throw e;
            }
        }
    }

    /** WordNet format parser with the same leniency. */
    static final class LenientWordnetParser extends WordnetSynonymParser {
        private final boolean lenient;

        LenientWordnetParser(boolean expand, boolean lenient, Analyzer analyzer) {
            super(true, expand, analyzer);
            this.lenient = lenient;
        }

        @Override
        public void add(CharsRef input, CharsRef output, boolean includeOrig) {
            if (lenient == false || (input.length > 0 && output.length > 0)) {
                super.add(input, output, includeOrig);
            }
        }

        @Override
        public CharsRef analyze(String text, CharsRefBuilder reuse) throws IOException {
            try {
                return super.analyze(text, reuse);
            } catch (IllegalArgumentException e) {
                if (lenient) {
                    LOGGER.info("Synonym rule for [{}] was ignored", text);
                    return new CharsRef("");
                }
                throw e;
            }
        }
    }
}

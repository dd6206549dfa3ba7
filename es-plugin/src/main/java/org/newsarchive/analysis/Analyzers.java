package org.newsarchive.analysis;

import org.apache.lucene.analysis.CharArraySet;
import org.apache.lucene.analysis.core.KeywordAnalyzer;
import org.apache.lucene.analysis.core.SimpleAnalyzer;
import org.apache.lucene.analysis.core.StopAnalyzer;
import org.apache.lucene.analysis.core.WhitespaceAnalyzer;
import org.apache.lucene.analysis.de.GermanAnalyzer;
import org.apache.lucene.analysis.en.EnglishAnalyzer;
import org.elasticsearch.common.settings.Settings;
import org.elasticsearch.env.Environment;
import org.elasticsearch.index.IndexSettings;
import org.elasticsearch.index.analysis.AbstractIndexAnalyzerProvider;
import org.elasticsearch.index.analysis.Analysis;

/** Analyzer providers: german (configurable), and the configurable types keyword, simple, whitespace, stop. */
final class Analyzers {

    private Analyzers() {}

    /**
     * {@code german}: Lucene's GermanAnalyzer (standard tokenizer, lowercase, stop, keyword marker, german_normalization,
     * light_german stemmer). {@code stopwords} / {@code stopwords_path} (default _german_), {@code stem_exclusion}.
     */
    static final class German extends AbstractIndexAnalyzerProvider<GermanAnalyzer> {
        private final GermanAnalyzer analyzer;

        German(IndexSettings indexSettings, Environment env, String name, Settings settings) {
            super(name, settings);
            CharArraySet stopWords = Analysis.parseStopWords(env, settings, GermanAnalyzer.getDefaultStopSet());
            CharArraySet stemExclusion = Analysis.parseStemExclusion(settings, CharArraySet.EMPTY_SET);
            this.analyzer = new GermanAnalyzer(stopWords, stemExclusion);
        }

        @Override
        public GermanAnalyzer get() {
            return analyzer;
        }
    }

    /** {@code keyword} (type; the named pre-built analyzer already exists in the server). */
    static final class Keyword extends AbstractIndexAnalyzerProvider<KeywordAnalyzer> {
        private final KeywordAnalyzer analyzer = new KeywordAnalyzer();

        Keyword(IndexSettings indexSettings, Environment env, String name, Settings settings) {
            super(name, settings);
        }

        @Override
        public KeywordAnalyzer get() {
            return analyzer;
        }
    }

    /** {@code simple} (type). */
    static final class Simple extends AbstractIndexAnalyzerProvider<SimpleAnalyzer> {
        private final SimpleAnalyzer analyzer = new SimpleAnalyzer();

        Simple(IndexSettings indexSettings, Environment env, String name, Settings settings) {
            super(name, settings);
        }

        @Override
        public SimpleAnalyzer get() {
            return analyzer;
        }
    }

    /** {@code whitespace} (type). */
    static final class Whitespace extends AbstractIndexAnalyzerProvider<WhitespaceAnalyzer> {
        private final WhitespaceAnalyzer analyzer = new WhitespaceAnalyzer();

        Whitespace(IndexSettings indexSettings, Environment env, String name, Settings settings) {
            super(name, settings);
        }

        @Override
        public WhitespaceAnalyzer get() {
            return analyzer;
        }
    }

    /** {@code stop} (type): {@code stopwords} / {@code stopwords_path} (default _english_). */
    static final class Stop extends AbstractIndexAnalyzerProvider<StopAnalyzer> {
        private final StopAnalyzer analyzer;

        Stop(IndexSettings indexSettings, Environment env, String name, Settings settings) {
            super(name, settings);
            this.analyzer = new StopAnalyzer(Analysis.parseStopWords(env, settings, EnglishAnalyzer.ENGLISH_STOP_WORDS_SET));
        }

        @Override
        public StopAnalyzer get() {
            return analyzer;
        }
    }
}

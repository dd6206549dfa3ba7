package org.newsarchive.analysis;

import org.apache.lucene.analysis.CharArraySet;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.compound.CompoundWordTokenFilterBase;
import org.apache.lucene.analysis.compound.DictionaryCompoundWordTokenFilter;
import org.apache.lucene.analysis.compound.HyphenationCompoundWordTokenFilter;
import org.apache.lucene.analysis.compound.hyphenation.HyphenationTree;
import org.elasticsearch.common.settings.Settings;
import org.elasticsearch.env.Environment;
import org.elasticsearch.index.IndexSettings;
import org.elasticsearch.index.analysis.AbstractTokenFilterFactory;
import org.elasticsearch.index.analysis.Analysis;
import org.elasticsearch.index.analysis.TokenFilterFactory;
import org.xml.sax.InputSource;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/** {@code dictionary_decompounder} and {@code hyphenation_decompounder}. */
final class CompoundWordFilters {

    private CompoundWordFilters() {}

    /**
     * Shared parameters: {@code word_list} / {@code word_list_path} (required; path relative to the node's config dir),
     * {@code min_word_size} (5), {@code min_subword_size} (2), {@code max_subword_size} (15), {@code only_longest_match} (false).
     */
    abstract static class Base extends AbstractTokenFilterFactory {
        final int minWordSize;
        final int minSubwordSize;
        final int maxSubwordSize;
        final boolean onlyLongestMatch;
        final CharArraySet wordList;

        Base(Environment env, String name, Settings settings) {
            super(name, settings);
            this.minWordSize = settings.getAsInt("min_word_size", CompoundWordTokenFilterBase.DEFAULT_MIN_WORD_SIZE);
            this.minSubwordSize = settings.getAsInt("min_subword_size", CompoundWordTokenFilterBase.DEFAULT_MIN_SUBWORD_SIZE);
            this.maxSubwordSize = settings.getAsInt("max_subword_size", CompoundWordTokenFilterBase.DEFAULT_MAX_SUBWORD_SIZE);
            this.onlyLongestMatch = settings.getAsBoolean("only_longest_match", false);
            this.wordList = Analysis.getWordSet(env, settings, "word_list");
            if (wordList == null) {
                throw new IllegalArgumentException("word_list must be provided for [" + name + "], either as a path to a file, or directly");
            }
        }

        /** Synonym rules are parsed without decompounding (as in Elasticsearch). */
        @Override
        public TokenFilterFactory getSynonymFilter() {
            return IDENTITY_FILTER;
        }
    }

    static final class Dictionary extends Base {
        Dictionary(IndexSettings indexSettings, Environment env, String name, Settings settings) {
            super(env, name, settings);
        }

        @Override
        public TokenStream create(TokenStream ts) {
            return new DictionaryCompoundWordTokenFilter(ts, wordList, minWordSize, minSubwordSize, maxSubwordSize, onlyLongestMatch);
        }
    }

    /**
     * Extra parameters: {@code hyphenation_patterns_path} (required; FOP XML file relative to the node's config dir),
     * {@code no_sub_matches} (false), {@code no_overlapping_matches} (false).
     */
    static final class Hyphenation extends Base {
        private final HyphenationTree tree;
        private final boolean noSubMatches;
        private final boolean noOverlappingMatches;

        Hyphenation(IndexSettings indexSettings, Environment env, String name, Settings settings) {
            super(env, name, settings);
            String patternsPath = settings.get("hyphenation_patterns_path", null);
            if (patternsPath == null) {
                throw new IllegalArgumentException("hyphenation_patterns_path is a required setting.");
            }
            Path file = env.configDir().resolve(patternsPath);
            try (InputStream in = Files.newInputStream(file)) {
                this.tree = HyphenationCompoundWordTokenFilter.getHyphenationTree(new InputSource(in));
            } catch (Exception e) {
                throw new IllegalArgumentException("Exception while reading hyphenation_patterns_path.", e);
            }
            this.noSubMatches = settings.getAsBoolean("no_sub_matches", false);
            this.noOverlappingMatches = settings.getAsBoolean("no_overlapping_matches", false);
        }

        @Override
        public TokenStream create(TokenStream ts) {
            return new HyphenationCompoundWordTokenFilter(
                ts,
                tree,
                wordList,
                minWordSize,
                minSubwordSize,
                maxSubwordSize,
                onlyLongestMatch,
                noSubMatches,
                noOverlappingMatches
            );
        }
    }
}

package org.newsarchive.analysis;

import org.apache.lucene.analysis.CharArraySet;
import org.apache.lucene.analysis.LowerCaseFilter;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.classic.ClassicFilter;
import org.apache.lucene.analysis.core.DecimalDigitFilter;
import org.apache.lucene.analysis.core.FlattenGraphFilter;
import org.apache.lucene.analysis.core.TypeTokenFilter;
import org.apache.lucene.analysis.core.UpperCaseFilter;
import org.apache.lucene.analysis.de.GermanNormalizationFilter;
import org.apache.lucene.analysis.de.GermanStemFilter;
import org.apache.lucene.analysis.el.GreekLowerCaseFilter;
import org.apache.lucene.analysis.en.KStemFilter;
import org.apache.lucene.analysis.en.PorterStemFilter;
import org.apache.lucene.analysis.ga.IrishLowerCaseFilter;
import org.apache.lucene.analysis.miscellaneous.ASCIIFoldingFilter;
import org.apache.lucene.analysis.miscellaneous.KeepWordFilter;
import org.apache.lucene.analysis.miscellaneous.LengthFilter;
import org.apache.lucene.analysis.miscellaneous.LimitTokenCountFilter;
import org.apache.lucene.analysis.miscellaneous.PatternKeywordMarkerFilter;
import org.apache.lucene.analysis.miscellaneous.RemoveDuplicatesTokenFilter;
import org.apache.lucene.analysis.miscellaneous.SetKeywordMarkerFilter;
import org.apache.lucene.analysis.miscellaneous.StemmerOverrideFilter;
import org.apache.lucene.analysis.miscellaneous.TrimFilter;
import org.apache.lucene.analysis.miscellaneous.TruncateTokenFilter;
import org.apache.lucene.analysis.ngram.EdgeNGramTokenFilter;
import org.apache.lucene.analysis.ngram.NGramTokenFilter;
import org.apache.lucene.analysis.pattern.PatternReplaceFilter;
import org.apache.lucene.analysis.reverse.ReverseStringFilter;
import org.apache.lucene.analysis.snowball.SnowballFilter;
import org.apache.lucene.analysis.tr.ApostropheFilter;
import org.apache.lucene.analysis.tr.TurkishLowerCaseFilter;
import org.apache.lucene.analysis.util.ElisionFilter;
import org.elasticsearch.common.regex.Regex;
import org.elasticsearch.common.settings.Settings;
import org.elasticsearch.env.Environment;
import org.elasticsearch.index.IndexSettings;
import org.elasticsearch.index.analysis.AbstractTokenFilterFactory;
import org.elasticsearch.index.analysis.Analysis;
import org.elasticsearch.index.analysis.NormalizingTokenFilterFactory;
import org.elasticsearch.index.analysis.TokenFilterFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/** Simple configurable token filters (one small factory each). */
final class TokenFilters {

    private TokenFilters() {}

    static IllegalArgumentException notForSynonyms(String name) {
        return new IllegalArgumentException("Token filter [" + name + "] cannot be used to parse synonyms");
    }

    /** {@code lowercase}: optional {@code language} = greek | irish | turkish. */
    static final class LowerCase extends AbstractTokenFilterFactory implements NormalizingTokenFilterFactory {
        private final String lang;

        LowerCase(IndexSettings indexSettings, Environment env, String name, Settings settings) {
            super(name, settings);
            this.lang = settings.get("language", null);
            if (lang != null && lang.equalsIgnoreCase("greek") == false && lang.equalsIgnoreCase("irish") == false
                && lang.equalsIgnoreCase("turkish") == false) {
                throw new IllegalArgumentException("language [" + lang + "] not support for lower case");
            }
        }

        @Override
        public TokenStream create(TokenStream ts) {
            if (lang == null) {
                return new LowerCaseFilter(ts);
            } else if (lang.equalsIgnoreCase("greek")) {
                return new GreekLowerCaseFilter(ts);
            } else if (lang.equalsIgnoreCase("irish")) {
                return new IrishLowerCaseFilter(ts);
            } else {
                return new TurkishLowerCaseFilter(ts);
            }
        }
    }

    /** {@code uppercase} (no parameters). */
    static final class UpperCase extends AbstractTokenFilterFactory implements NormalizingTokenFilterFactory {
        UpperCase(IndexSettings indexSettings, Environment env, String name, Settings settings) {
            super(name, settings);
        }

        @Override
        public TokenStream create(TokenStream ts) {
            return new UpperCaseFilter(ts);
        }
    }

    /** {@code asciifolding}: {@code preserve_original} (default false). */
    static final class AsciiFolding extends AbstractTokenFilterFactory implements NormalizingTokenFilterFactory {
        private final boolean preserveOriginal;

        AsciiFolding(IndexSettings indexSettings, Environment env, String name, Settings settings) {
            super(name, settings);
            this.preserveOriginal = settings.getAsBoolean("preserve_original", false);
        }

        @Override
        public TokenStream create(TokenStream ts) {
            return new ASCIIFoldingFilter(ts, preserveOriginal);
        }

        @Override
        public TokenStream normalize(TokenStream ts) {
            // a normalizer must yield exactly one token
            return new ASCIIFoldingFilter(ts, false);
        }
    }

    /** {@code german_normalization} (no parameters). */
    static final class GermanNormalization extends AbstractTokenFilterFactory implements NormalizingTokenFilterFactory {
        GermanNormalization(IndexSettings indexSettings, Environment env, String name, Settings settings) {
            super(name, settings);
        }

        @Override
        public TokenStream create(TokenStream ts) {
            return new GermanNormalizationFilter(ts);
        }
    }

    /** {@code german_stem} (no parameters; Lucene's GermanStemFilter). */
    static final class GermanStem extends AbstractTokenFilterFactory {
        GermanStem(IndexSettings indexSettings, Environment env, String name, Settings settings) {
            super(name, settings);
        }

        @Override
        public TokenStream create(TokenStream ts) {
            return new GermanStemFilter(ts);
        }
    }

    /** {@code porter_stem} (no parameters). */
    static final class PorterStem extends AbstractTokenFilterFactory {
        PorterStem(IndexSettings indexSettings, Environment env, String name, Settings settings) {
            super(name, settings);
        }

        @Override
        public TokenStream create(TokenStream ts) {
            return new PorterStemFilter(ts);
        }
    }

    /** {@code kstem} (no parameters). */
    static final class KStem extends AbstractTokenFilterFactory {
        KStem(IndexSettings indexSettings, Environment env, String name, Settings settings) {
            super(name, settings);
        }

        @Override
        public TokenStream create(TokenStream ts) {
            return new KStemFilter(ts);
        }
    }

    /** {@code snowball}: {@code language} (default English; Snowball stemmer class name, e.g. German, German2). */
    static final class Snowball extends AbstractTokenFilterFactory {
        private final String language;

        Snowball(IndexSettings indexSettings, Environment env, String name, Settings settings) {
            super(name, settings);
            String l = settings.get("language", "English");
            this.language = l.isEmpty() ? l : Character.toUpperCase(l.charAt(0)) + l.substring(1);
            create(new org.apache.lucene.analysis.miscellaneous.EmptyTokenStream()); // validate
        }

        @Override
        public TokenStream create(TokenStream ts) {
            return new SnowballFilter(ts, language);
        }
    }

    /** {@code classic} (no parameters). */
    static final class Classic extends AbstractTokenFilterFactory {
        Classic(IndexSettings indexSettings, Environment env, String name, Settings settings) {
            super(name, settings);
        }

        @Override
        public TokenStream create(TokenStream ts) {
            return new ClassicFilter(ts);
        }
    }

    /** {@code apostrophe} (no parameters). */
    static final class Apostrophe extends AbstractTokenFilterFactory {
        Apostrophe(IndexSettings indexSettings, Environment env, String name, Settings settings) {
            super(name, settings);
        }

        @Override
        public TokenStream create(TokenStream ts) {
            return new ApostropheFilter(ts);
        }
    }

    /** {@code decimal_digit} (no parameters). */
    static final class DecimalDigit extends AbstractTokenFilterFactory implements NormalizingTokenFilterFactory {
        DecimalDigit(IndexSettings indexSettings, Environment env, String name, Settings settings) {
            super(name, settings);
        }

        @Override
        public TokenStream create(TokenStream ts) {
            return new DecimalDigitFilter(ts);
        }
    }

    /** {@code reverse} (no parameters). */
    static final class Reverse extends AbstractTokenFilterFactory {
        Reverse(IndexSettings indexSettings, Environment env, String name, Settings settings) {
            super(name, settings);
        }

        @Override
        public TokenStream create(TokenStream ts) {
            return new ReverseStringFilter(ts);
        }
    }

    /** {@code trim} (no parameters). */
    static final class Trim extends AbstractTokenFilterFactory implements NormalizingTokenFilterFactory {
        Trim(IndexSettings indexSettings, Environment env, String name, Settings settings) {
            super(name, settings);
            if (settings.get("update_offsets") != null) {
                throw new IllegalArgumentException("update_offsets is not supported anymore. Please fix your analysis chain");
            }
        }

        @Override
        public TokenStream create(TokenStream ts) {
            return new TrimFilter(ts);
        }
    }

    /** {@code remove_duplicates} (no parameters): drops tokens identical to one at the same position. */
    static final class RemoveDuplicates extends AbstractTokenFilterFactory {
        RemoveDuplicates(IndexSettings indexSettings, Environment env, String name, Settings settings) {
            super(name, settings);
        }

        @Override
        public TokenStream create(TokenStream ts) {
            return new RemoveDuplicatesTokenFilter(ts);
        }
    }

    /** {@code unique}: {@code only_on_same_position} (default false). */
    static final class Unique extends AbstractTokenFilterFactory {
        private final boolean onlyOnSamePosition;

        Unique(IndexSettings indexSettings, Environment env, String name, Settings settings) {
            super(name, settings);
            this.onlyOnSamePosition = settings.getAsBoolean("only_on_same_position", false);
        }

        @Override
        public TokenStream create(TokenStream ts) {
            return new UniqueTokenFilter(ts, onlyOnSamePosition);
        }
    }

    /** {@code truncate}: {@code length} (default 10, must be positive). */
    static final class Truncate extends AbstractTokenFilterFactory implements NormalizingTokenFilterFactory {
        private final int length;

        Truncate(IndexSettings indexSettings, Environment env, String name, Settings settings) {
            super(name, settings);
            this.length = settings.getAsInt("length", 10);
            if (length <= 0) {
                throw new IllegalArgumentException("length parameter must be provided");
            }
        }

        @Override
        public TokenStream create(TokenStream ts) {
            return new TruncateTokenFilter(ts, length);
        }
    }

    /** {@code length}: {@code min} (default 0), {@code max} (default Integer.MAX_VALUE). */
    static final class Length extends AbstractTokenFilterFactory {
        private final int min;
        private final int max;

        Length(IndexSettings indexSettings, Environment env, String name, Settings settings) {
            super(name, settings);
            this.min = settings.getAsInt("min", 0);
            this.max = settings.getAsInt("max", Integer.MAX_VALUE);
            if (settings.get("enable_position_increments") != null) {
                throw new IllegalArgumentException("[enable_position_increments] is not supported anymore as of Lucene 4.4");
            }
        }

        @Override
        public TokenStream create(TokenStream ts) {
            return new LengthFilter(ts, min, max);
        }
    }

    /** {@code limit}: {@code max_token_count} (default 1), {@code consume_all_tokens} (default false). */
    static final class Limit extends AbstractTokenFilterFactory {
        static final int DEFAULT_MAX_TOKEN_COUNT = 1;
        private final int maxTokenCount;
        private final boolean consumeAll;

        Limit(IndexSettings indexSettings, Environment env, String name, Settings settings) {
            super(name, settings);
            this.maxTokenCount = settings.getAsInt("max_token_count", DEFAULT_MAX_TOKEN_COUNT);
            this.consumeAll = settings.getAsBoolean("consume_all_tokens", false);
        }

        @Override
        public TokenStream create(TokenStream ts) {
            return new LimitTokenCountFilter(ts, maxTokenCount, consumeAll);
        }
    }

    /** {@code elision}: {@code articles} / {@code articles_path} (required), {@code articles_case} (default false). */
    static final class Elision extends AbstractTokenFilterFactory implements NormalizingTokenFilterFactory {
        private final CharArraySet articles;

        Elision(IndexSettings indexSettings, Environment env, String name, Settings settings) {
            super(name, settings);
            this.articles = Analysis.parseArticles(env, settings);
            if (articles == null) {
                throw new IllegalArgumentException("elision filter requires [articles] or [articles_path] setting");
            }
        }

        @Override
        public TokenStream create(TokenStream ts) {
            return new ElisionFilter(ts, articles);
        }
    }

    /** {@code pattern_replace}: {@code pattern} (required), {@code replacement} (default ""), {@code all} (default true), {@code flags}. */
    static final class PatternReplace extends AbstractTokenFilterFactory implements NormalizingTokenFilterFactory {
        private final Pattern pattern;
        private final String replacement;
        private final boolean all;

        PatternReplace(IndexSettings indexSettings, Environment env, String name, Settings settings) {
            super(name, settings);
            String p = settings.get("pattern", null);
            if (p == null) {
                throw new IllegalArgumentException("pattern is missing for [" + name + "] token filter of type 'pattern_replace'");
            }
            this.pattern = Regex.compile(p, settings.get("flags"));
            this.replacement = settings.get("replacement", "");
            this.all = settings.getAsBoolean("all", true);
        }

        @Override
        public TokenStream create(TokenStream ts) {
            return new PatternReplaceFilter(ts, pattern, replacement, all);
        }
    }

    /** {@code keep}: {@code keep_words} / {@code keep_words_path} (required), {@code keep_words_case} (default false). */
    static final class Keep extends AbstractTokenFilterFactory {
        private final CharArraySet words;

        Keep(IndexSettings indexSettings, Environment env, String name, Settings settings) {
            super(name, settings);
            List<String> list = settings.getAsList("keep_words", null);
            String path = settings.get("keep_words_path");
            if ((list == null && path == null) || (list != null && path != null)) {
                throw new IllegalArgumentException("keep requires either `keep_words` or `keep_words_path` to be configured");
            }
            if (settings.get("enable_position_increments") != null) {
                throw new IllegalArgumentException("keep filter no longer supports [enable_position_increments]");
            }
            CharArraySet set = Analysis.getWordSet(env, settings, "keep_words");
            if (settings.getAsBoolean("keep_words_case", false)) {
                CharArraySet lower = new CharArraySet(set.size(), false);
                for (Object o : set) {
                    lower.add(new String((char[]) o).toLowerCase(Locale.ROOT));
                }
                set = lower;
            }
            this.words = set;
        }

        @Override
        public TokenStream create(TokenStream ts) {
            return new KeepWordFilter(ts, words);
        }
    }

    /** {@code keep_types}: {@code types} (required), {@code mode} = include (default) | exclude. */
    static final class KeepTypes extends AbstractTokenFilterFactory {
        private final Set<String> types;
        private final boolean include;

        KeepTypes(IndexSettings indexSettings, Environment env, String name, Settings settings) {
            super(name, settings);
            List<String> list = settings.getAsList("types", null);
            if (list == null) {
                throw new IllegalArgumentException("keep_types requires `types` to be configured");
            }
            this.types = new HashSet<>(list);
            String mode = settings.get("mode", "include").toLowerCase(Locale.ROOT);
            if (mode.equals("include")) {
                include = true;
            } else if (mode.equals("exclude")) {
                include = false;
            } else {
                throw new IllegalArgumentException("`keep_types` tokenfilter mode can only be [include] or [exclude] but was [" + mode + "].");
            }
        }

        @Override
        public TokenStream create(TokenStream ts) {
            return new TypeTokenFilter(ts, types, include);
        }
    }

    /**
     * {@code keyword_marker}: {@code keywords} / {@code keywords_path} or {@code keywords_pattern}, {@code ignore_case}
     * (default false). Marked tokens are left alone by stemmers.
     */
    static final class KeywordMarker extends AbstractTokenFilterFactory {
        private final CharArraySet keywords;
        private final Pattern pattern;

        KeywordMarker(IndexSettings indexSettings, Environment env, String name, Settings settings) {
            super(name, settings);
            boolean ignoreCase = settings.getAsBoolean("ignore_case", false);
            String patternString = settings.get("keywords_pattern");
            if (patternString != null) {
                if (settings.get("keywords") != null || settings.get("keywords_path") != null) {
                    throw new IllegalArgumentException(
                        "cannot specify both `keywords_pattern` and `keywords` or `keywords_path`"
                    );
                }
                this.pattern = Pattern.compile(patternString);
                this.keywords = null;
            } else {
                Set<?> rules = Analysis.getWordSet(env, settings, "keywords");
                if (rules == null) {
                    throw new IllegalArgumentException(
                        "keyword filter requires either `keywords`, `keywords_path`, or `keywords_pattern` to be configured"
                    );
                }
                this.keywords = new CharArraySet(rules, ignoreCase);
                this.pattern = null;
            }
        }

        @Override
        public TokenStream create(TokenStream ts) {
            return pattern != null ? new PatternKeywordMarkerFilter(ts, pattern) : new SetKeywordMarkerFilter(ts, keywords);
        }
    }

    /** {@code stemmer_override}: {@code rules} / {@code rules_path} ("a, b => c" lines). */
    static final class StemmerOverride extends AbstractTokenFilterFactory {
        private final StemmerOverrideFilter.StemmerOverrideMap map;

        StemmerOverride(IndexSettings indexSettings, Environment env, String name, Settings settings) {
            super(name, settings);
            List<String> rules = Analysis.getWordList(env, settings, "rules");
            if (rules == null) {
                throw new IllegalArgumentException("stemmer override filter requires either `rules` or `rules_path` to be configured");
            }
            StemmerOverrideFilter.Builder builder = new StemmerOverrideFilter.Builder(false);
            for (String rule : rules) {
                String[] sides = rule.split("=>", -1);
                if (sides.length != 2) {
                    throw new RuntimeException("Invalid Keyword override Rule:" + rule);
                }
                String to = sides[1].trim();
                if (to.isEmpty()) {
                    throw new RuntimeException("Invalid Keyword override Rule:" + rule);
                }
                for (String from : sides[0].split(",")) {
                    String f = from.trim();
                    if (f.isEmpty()) {
                        throw new RuntimeException("Invalid Keyword override Rule:" + rule);
                    }
                    builder.add(f, to);
                }
            }
            try {
                this.map = builder.build();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public TokenStream create(TokenStream ts) {
            return new StemmerOverrideFilter(ts, map);
        }
    }

    /** {@code flatten_graph} (no parameters): needed after graph filters (synonym_graph, word_delimiter_graph) at index time. */
    static final class FlattenGraph extends AbstractTokenFilterFactory {
        FlattenGraph(IndexSettings indexSettings, Environment env, String name, Settings settings) {
            super(name, settings);
        }

        @Override
        public TokenStream create(TokenStream ts) {
            return new FlattenGraphFilter(ts);
        }
    }

    /** {@code edge_ngram}: {@code min_gram} (1), {@code max_gram} (2), {@code preserve_original} (false), {@code side} (front|back). */
    static final class EdgeNGram extends AbstractTokenFilterFactory {
        private final int minGram;
        private final int maxGram;
        private final boolean preserveOriginal;
        private final boolean back;

        EdgeNGram(IndexSettings indexSettings, Environment env, String name, Settings settings) {
            super(name, settings);
            this.minGram = settings.getAsInt("min_gram", 1);
            this.maxGram = settings.getAsInt("max_gram", 2);
            this.preserveOriginal = settings.getAsBoolean("preserve_original", false);
            String side = settings.get("side", "front");
            if (side.equals("front")) {
                back = false;
            } else if (side.equals("back")) {
                back = true;
            } else {
                throw new IllegalArgumentException("invalid side: " + side);
            }
        }

        @Override
        public TokenStream create(TokenStream ts) {
            TokenStream result = back ? new ReverseStringFilter(ts) : ts;
            result = new EdgeNGramTokenFilter(result, minGram, maxGram, preserveOriginal);
            return back ? new ReverseStringFilter(result) : result;
        }

        @Override
        public boolean breaksFastVectorHighlighter() {
            return true;
        }

        @Override
        public TokenFilterFactory getSynonymFilter() {
            throw notForSynonyms(name());
        }
    }

    /** {@code ngram}: {@code min_gram} (1), {@code max_gram} (2), {@code preserve_original} (false); limited by index.max_ngram_diff. */
    static final class NGram extends AbstractTokenFilterFactory {
        private final int minGram;
        private final int maxGram;
        private final boolean preserveOriginal;

        NGram(IndexSettings indexSettings, Environment env, String name, Settings settings) {
            super(name, settings);
            int maxAllowedDiff = indexSettings.getMaxNgramDiff();
            this.minGram = settings.getAsInt("min_gram", 1);
            this.maxGram = settings.getAsInt("max_gram", 2);
            int diff = maxGram - minGram;
            if (diff > maxAllowedDiff) {
                throw new IllegalArgumentException(
                    "The difference between max_gram and min_gram in NGram Tokenizer must be less than or equal to: ["
                        + maxAllowedDiff
                        + "] but was ["
                        + diff
                        + "]. This limit can be set by changing the ["
                        + IndexSettings.MAX_NGRAM_DIFF_SETTING.getKey()
                        + "] index level setting."
                );
            }
            this.preserveOriginal = settings.getAsBoolean("preserve_original", false);
        }

        @Override
        public TokenStream create(TokenStream ts) {
            return new NGramTokenFilter(ts, minGram, maxGram, preserveOriginal);
        }

        @Override
        public TokenFilterFactory getSynonymFilter() {
            throw notForSynonyms(name());
        }
    }
}

package org.newsarchive.analysis;

import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.Tokenizer;
import org.apache.lucene.analysis.classic.ClassicTokenizer;
import org.apache.lucene.analysis.core.KeywordTokenizer;
import org.apache.lucene.analysis.core.LetterTokenizer;
import org.apache.lucene.analysis.core.WhitespaceTokenizer;
import org.apache.lucene.analysis.email.UAX29URLEmailTokenizer;
import org.apache.lucene.analysis.ngram.EdgeNGramTokenizer;
import org.apache.lucene.analysis.ngram.NGramTokenizer;
import org.apache.lucene.analysis.path.PathHierarchyTokenizer;
import org.apache.lucene.analysis.path.ReversePathHierarchyTokenizer;
import org.apache.lucene.analysis.pattern.PatternTokenizer;
import org.apache.lucene.analysis.standard.StandardAnalyzer;
import org.apache.lucene.analysis.util.CharTokenizer;
import org.elasticsearch.common.regex.Regex;
import org.elasticsearch.common.settings.Settings;
import org.elasticsearch.env.Environment;
import org.elasticsearch.index.IndexSettings;
import org.elasticsearch.index.analysis.AbstractTokenizerFactory;

import java.util.HashSet;
import java.util.Set;
import java.util.function.IntPredicate;
import java.util.regex.Pattern;

/** Tokenizers: keyword, whitespace, letter, pattern, char_group, classic, uax_url_email, path_hierarchy, ngram, edge_ngram. */
final class Tokenizers {

    private Tokenizers() {}

    /** {@code keyword}: {@code buffer_size} (256). */
    static final class Keyword extends AbstractTokenizerFactory {
        private final int bufferSize;

        Keyword(IndexSettings indexSettings, Environment env, String name, Settings settings) {
            super(indexSettings, settings, name);
            this.bufferSize = settings.getAsInt("buffer_size", 256);
        }

        @Override
        public Tokenizer create() {
            return new KeywordTokenizer(bufferSize);
        }
    }

    /** {@code whitespace}: {@code max_token_length} (255). */
    static final class Whitespace extends AbstractTokenizerFactory {
        private final int maxTokenLength;

        Whitespace(IndexSettings indexSettings, Environment env, String name, Settings settings) {
            super(indexSettings, settings, name);
            this.maxTokenLength = settings.getAsInt("max_token_length", StandardAnalyzer.DEFAULT_MAX_TOKEN_LENGTH);
        }

        @Override
        public Tokenizer create() {
            return new WhitespaceTokenizer(TokenStream.DEFAULT_TOKEN_ATTRIBUTE_FACTORY, maxTokenLength);
        }
    }

    /** {@code letter} (no parameters). */
    static final class Letter extends AbstractTokenizerFactory {
        Letter(IndexSettings indexSettings, Environment env, String name, Settings settings) {
            super(indexSettings, settings, name);
        }

        @Override
        public Tokenizer create() {
            return new LetterTokenizer();
        }
    }

    /** {@code pattern}: {@code pattern} ("\\W+"), {@code flags}, {@code group} (-1 = split). */
    static final class PatternTok extends AbstractTokenizerFactory {
        private final Pattern pattern;
        private final int group;

        PatternTok(IndexSettings indexSettings, Environment env, String name, Settings settings) {
            super(indexSettings, settings, name);
            String p = settings.get("pattern", "\\W+");
            if (p == null) {
                throw new IllegalArgumentException("pattern is missing for [" + name + "] tokenizer of type 'pattern'");
            }
            this.pattern = Regex.compile(p, settings.get("flags"));
            this.group = settings.getAsInt("group", -1);
        }

        @Override
        public Tokenizer create() {
            return new PatternTokenizer(pattern, group);
        }
    }

    /** {@code classic}: {@code max_token_length} (255). */
    static final class Classic extends AbstractTokenizerFactory {
        private final int maxTokenLength;

        Classic(IndexSettings indexSettings, Environment env, String name, Settings settings) {
            super(indexSettings, settings, name);
            this.maxTokenLength = settings.getAsInt("max_token_length", StandardAnalyzer.DEFAULT_MAX_TOKEN_LENGTH);
        }

        @Override
        public Tokenizer create() {
            ClassicTokenizer t = new ClassicTokenizer();
            t.setMaxTokenLength(maxTokenLength);
            return t;
        }
    }

    /** {@code uax_url_email}: {@code max_token_length} (255). */
    static final class UaxUrlEmail extends AbstractTokenizerFactory {
        private final int maxTokenLength;

        UaxUrlEmail(IndexSettings indexSettings, Environment env, String name, Settings settings) {
            super(indexSettings, settings, name);
            this.maxTokenLength = settings.getAsInt("max_token_length", StandardAnalyzer.DEFAULT_MAX_TOKEN_LENGTH);
        }

        @Override
        public Tokenizer create() {
            UAX29URLEmailTokenizer t = new UAX29URLEmailTokenizer();
            t.setMaxTokenLength(maxTokenLength);
            return t;
        }
    }

    /** {@code path_hierarchy}: delimiter ('/'), replacement (= delimiter), buffer_size (1024), reverse (false), skip (0). */
    static final class PathHierarchy extends AbstractTokenizerFactory {
        private final int bufferSize;
        private final char delimiter;
        private final char replacement;
        private final int skip;
        private final boolean reverse;

        PathHierarchy(IndexSettings indexSettings, Environment env, String name, Settings settings) {
            super(indexSettings, settings, name);
            this.bufferSize = settings.getAsInt("buffer_size", 1024);
            String d = settings.get("delimiter");
            if (d == null) {
                delimiter = PathHierarchyTokenizer.DEFAULT_DELIMITER;
            } else if (d.length() != 1) {
                throw new IllegalArgumentException("delimiter must be a one char value");
            } else {
                delimiter = d.charAt(0);
            }
            String r = settings.get("replacement");
            if (r == null) {
                replacement = delimiter;
            } else if (r.length() != 1) {
                throw new IllegalArgumentException("replacement must be a one char value");
            } else {
                replacement = r.charAt(0);
            }
            this.skip = settings.getAsInt("skip", PathHierarchyTokenizer.DEFAULT_SKIP);
            this.reverse = settings.getAsBoolean("reverse", false);
        }

        @Override
        public Tokenizer create() {
            return reverse
                ? new ReversePathHierarchyTokenizer(bufferSize, delimiter, replacement, skip)
                : new PathHierarchyTokenizer(bufferSize, delimiter, replacement, skip);
        }
    }

    /**
     * {@code char_group}: {@code tokenize_on_chars} (single characters, escapes like "\\n", or one of whitespace, letter,
     * digit, punctuation, symbol), {@code max_token_length} (255).
     */
    static final class CharGroup extends AbstractTokenizerFactory {
        private final int maxTokenLength;
        private final IntPredicate isSeparator;

        CharGroup(IndexSettings indexSettings, Environment env, String name, Settings settings) {
            super(indexSettings, settings, name);
            this.maxTokenLength = settings.getAsInt("max_token_length", StandardAnalyzer.DEFAULT_MAX_TOKEN_LENGTH);
            Set<Integer> chars = new HashSet<>();
            IntPredicate classes = c -> false;
            for (String s : settings.getAsList("tokenize_on_chars")) {
                if (s == null || s.isEmpty()) {
                    throw new IllegalArgumentException("[tokenize_on_chars] cannot contain empty characters");
                }
                if (s.length() == 1) {
                    chars.add((int) s.charAt(0));
                } else if (s.charAt(0) == '\\') {
                    String u = CharFilters.Mapping.unescape(s);
                    if (u.length() != 1) {
                        throw new RuntimeException("Invalid escaped char in [" + s + "]");
                    }
                    chars.add((int) u.charAt(0));
                } else {
                    IntPredicate p = switch (s) {
                        case "letter", "digit", "whitespace", "punctuation", "symbol" -> TokenChars.CLASSES.get(s);
                        default -> null;
                    };
                    if (p == null) {
                        throw new RuntimeException("Invalid escaped char in [" + s + "]");
                    }
                    classes = classes.or(p);
                }
            }
            final IntPredicate cls = classes;
            this.isSeparator = c -> chars.contains(c) || cls.test(c);
        }

        @Override
        public Tokenizer create() {
            return new CharTokenizer(TokenStream.DEFAULT_TOKEN_ATTRIBUTE_FACTORY, maxTokenLength) {
                @Override
                protected boolean isTokenChar(int c) {
                    return isSeparator.test(c) == false;
                }
            };
        }
    }

    /** {@code ngram}: min_gram (1), max_gram (2), token_chars ([] = all), custom_token_chars; limited by index.max_ngram_diff. */
    static final class NGram extends AbstractTokenizerFactory {
        private final int minGram;
        private final int maxGram;
        private final IntPredicate tokenChars;

        NGram(IndexSettings indexSettings, Environment env, String name, Settings settings) {
            super(indexSettings, settings, name);
            int maxAllowedDiff = indexSettings.getMaxNgramDiff();
            this.minGram = settings.getAsInt("min_gram", NGramTokenizer.DEFAULT_MIN_NGRAM_SIZE);
            this.maxGram = settings.getAsInt("max_gram", NGramTokenizer.DEFAULT_MAX_NGRAM_SIZE);
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
            this.tokenChars = TokenChars.parse(settings.getAsList("token_chars"), settings.get("custom_token_chars"));
        }

        @Override
        public Tokenizer create() {
            if (tokenChars == null) {
                return new NGramTokenizer(minGram, maxGram);
            }
            return new NGramTokenizer(minGram, maxGram) {
                @Override
                protected boolean isTokenChar(int c) {
                    return tokenChars.test(c);
                }
            };
        }
    }

    /** {@code edge_ngram}: min_gram (1), max_gram (2), token_chars ([] = all), custom_token_chars. */
    static final class EdgeNGram extends AbstractTokenizerFactory {
        private final int minGram;
        private final int maxGram;
        private final IntPredicate tokenChars;

        EdgeNGram(IndexSettings indexSettings, Environment env, String name, Settings settings) {
            super(indexSettings, settings, name);
            this.minGram = settings.getAsInt("min_gram", NGramTokenizer.DEFAULT_MIN_NGRAM_SIZE);
            this.maxGram = settings.getAsInt("max_gram", NGramTokenizer.DEFAULT_MAX_NGRAM_SIZE);
            this.tokenChars = TokenChars.parse(settings.getAsList("token_chars"), settings.get("custom_token_chars"));
        }

        @Override
        public Tokenizer create() {
            if (tokenChars == null) {
                return new EdgeNGramTokenizer(minGram, maxGram);
            }
            return new EdgeNGramTokenizer(minGram, maxGram) {
                @Override
                protected boolean isTokenChar(int c) {
                    return tokenChars.test(c);
                }
            };
        }
    }
}

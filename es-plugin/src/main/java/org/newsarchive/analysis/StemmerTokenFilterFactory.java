package org.newsarchive.analysis;

import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.de.GermanLightStemFilter;
import org.apache.lucene.analysis.de.GermanMinimalStemFilter;
import org.apache.lucene.analysis.en.EnglishMinimalStemFilter;
import org.apache.lucene.analysis.en.EnglishPossessiveFilter;
import org.apache.lucene.analysis.en.KStemFilter;
import org.apache.lucene.analysis.en.PorterStemFilter;
import org.apache.lucene.analysis.fr.FrenchLightStemFilter;
import org.apache.lucene.analysis.fr.FrenchMinimalStemFilter;
import org.apache.lucene.analysis.it.ItalianLightStemFilter;
import org.apache.lucene.analysis.es.SpanishLightStemFilter;
import org.apache.lucene.analysis.snowball.SnowballFilter;
import org.elasticsearch.common.settings.Settings;
import org.elasticsearch.env.Environment;
import org.elasticsearch.index.IndexSettings;
import org.elasticsearch.index.analysis.AbstractTokenFilterFactory;
import org.tartarus.snowball.SnowballStemmer;
import org.tartarus.snowball.ext.DanishStemmer;
import org.tartarus.snowball.ext.DutchStemmer;
import org.tartarus.snowball.ext.EnglishStemmer;
import org.tartarus.snowball.ext.FrenchStemmer;
import org.tartarus.snowball.ext.German2Stemmer;
import org.tartarus.snowball.ext.GermanStemmer;
import org.tartarus.snowball.ext.ItalianStemmer;
import org.tartarus.snowball.ext.NorwegianStemmer;
import org.tartarus.snowball.ext.SpanishStemmer;
import org.tartarus.snowball.ext.SwedishStemmer;

import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * {@code stemmer}: parameter {@code language} (alias {@code name}), default {@code porter}.
 * Supported: German (german, german2, light_german, minimal_german), English (english, porter,
 * porter2, light_english/kstem, minimal_english, possessive_english) and a few West European
 * Snowball/light stemmers (see {@link #LANGUAGES}). Unknown languages fail at creation, as in ES.
 */
final class StemmerTokenFilterFactory extends AbstractTokenFilterFactory {

    static final Map<String, Function<TokenStream, TokenStream>> LANGUAGES;

    static {
        Map<String, Function<TokenStream, TokenStream>> m = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        // German
        m.put("german", snowball(GermanStemmer::new));
        m.put("german2", snowball(German2Stemmer::new));
        m.put("light_german", GermanLightStemFilter::new);
        m.put("lightGerman", GermanLightStemFilter::new);
        m.put("minimal_german", GermanMinimalStemFilter::new);
        m.put("minimalGerman", GermanMinimalStemFilter::new);
        // English
        m.put("english", PorterStemFilter::new);
        m.put("porter", PorterStemFilter::new);
        m.put("porter2", snowball(EnglishStemmer::new));
        m.put("light_english", KStemFilter::new);
        m.put("lightEnglish", KStemFilter::new);
        m.put("kstem", KStemFilter::new);
        m.put("minimal_english", EnglishMinimalStemFilter::new);
        m.put("minimalEnglish", EnglishMinimalStemFilter::new);
        m.put("possessive_english", EnglishPossessiveFilter::new);
        m.put("possessiveEnglish", EnglishPossessiveFilter::new);
        // a few neighbours that cost nothing
        m.put("danish", snowball(DanishStemmer::new));
        m.put("dutch", snowball(DutchStemmer::new));
        m.put("french", snowball(FrenchStemmer::new));
        m.put("light_french", FrenchLightStemFilter::new);
        m.put("lightFrench", FrenchLightStemFilter::new);
        m.put("minimal_french", FrenchMinimalStemFilter::new);
        m.put("minimalFrench", FrenchMinimalStemFilter::new);
        m.put("italian", snowball(ItalianStemmer::new));
        m.put("light_italian", ItalianLightStemFilter::new);
        m.put("lightItalian", ItalianLightStemFilter::new);
        m.put("norwegian", snowball(NorwegianStemmer::new));
        m.put("spanish", snowball(SpanishStemmer::new));
        m.put("light_spanish", SpanishLightStemFilter::new);
        m.put("lightSpanish", SpanishLightStemFilter::new);
        m.put("swedish", snowball(SwedishStemmer::new));
        LANGUAGES = m;
    }

    private static Function<TokenStream, TokenStream> snowball(Supplier<SnowballStemmer> stemmer) {
        return ts -> new SnowballFilter(ts, stemmer.get());
    }

    private final Function<TokenStream, TokenStream> stemmer;

    StemmerTokenFilterFactory(IndexSettings indexSettings, Environment env, String name, Settings settings) {
        super(name, settings);
        String language = settings.get("language", settings.get("name", "porter"));
        this.stemmer = LANGUAGES.get(language);
        if (stemmer == null) {
            throw new IllegalArgumentException(
                "Unknown or unsupported stemmer language [" + language.toLowerCase(Locale.ROOT) + "] for [" + name
                    + "]; this plugin supports " + LANGUAGES.keySet()
            );
        }
    }

    @Override
    public TokenStream create(TokenStream ts) {
        return stemmer.apply(ts);
    }
}

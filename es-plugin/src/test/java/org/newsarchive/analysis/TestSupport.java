package org.newsarchive.analysis;

import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;
import org.elasticsearch.cluster.metadata.IndexMetadata;
import org.elasticsearch.common.logging.LogConfigurator;
import org.elasticsearch.common.settings.Settings;
import org.elasticsearch.env.Environment;
import org.elasticsearch.index.IndexService.IndexCreationContext;
import org.elasticsearch.index.IndexSettings;
import org.elasticsearch.index.IndexVersion;
import org.elasticsearch.index.analysis.AnalysisRegistry;
import org.elasticsearch.index.analysis.IndexAnalyzers;
import org.elasticsearch.indices.analysis.AnalysisModule;
import org.elasticsearch.plugins.scanners.StablePluginsRegistry;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * One Elasticsearch AnalysisModule (as built at node startup, so a duplicate name fails here) with the plugin, and a
 * temporary node home whose config dir holds the test resource files under analysis/.
 */
final class TestSupport {

    static final Path HOME;
    static final Environment ENV;
    static final AnalysisRegistry REGISTRY;

    static {
        try {
            LogConfigurator.configureESLogging(); // ES classes need their logging provider
            LogConfigurator.configureWithoutConfig(Settings.EMPTY);
            HOME = Files.createTempDirectory("newsarchive-analysis-test");
            Runtime.getRuntime().addShutdownHook(new Thread(TestSupport::deleteHome));
            Path config = HOME.resolve("config");
            Files.createDirectories(config.resolve("analysis"));
            try (InputStream in = TestSupport.class.getResourceAsStream("/hyph_tiny.xml")) {
                Files.copy(in, config.resolve("analysis/hyph_tiny.xml"));
            }
            Files.writeString(config.resolve("analysis/words.txt"), "donau\ndampf\nschiff\n", StandardCharsets.UTF_8);
            Files.writeString(config.resolve("analysis/synonyms.txt"), "öpnv, nahverkehr\n", StandardCharsets.UTF_8);
            ENV = new Environment(Settings.builder().put("path.home", HOME.toString()).build(), config);
            REGISTRY = new AnalysisModule(ENV, List.of(new NewsarchiveAnalysisPlugin()), new StablePluginsRegistry()).getAnalysisRegistry();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private TestSupport() {}

    private static void deleteHome() {
        try (Stream<Path> s = Files.walk(HOME)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // best effort
        }
    }

    static IndexAnalyzers build(Settings analysis) throws IOException {
        Settings s = Settings.builder()
            .put(IndexMetadata.SETTING_VERSION_CREATED, IndexVersion.current())
            .put(IndexMetadata.SETTING_NUMBER_OF_SHARDS, 1)
            .put(IndexMetadata.SETTING_NUMBER_OF_REPLICAS, 0)
            .put(analysis)
            .build();
        IndexSettings is = new IndexSettings(IndexMetadata.builder("test").settings(s).build(), Settings.EMPTY);
        return REGISTRY.build(IndexCreationContext.CREATE_INDEX, is);
    }

    static List<String> tokens(Analyzer analyzer, String text) throws IOException {
        List<String> out = new ArrayList<>();
        try (TokenStream ts = analyzer.tokenStream("f", text)) {
            CharTermAttribute term = ts.addAttribute(CharTermAttribute.class);
            ts.reset();
            while (ts.incrementToken()) {
                out.add(term.toString());
            }
            ts.end();
        }
        return out;
    }
}

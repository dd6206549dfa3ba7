package org.newsarchive.ner;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import edu.stanford.nlp.ie.crf.CRFClassifier;
import edu.stanford.nlp.ling.CoreAnnotations;
import edu.stanford.nlp.ling.CoreLabel;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * German named-entity tags over HTTP for the indexer's worker.
 *
 * <p>{@code POST /tag}: tokens, one per line, an empty line after each sentence (the worker's own
 * tokenisation, so entity offsets stay the worker's); answers the model's label for each token in
 * the same shape ({@code I-PER}, {@code I-LOC}, {@code I-ORG}, {@code I-MISC} or {@code O}).
 * {@code GET /health}: 200 once the model is loaded (the port opens only then).
 *
 * <p>Configured by the environment: {@code NEWSARCHIVE_NER_BIND} (127.0.0.1),
 * {@code NEWSARCHIVE_NER_PORT} (9400), {@code NEWSARCHIVE_NER_THREADS} (2),
 * {@code NEWSARCHIVE_NER_MODEL} (the GermEval 2014 CRF of the models jar on the class path),
 * {@code NEWSARCHIVE_NER_MAX_BYTES} (request limit, 4 MiB; more is a 413).
 */
public final class NerServer {
    static final String DEFAULT_MODEL =
        "edu/stanford/nlp/models/ner/german.conll.germeval2014.hgc_175m_600.crf.ser.gz";

    private final CRFClassifier<CoreLabel> classifier;
    private final int maxBytes;

    NerServer(CRFClassifier<CoreLabel> classifier, int maxBytes) {
        this.classifier = classifier;
        this.maxBytes = maxBytes;
    }

    public static void main(String[] args) throws Exception {
        String bind = env("NEWSARCHIVE_NER_BIND", "127.0.0.1");
        int port = Integer.parseInt(env("NEWSARCHIVE_NER_PORT", "9400"));
        int threads = Integer.parseInt(env("NEWSARCHIVE_NER_THREADS", "2"));
        int maxBytes = Integer.parseInt(env("NEWSARCHIVE_NER_MAX_BYTES", String.valueOf(4 << 20)));
        String model = env("NEWSARCHIVE_NER_MODEL", DEFAULT_MODEL);
        sendWithoutDelay();

        long started = System.nanoTime();
        CRFClassifier<CoreLabel> classifier = CRFClassifier.getClassifier(model);
        System.err.printf("newsarchive-ner: loaded %s in %.1f s%n", model, (System.nanoTime() - started) / 1e9);

        NerServer ner = new NerServer(classifier, maxBytes);
        HttpServer server = HttpServer.create(new InetSocketAddress(bind, port), 128);
        server.createContext("/tag", ner::tag);
        server.createContext("/health", ner::health);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        server.setExecutor(pool);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.stop(1);
            pool.shutdown();
        }));
        server.start();
        System.err.printf("newsarchive-ner: listening on %s:%d with %d threads%n", bind, port, threads);
    }

    /**
     * Turns Nagle's algorithm off on the server's sockets (before the first {@link HttpServer} is
     * made: the JDK reads the property once). The server writes a response's headers and its body
     * separately; with Nagle on, the body waits for the client's delayed ACK of the headers, about
     * 40 ms, which made a one-article request take ~51 ms instead of ~9 ms.
     */
    static void sendWithoutDelay() {
        System.setProperty("sun.net.httpserver.nodelay", "true");
    }

    /** The model's label for every token, sentence by sentence. {@code classifySentence}, not
     * {@code classify}: it adds the word shapes and known-word features the model was trained with.
     * Thread-safe (CoreNLP's own server shares one classifier between its threads). */
    List<List<String>> labels(List<List<String>> sentences) {
        List<List<String>> out = new ArrayList<>(sentences.size());
        for (List<String> words : sentences) {
            List<CoreLabel> tokens = new ArrayList<>(words.size());
            for (String word : words) {
                CoreLabel token = new CoreLabel();
                token.setWord(word);
                token.setValue(word);
                token.setOriginalText(word);
                tokens.add(token);
            }
            List<String> labels = new ArrayList<>(words.size());
            for (CoreLabel token : classifier.classifySentence(tokens)) {
                labels.add(token.get(CoreAnnotations.AnswerAnnotation.class));
            }
            out.add(labels);
        }
        return out;
    }

    private void tag(HttpExchange exchange) throws IOException {
        try (exchange) {
            if (!"POST".equals(exchange.getRequestMethod())) {
                exchange.getResponseHeaders().set("Allow", "POST");
                send(exchange, 405, "POST tokens to /tag\n");
                return;
            }
            byte[] body = readAtMost(exchange.getRequestBody(), maxBytes);
            if (body == null) {
                send(exchange, 413, "request over " + maxBytes + " bytes\n");
                return;
            }
            String text = new String(body, StandardCharsets.UTF_8);
            send(exchange, 200, TokenProtocol.format(labels(TokenProtocol.parse(text))));
        } catch (RuntimeException e) {
            System.err.println("newsarchive-ner: " + e);
            try {
                send(exchange, 500, "tagging failed: " + e + "\n");
            } catch (IOException ignored) {
                // the client is gone
            }
        }
    }

    private void health(HttpExchange exchange) throws IOException {
        try (exchange) {
            send(exchange, 200, "ok\n");
        }
    }

    /** The whole stream, or null if it holds more than {@code limit} bytes. */
    static byte[] readAtMost(InputStream in, int limit) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buffer = new byte[64 * 1024];
        int n;
        while ((n = in.read(buffer)) > 0) {
            if (out.size() + n > limit) {
                return null;
            }
            out.write(buffer, 0, n);
        }
        return out.toByteArray();
    }

    private static void send(HttpExchange exchange, int status, String text) throws IOException {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
        exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        if (bytes.length > 0) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isEmpty() ? fallback : value;
    }
}

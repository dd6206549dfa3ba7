package org.newsarchive.ner;

import java.util.ArrayList;
import java.util.List;

/**
 * The wire format of {@code POST /tag}, both ways: one token (or label) per line, an empty line
 * after each sentence. Plain text keeps the service free of JSON libraries and costs nothing to
 * parse; a token never holds a line break (the client sends whitespace tokens as "_").
 */
public final class TokenProtocol {
    private TokenProtocol() {
    }

    /** Sentences of tokens; CRLF is accepted, runs of empty lines are one break, no empty sentences. */
    public static List<List<String>> parse(String body) {
        List<List<String>> sentences = new ArrayList<>();
        List<String> current = new ArrayList<>();
        for (String line : body.split("\r?\n", -1)) {
            if (line.isEmpty()) {
                if (!current.isEmpty()) {
                    sentences.add(current);
                    current = new ArrayList<>();
                }
            } else {
                current.add(line);
            }
        }
        if (!current.isEmpty()) {
            sentences.add(current);
        }
        return sentences;
    }

    /** Labels in the same shape: one per line, an empty line after each sentence. */
    public static String format(List<List<String>> labels) {
        StringBuilder out = new StringBuilder();
        for (List<String> sentence : labels) {
            for (String label : sentence) {
                out.append(label).append('\n');
            }
            out.append('\n');
        }
        return out.toString();
    }
}

package org.newsarchive.ner;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;

class TokenProtocolTest {
    @Test
    void sentencesAreSeparatedByEmptyLines() {
        assertEquals(List.of(List.of("Kim", "Jong", "Un", "reist"), List.of("Putin", "wartet", ".")),
            TokenProtocol.parse("Kim\nJong\nUn\nreist\n\nPutin\nwartet\n.\n\n"));
    }

    @Test
    void crlfRunsOfEmptyLinesAndAMissingFinalBreakAreAccepted() {
        assertEquals(List.of(List.of("a", "b"), List.of("c")), TokenProtocol.parse("a\r\nb\r\n\r\n\r\n\nc"));
    }

    @Test
    void anEmptyBodyHasNoSentences() {
        assertEquals(List.of(), TokenProtocol.parse(""));
        assertEquals(List.of(), TokenProtocol.parse("\n\n\n"));
    }

    @Test
    void labelsComeBackInTheSameShape() {
        String formatted = TokenProtocol.format(List.of(List.of("I-PER", "O"), List.of("I-LOC")));
        assertEquals("I-PER\nO\n\nI-LOC\n\n", formatted);
        assertEquals(List.of(List.of("I-PER", "O"), List.of("I-LOC")), TokenProtocol.parse(formatted));
    }

    @Test
    void readAtMostStopsAtTheLimit() throws IOException {
        byte[] data = "x".repeat(100).getBytes();
        assertArrayEquals(data, NerServer.readAtMost(new ByteArrayInputStream(data), 100));
        assertNull(NerServer.readAtMost(new ByteArrayInputStream(data), 99));
    }
}

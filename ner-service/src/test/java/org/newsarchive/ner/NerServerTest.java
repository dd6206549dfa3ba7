package org.newsarchive.ner;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class NerServerTest {
    @Test
    void responsesAreSentWithoutNaglesDelay() {
        // The JDK's HttpServer reads this property when its first server is made; without it a
        // small response waits ~40 ms for the client's delayed ACK.
        NerServer.sendWithoutDelay();
        assertEquals("true", System.getProperty("sun.net.httpserver.nodelay"));
    }
}

package org.newsarchive.analysis;

import org.apache.lucene.analysis.CharArraySet;
import org.apache.lucene.analysis.TokenFilter;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;
import org.apache.lucene.analysis.tokenattributes.PositionIncrementAttribute;

import java.io.IOException;

/**
 * Emits each distinct term only once: over the whole stream, or (with {@code onlyOnSamePosition})
 * only among tokens stacked at the same position. Position increments of dropped tokens are not
 * carried over (same behaviour as Elasticsearch's {@code unique} filter).
 */
final class UniqueTokenFilter extends TokenFilter {
    private final CharTermAttribute termAtt = addAttribute(CharTermAttribute.class);
    private final PositionIncrementAttribute posIncAtt = addAttribute(PositionIncrementAttribute.class);
    private final CharArraySet seen = new CharArraySet(8, false);
    private final boolean onlyOnSamePosition;

    UniqueTokenFilter(TokenStream in) {
        this(in, false);
    }

    UniqueTokenFilter(TokenStream in, boolean onlyOnSamePosition) {
        super(in);
        this.onlyOnSamePosition = onlyOnSamePosition;
    }

    @Override
    public boolean incrementToken() throws IOException {
        while (input.incrementToken()) {
            char[] buffer = termAtt.buffer();
            int length = termAtt.length();
            boolean duplicate;
            if (onlyOnSamePosition) {
                if (posIncAtt.getPositionIncrement() > 0) {
                    seen.clear();
                    duplicate = false;
                } else {
                    duplicate = seen.contains(buffer, 0, length);
                }
            } else {
                duplicate = seen.contains(buffer, 0, length);
            }
            if (duplicate == false) {
                char[] copy = new char[length];
                System.arraycopy(buffer, 0, copy, 0, length);
                seen.add(copy);
                return true;
            }
        }
        return false;
    }

    @Override
    public void reset() throws IOException {
        super.reset();
        seen.clear();
    }
}

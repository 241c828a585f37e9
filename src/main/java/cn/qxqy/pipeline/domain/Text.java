package cn.qxqy.pipeline.domain;

/**
 * What a text sent by a client may hold. Every string the service reads from a client (a JSON field, a path or query
 * parameter) is checked with {@link #forbidden}: names, reasons and codes end up in PostgreSQL (which refuses NUL), in
 * the dashboard, in spreadsheets and in other departments' systems, where a control character, an escape sequence or
 * a bidirectional override would garble or disguise what is shown. Required texts must also not be {@link #isBlank
 * blank}: a name of zero-width spaces shows as nothing.
 */
public final class Text {

    private Text() {
    }

    /**
     * Why {@code text} may not be stored, or null when it may: it holds NUL, another control character (C0, DEL or
     * C1: line breaks and tabs included, as no field of the API is multi-line), half of a surrogate pair (a JSON
     * {@code \ud800} escape without its partner: no Unicode character, stored as "?"), a bidirectional formatting
     * character (embeddings, overrides, isolates, marks: U+061C, U+200E/F, U+202A–U+202E, U+2066–U+2069), a line or
     * paragraph separator (U+2028/9), an invisible tag character (U+E0000–U+E007F) or a noncharacter (U+FFFE, U+FFFF,
     * U+FDD0–U+FDEF and the like).
     */
    public static String forbidden(String text) {
        Wording why = whyForbidden(text);
        return why == null ? null : why.english();
    }

    /** {@link #forbidden} as the catalogue's message, for the edge to word in the reader's language. */
    public static Wording whyForbidden(String text) {
        for (int i = 0; i < text.length(); ) {
            char c = text.charAt(i);
            int codePoint = c;
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                codePoint = Character.toCodePoint(c, text.charAt(i + 1));
            }
            String kind = kind(codePoint);
            if (kind != null) {
                return Wording.of("text.forbidden", Wording.of("text.kind." + kind),
                        String.format("U+%04X", codePoint), text.codePointCount(0, i) + 1);
            }
            i += Character.charCount(codePoint);
        }
        return null;
    }

    /**
     * Whether nothing visible is left once white space (ideographic space and no-break spaces included) and invisible
     * characters are removed: the Unicode default-ignorable code points (zero-width space, non-joiner and joiner, word
     * joiner, soft hyphen, byte order mark, variation selectors, Hangul fillers …) and the blank braille pattern.
     */
    public static boolean isBlank(String text) {
        for (int i = 0; i < text.length(); ) {
            int codePoint = text.codePointAt(i);
            if (!Character.isWhitespace(codePoint) && !Character.isSpaceChar(codePoint) && !isInvisible(codePoint)) {
                return false;
            }
            i += Character.charCount(codePoint);
        }
        return true;
    }

    /**
     * {@code text} as it may be shown in a message: every forbidden character as {@code \}{@code uXXXX}, and at most
     * {@code max} characters. For echoing what a client sent (a misspelt field name) without passing on what it should
     * not have sent.
     */
    public static String printable(String text, int max) {
        StringBuilder shown = new StringBuilder();
        int i = 0;
        while (i < text.length() && shown.length() < max) {
            int codePoint = text.codePointAt(i);
            if (kind(codePoint) != null) {
                shown.append(String.format("\\u%04X", codePoint));
            } else {
                shown.appendCodePoint(codePoint);
            }
            i += Character.charCount(codePoint);
        }
        return i < text.length() ? shown + "…" : shown.toString();
    }

    /** What is wrong with the code point (its catalogue key under {@code text.kind.}), or null when it may be stored. */
    private static String kind(int c) {
        if (c == 0) {
            return "nul";
        }
        if (c < 0x20 || c >= 0x7F && c <= 0x9F) {
            return "control";
        }
        if (c >= Character.MIN_SURROGATE && c <= Character.MAX_SURROGATE) {
            return "lone-surrogate";
        }
        if (c == 0x061C || c == 0x200E || c == 0x200F || c >= 0x202A && c <= 0x202E || c >= 0x2066 && c <= 0x2069) {
            return "bidirectional";
        }
        if (c == 0x2028 || c == 0x2029) {
            return "separator";
        }
        if (c >= 0xE0000 && c <= 0xE007F) {
            return "tag";
        }
        if (c >= 0xFDD0 && c <= 0xFDEF || (c & 0xFFFE) == 0xFFFE) {
            return "noncharacter";
        }
        return null;
    }

    /** Unicode's Default_Ignorable_Code_Point (DerivedCoreProperties.txt), and U+2800 BRAILLE PATTERN BLANK. */
    private static boolean isInvisible(int c) {
        return c == 0x00AD || c == 0x034F || c == 0x061C || c == 0x115F || c == 0x1160 || c == 0x17B4 || c == 0x17B5
                || c >= 0x180B && c <= 0x180F || c >= 0x200B && c <= 0x200F || c >= 0x202A && c <= 0x202E
                || c >= 0x2060 && c <= 0x206F || c == 0x2800 || c == 0x3164 || c >= 0xFE00 && c <= 0xFE0F
                || c == 0xFEFF || c == 0xFFA0 || c >= 0xFFF0 && c <= 0xFFF8 || c >= 0x1BCA0 && c <= 0x1BCA3
                || c >= 0x1D173 && c <= 0x1D17A || c >= 0xE0000 && c <= 0xE0FFF;
    }
}

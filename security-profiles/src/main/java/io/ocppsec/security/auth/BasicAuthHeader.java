package io.ocppsec.security.auth;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;

/**
 * Parses the value of an HTTP {@code Authorization} header carrying Basic credentials (RFC 7617),
 * as Charging Stations send it on the WebSocket upgrade request with security profiles 1 and 2
 * (A00.FR.202/203, A00.FR.301/302).
 *
 * <p>Total and strict: any input gives a {@link BasicAuthResult}. The header is at most
 * {@value #MAX_HEADER_LENGTH} characters (checked before decoding); optional whitespace around the
 * field value is ignored (RFC 9110 §5.5); the scheme {@code Basic} is case-insensitive and followed
 * by one or more spaces; the token is strict base64 with correct padding and nothing else; the
 * decoded octets must be valid UTF-8 (A00.FR.205: the password is sent as a UTF-8 string, not as
 * hex or base64 of its own, unlike the OCPP 1.6 AuthorizationKey); the text is split at the FIRST
 * colon, since the user-id (the station identity, A00.FR.204) cannot contain one while the
 * password may.
 */
public final class BasicAuthHeader {

    /** Longest header value accepted (48-char identity + 64-char password need far less). */
    public static final int MAX_HEADER_LENGTH = 1024;

    private static final String SCHEME = "Basic";

    private BasicAuthHeader() {
    }

    /** Parses an {@code Authorization} header value; never throws. */
    public static BasicAuthResult parse(String headerValue) {
        if (headerValue == null) {
            return new BasicAuthResult.Refused(BasicAuthResult.Reason.MISSING);
        }
        if (headerValue.length() > MAX_HEADER_LENGTH) {
            return new BasicAuthResult.Refused(BasicAuthResult.Reason.TOO_LONG);
        }
        int start = 0;
        int end = headerValue.length();
        while (start < end && isOws(headerValue.charAt(start))) {
            start++;
        }
        while (end > start && isOws(headerValue.charAt(end - 1))) {
            end--;
        }
        if (start == end) {
            return new BasicAuthResult.Refused(BasicAuthResult.Reason.MISSING);
        }
        if (end - start <= SCHEME.length()
                || !headerValue.regionMatches(true, start, SCHEME, 0, SCHEME.length())
                || headerValue.charAt(start + SCHEME.length()) != ' ') {
            return new BasicAuthResult.Refused(BasicAuthResult.Reason.NOT_BASIC);
        }
        int tokenStart = start + SCHEME.length();
        while (tokenStart < end && headerValue.charAt(tokenStart) == ' ') {
            tokenStart++;
        }
        if (tokenStart == end) {
            return new BasicAuthResult.Refused(BasicAuthResult.Reason.BAD_BASE64);
        }
        String token = headerValue.substring(tokenStart, end);
        byte[] decoded;
        try {
            // RFC 7617 uses padded base64 (RFC 4648 §4); the JDK decoder refuses whitespace and
            // characters outside the alphabet, the length check refuses missing padding.
            decoded = token.length() % 4 == 0 ? Base64.getDecoder().decode(token) : null;
        } catch (IllegalArgumentException e) {
            decoded = null;
        }
        if (decoded == null) {
            return new BasicAuthResult.Refused(BasicAuthResult.Reason.BAD_BASE64);
        }
        CharBuffer text;
        try {
            CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT);
            text = decoder.decode(ByteBuffer.wrap(decoded));
        } catch (CharacterCodingException e) {
            return new BasicAuthResult.Refused(BasicAuthResult.Reason.NOT_UTF8);
        } finally {
            Arrays.fill(decoded, (byte) 0);
        }
        try {
            int colon = -1;
            for (int i = 0; i < text.length(); i++) {
                if (text.charAt(i) == ':') {
                    colon = i;
                    break;
                }
            }
            if (colon < 0) {
                return new BasicAuthResult.Refused(BasicAuthResult.Reason.NO_COLON);
            }
            String username = text.subSequence(0, colon).toString();
            char[] password = new char[text.length() - colon - 1];
            for (int i = 0; i < password.length; i++) {
                password[i] = text.charAt(colon + 1 + i);
            }
            BasicCredentials credentials = new BasicCredentials(username, password);
            Arrays.fill(password, '\0');
            return credentials;
        } finally {
            if (text.hasArray()) {
                Arrays.fill(text.array(), '\0');
            }
        }
    }

    private static boolean isOws(char c) {
        return c == ' ' || c == '\t';
    }
}

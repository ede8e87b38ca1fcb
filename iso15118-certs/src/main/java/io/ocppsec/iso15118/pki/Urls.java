package io.ocppsec.iso15118.pki;

import java.net.URI;
import java.util.Locale;
import java.util.Optional;

/**
 * Optional revocation URLs written into an issued certificate: a CRL distribution point
 * (CRLDistributionPoints, fullName URI) and an OCSP responder (AuthorityInformationAccess
 * id-ad-ocsp). ISO 15118-20 wants one of them on every contract-chain certificate [V2G20-2590].
 *
 * @param crlDistributionPoint http(s) URL of the CRL, or null
 * @param ocspResponder        http(s) URL of the OCSP responder, or null
 */
public record Urls(String crlDistributionPoint, String ocspResponder) {

    /** Longest URL accepted (OCPP 2.1 responderURL limit). */
    public static final int MAX_URL_LENGTH = 2000;

    /** No URLs. */
    public static final Urls NONE = new Urls(null, null);

    public Urls {
        check(crlDistributionPoint, "crlDistributionPoint");
        check(ocspResponder, "ocspResponder");
    }

    public static Urls ocsp(String url) {
        return new Urls(null, url);
    }

    public static Urls crl(String url) {
        return new Urls(url, null);
    }

    public Optional<String> crl() {
        return Optional.ofNullable(crlDistributionPoint);
    }

    public Optional<String> ocsp() {
        return Optional.ofNullable(ocspResponder);
    }

    private static void check(String url, String name) {
        if (url == null) {
            return;
        }
        if (url.isEmpty() || url.length() > MAX_URL_LENGTH) {
            throw new IllegalArgumentException(name + ": empty or longer than " + MAX_URL_LENGTH);
        }
        URI uri;
        try {
            uri = URI.create(url);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(name + ": not a URI");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https") || uri.getHost() == null) {
            throw new IllegalArgumentException(name + ": not an http(s) URL with a host");
        }
    }
}

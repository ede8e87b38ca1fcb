package io.ocppsec.pki.ca;

import java.io.IOException;
import javax.security.auth.x500.X500Principal;
import org.bouncycastle.asn1.x500.X500Name;

/** Distinguished names as people read them: RFC 4514 order (CN first), as openssl and the JDK print them. */
public final class Names {
    private Names() {
    }

    public static String rfc4514(X500Name name) {
        try {
            return new X500Principal(name.getEncoded()).getName(X500Principal.RFC2253);
        } catch (IOException e) {
            return name.toString();
        }
    }
}

package io.ocppsec.security.cert;

import io.ocppsec.security.event.SecurityEventType;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1BMPString;
import org.bouncycastle.asn1.ASN1IA5String;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1PrintableString;
import org.bouncycastle.asn1.ASN1T61String;
import org.bouncycastle.asn1.ASN1UTF8String;
import org.bouncycastle.asn1.x500.AttributeTypeAndValue;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.cert.jcajce.JcaX509CertificateHolder;

import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * Binds a security-profile-3 client certificate to the station record: the subject CN must carry
 * the station's unique serial number (A00.FR.405; A00.FR.511 says the CN consists of it) and the
 * subject O must be the CSO's organization or one it trusts (A00.FR.404). OCTT TC_A_08_CSMS uses
 * "CN not equal to the serial number" as an invalid certificate. Path validation and revocation
 * (A00.FR.403, A00.FR.705) are separate steps, done before this one.
 *
 * <p>Real fleets differ, so the rule is configurable ({@link Rules}): the CN may be required to
 * carry the serial number (default), the OCPP identity, or a template such as
 * {@code SN-${serialNumber}}; matched {@link CnMatch#EXACT exactly} (default),
 * {@link CnMatch#CASE_INSENSITIVE case-insensitively}, or with the spec's literal
 * {@link CnMatch#CONTAINS "contains"}. A subject with more than one CN (or O) is always refused:
 * which one would count is exactly the ambiguity an attacker would use.
 *
 * <p>Attribute values may be UTF8String, PrintableString, BMPString, IA5String or TeletexString;
 * any other encoding of CN/O is refused. Refusal details never repeat certificate or station
 * values. A refused certificate is a CSMS-side {@code InvalidChargingStationCertificate} security
 * event (A00.FR.408) and the connection is terminated (A00.FR.407).
 */
public final class ClientCertificateIdentityPolicy {

    /** How the CN is compared with the expected value. */
    public enum CnMatch {
        /** CN equals the expected value exactly (default; A00.FR.511 "consists of"). */
        EXACT,
        /** CN equals the expected value ignoring case. */
        CASE_INSENSITIVE,
        /** CN contains the expected value (A00.FR.405 literally); weaker: serial "12" matches CN "SN-123". */
        CONTAINS
    }

    /**
     * The configuration.
     *
     * @param commonName   the value the CN must carry
     * @param cnMatch      how it is compared
     * @param organization how O is checked
     */
    public record Rules(CommonNameTemplate commonName, CnMatch cnMatch, OrganizationRule organization) {
        public Rules {
            Objects.requireNonNull(commonName, "commonName");
            Objects.requireNonNull(cnMatch, "cnMatch");
            Objects.requireNonNull(organization, "organization");
        }

        /** CN = serial number exactly, O = the station's organization exactly. */
        public static Rules defaults() {
            return new Rules(CommonNameTemplate.SERIAL_NUMBER, CnMatch.EXACT, OrganizationRule.stationOrganization());
        }
    }

    /** Why a certificate is not bound to the station. */
    public enum Reason {
        CERTIFICATE_UNREADABLE("A00.FR.403", "the certificate subject cannot be read"),
        CN_MISSING("A00.FR.511", "the certificate subject has no CN"),
        CN_AMBIGUOUS("A00.FR.511", "the certificate subject has more than one CN"),
        CN_UNSUPPORTED_ENCODING("A00.FR.511", "the certificate CN is not a supported string type"),
        CN_MISMATCH("A00.FR.405", "the certificate CN does not carry the station's expected value"),
        STATION_HAS_NO_SERIAL("A00.FR.405", "the station record has no serial number to compare the CN with"),
        STATION_HAS_NO_IDENTITY("A00.FR.405", "the station record has no identity to compare the CN with"),
        O_MISSING("A00.FR.404", "the certificate subject has no O"),
        O_AMBIGUOUS("A00.FR.404", "the certificate subject has more than one O"),
        O_UNSUPPORTED_ENCODING("A00.FR.404", "the certificate O is not a supported string type"),
        O_MISMATCH("A00.FR.404", "the certificate O is not the station's or a trusted organization"),
        STATION_HAS_NO_ORGANIZATION("A00.FR.404", "the station record has no organization to compare O with");

        private final String requirement;
        private final String detail;

        Reason(String requirement, String detail) {
            this.requirement = requirement;
            this.detail = detail;
        }

        /** The requirement id the check enforces. */
        public String requirement() {
            return requirement;
        }

        /** A human text without any certificate or station values. */
        public String detail() {
            return detail;
        }
    }

    /** The outcome of {@link #bind}. */
    public sealed interface Binding permits Bound, Refused {
    }

    /** The certificate belongs to the station; the values are from the certificate. */
    public record Bound(String commonName, String organization) implements Binding {
    }

    /** Not bound: terminate the connection (A00.FR.407) and log {@link #event()} (A00.FR.408). */
    public record Refused(Reason reason) implements Binding {
        public Refused {
            Objects.requireNonNull(reason, "reason");
        }

        /** A human text without any certificate or station values. */
        public String detail() {
            return reason.detail();
        }

        /** Always {@code InvalidChargingStationCertificate}. */
        public SecurityEventType event() {
            return SecurityEventType.INVALID_CHARGING_STATION_CERTIFICATE;
        }
    }

    private final Rules rules;

    public ClientCertificateIdentityPolicy(Rules rules) {
        this.rules = Objects.requireNonNull(rules, "rules");
    }

    /** With {@link Rules#defaults()}. */
    public static ClientCertificateIdentityPolicy defaults() {
        return new ClientCertificateIdentityPolicy(Rules.defaults());
    }

    public Rules rules() {
        return rules;
    }

    /** Checks the leaf certificate against the station record. Total for any certificate. */
    public Binding bind(X509Certificate leaf, StationFacts station) {
        Objects.requireNonNull(station, "station");
        X500Name subject;
        try {
            subject = new JcaX509CertificateHolder(Objects.requireNonNull(leaf, "leaf")).getSubject();
        } catch (Exception e) {
            return new Refused(Reason.CERTIFICATE_UNREADABLE);
        }
        return bind(subject, station);
    }

    /**
     * Checks a subject name against the station record: the same rule for a client certificate
     * at the handshake and for a CSR at enrollment, so that what the CA issues is what the
     * terminator accepts.
     */
    public Binding bind(X500Name subject, StationFacts station) {
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(station, "station");
        Attribute cn = single(subject, BCStyle.CN);
        if (cn.count == 0) {
            return new Refused(Reason.CN_MISSING);
        }
        if (cn.count > 1) {
            return new Refused(Reason.CN_AMBIGUOUS);
        }
        if (cn.value == null) {
            return new Refused(Reason.CN_UNSUPPORTED_ENCODING);
        }
        CommonNameTemplate template = rules.commonName();
        if (template.usesSerialNumber() && isBlank(station.serialNumber())) {
            return new Refused(Reason.STATION_HAS_NO_SERIAL);
        }
        if (template.usesIdentity() && isBlank(station.identity())) {
            return new Refused(Reason.STATION_HAS_NO_IDENTITY);
        }
        if (!cnMatches(cn.value, template.expand(station))) {
            return new Refused(Reason.CN_MISMATCH);
        }

        Attribute o = single(subject, BCStyle.O);
        if (rules.organization() instanceof OrganizationRule.MatchStation match) {
            if (o.count == 0) {
                return new Refused(Reason.O_MISSING);
            }
            if (o.count > 1) {
                return new Refused(Reason.O_AMBIGUOUS);
            }
            if (o.value == null) {
                return new Refused(Reason.O_UNSUPPORTED_ENCODING);
            }
            boolean trusted = match.additionallyTrusted().contains(o.value);
            if (!trusted && isBlank(station.organization())) {
                return new Refused(Reason.STATION_HAS_NO_ORGANIZATION);
            }
            if (!trusted && !o.value.equals(station.organization())) {
                return new Refused(Reason.O_MISMATCH);
            }
        }
        return new Bound(cn.value, o.count == 1 ? o.value : null);
    }

    private boolean cnMatches(String cn, String expected) {
        return switch (rules.cnMatch()) {
            case EXACT -> cn.equals(expected);
            case CASE_INSENSITIVE -> cn.toLowerCase(Locale.ROOT).equals(expected.toLowerCase(Locale.ROOT));
            case CONTAINS -> cn.contains(expected);
        };
    }

    private static boolean isBlank(String s) {
        return s == null || s.isBlank();
    }

    /** How often an attribute type occurs, and its decoded value if exactly once and decodable. */
    private record Attribute(int count, String value) {
    }

    private static Attribute single(X500Name name, ASN1ObjectIdentifier type) {
        List<ASN1Encodable> values = new ArrayList<>();
        for (RDN rdn : name.getRDNs()) {
            for (AttributeTypeAndValue atv : rdn.getTypesAndValues()) {
                if (type.equals(atv.getType())) {
                    values.add(atv.getValue());
                }
            }
        }
        if (values.size() != 1) {
            return new Attribute(values.size(), null);
        }
        return new Attribute(1, decode(values.get(0)));
    }

    /** The text of a directory string we accept, or null. */
    private static String decode(ASN1Encodable value) {
        if (value instanceof ASN1UTF8String s) {
            return s.getString();
        }
        if (value instanceof ASN1PrintableString s) {
            return s.getString();
        }
        if (value instanceof ASN1BMPString s) {
            return s.getString();
        }
        if (value instanceof ASN1IA5String s) {
            return s.getString();
        }
        if (value instanceof ASN1T61String s) {
            return s.getString();
        }
        return null;
    }
}

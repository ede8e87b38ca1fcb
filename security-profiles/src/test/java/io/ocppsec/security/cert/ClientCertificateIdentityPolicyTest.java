package io.ocppsec.security.cert;

import io.ocppsec.security.cert.ClientCertificateIdentityPolicy.Bound;
import io.ocppsec.security.cert.ClientCertificateIdentityPolicy.CnMatch;
import io.ocppsec.security.cert.ClientCertificateIdentityPolicy.Reason;
import io.ocppsec.security.cert.ClientCertificateIdentityPolicy.Refused;
import io.ocppsec.security.cert.ClientCertificateIdentityPolicy.Rules;
import io.ocppsec.security.event.SecurityEventType;
import io.ocppsec.security.testing.TestPki;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.DERBMPString;
import org.bouncycastle.asn1.DERPrintableString;
import org.bouncycastle.asn1.DERUTF8String;
import org.bouncycastle.asn1.DERUniversalString;
import org.bouncycastle.asn1.x500.AttributeTypeAndValue;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.math.BigInteger;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ClientCertificateIdentityPolicyTest {

    private static KeyPair caKeys;
    private static X509Certificate ca;
    private static KeyPair leafKeys;
    private static long serial = 100;

    private static final StationFacts STATION = new StationFacts("CP-Berlin-7", "SN123456", "ACME Charging GmbH");

    @BeforeAll
    static void pki() {
        caKeys = TestPki.ecKeyPair("secp256r1");
        ca = TestPki.selfSigned("CN=ACME Station CA,O=ACME Charging GmbH", caKeys, BigInteger.ONE);
        leafKeys = TestPki.ecKeyPair("secp256r1");
    }

    /** A leaf whose subject has the given RDNs in order; each RDN is (type, value) pairs (multi-valued if > 1). */
    private static X509Certificate leaf(Object... typeValuePairs) {
        List<RDN> rdns = new ArrayList<>();
        for (int i = 0; i < typeValuePairs.length; i += 2) {
            rdns.add(new RDN(new AttributeTypeAndValue((ASN1ObjectIdentifier) typeValuePairs[i], (ASN1Encodable) typeValuePairs[i + 1])));
        }
        return TestPki.issue(new X500Name(rdns.toArray(new RDN[0])), leafKeys.getPublic(), ca, caKeys.getPrivate(),
                BigInteger.valueOf(serial++));
    }

    private static X509Certificate leaf(String dn) {
        return TestPki.issue(new X500Name(dn), leafKeys.getPublic(), ca, caKeys.getPrivate(), BigInteger.valueOf(serial++));
    }

    private static Reason refused(ClientCertificateIdentityPolicy.Binding b) {
        assertThat(b).isInstanceOf(Refused.class);
        Refused r = (Refused) b;
        assertThat(r.event()).isEqualTo(SecurityEventType.INVALID_CHARGING_STATION_CERTIFICATE);
        assertThat(r.detail()).doesNotContain("SN123456").doesNotContain("ACME").doesNotContain("CP-Berlin");
        return r.reason();
    }

    private final ClientCertificateIdentityPolicy policy = ClientCertificateIdentityPolicy.defaults();

    // A00.FR.511 / A00.FR.405: CN = the station's serial number and O = the CSO name bind the certificate.
    @Test
    void A00_FR_511_cnIsTheSerialNumberAndOIsTheOrganization() {
        assertThat(policy.bind(leaf("CN=SN123456,O=ACME Charging GmbH"), STATION))
                .isEqualTo(new Bound("SN123456", "ACME Charging GmbH"));
        assertThat(policy.rules()).isEqualTo(Rules.defaults());
    }

    // TC_A_08_CSMS / A00.FR.405: a certificate whose CN is not the serial number is refused.
    @Test
    void TC_A_08_CSMS_cnNotEqualToSerialNumberIsRefused() {
        assertThat(refused(policy.bind(leaf("CN=SN999999,O=ACME Charging GmbH"), STATION))).isEqualTo(Reason.CN_MISMATCH);
        assertThat(refused(policy.bind(leaf("CN=sn123456,O=ACME Charging GmbH"), STATION))).isEqualTo(Reason.CN_MISMATCH);
        assertThat(refused(policy.bind(leaf("CN=CP-Berlin-7,O=ACME Charging GmbH"), STATION))).isEqualTo(Reason.CN_MISMATCH);
        assertThat(refused(policy.bind(leaf("CN=SN1234567,O=ACME Charging GmbH"), STATION))).isEqualTo(Reason.CN_MISMATCH);
        assertThat(Reason.CN_MISMATCH.requirement()).isEqualTo("A00.FR.405");
    }

    // A00.FR.405: "CN contains the serial number" literally (CONTAINS), or case-insensitive, when configured.
    @Test
    void A00_FR_405_matchModesAreConfigurable() {
        X509Certificate prefixed = leaf("CN=CS-SN123456-A,O=ACME Charging GmbH");
        assertThat(refused(policy.bind(prefixed, STATION))).isEqualTo(Reason.CN_MISMATCH);
        ClientCertificateIdentityPolicy contains = new ClientCertificateIdentityPolicy(
                new Rules(CommonNameTemplate.SERIAL_NUMBER, CnMatch.CONTAINS, OrganizationRule.stationOrganization()));
        assertThat(contains.bind(prefixed, STATION)).isInstanceOf(Bound.class);

        ClientCertificateIdentityPolicy caseless = new ClientCertificateIdentityPolicy(
                new Rules(CommonNameTemplate.SERIAL_NUMBER, CnMatch.CASE_INSENSITIVE, OrganizationRule.stationOrganization()));
        assertThat(caseless.bind(leaf("CN=sn123456,O=ACME Charging GmbH"), STATION)).isInstanceOf(Bound.class);
        assertThat(refused(caseless.bind(prefixed, STATION))).isEqualTo(Reason.CN_MISMATCH);
    }

    // A00.FR.405 deviations seen in fleets: CN = OCPP identity, or a template around the serial number.
    @Test
    void A00_FR_405_cnSourceIsConfigurable() {
        ClientCertificateIdentityPolicy byIdentity = new ClientCertificateIdentityPolicy(
                new Rules(CommonNameTemplate.IDENTITY, CnMatch.EXACT, OrganizationRule.stationOrganization()));
        assertThat(byIdentity.bind(leaf("CN=CP-Berlin-7,O=ACME Charging GmbH"), STATION)).isInstanceOf(Bound.class);
        assertThat(refused(byIdentity.bind(leaf("CN=SN123456,O=ACME Charging GmbH"), STATION))).isEqualTo(Reason.CN_MISMATCH);
        assertThat(refused(byIdentity.bind(leaf("CN=CP-Berlin-7,O=ACME Charging GmbH"), new StationFacts(null, "SN123456", "ACME Charging GmbH"))))
                .isEqualTo(Reason.STATION_HAS_NO_IDENTITY);

        ClientCertificateIdentityPolicy templated = new ClientCertificateIdentityPolicy(
                new Rules(new CommonNameTemplate("SN-${serialNumber}"), CnMatch.EXACT, OrganizationRule.stationOrganization()));
        assertThat(templated.bind(leaf("CN=SN-SN123456,O=ACME Charging GmbH"), STATION)).isInstanceOf(Bound.class);
        assertThat(refused(templated.bind(leaf("CN=SN123456,O=ACME Charging GmbH"), STATION))).isEqualTo(Reason.CN_MISMATCH);
        assertThatThrownBy(() -> new CommonNameTemplate("${serial}")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new CommonNameTemplate("")).isInstanceOf(IllegalArgumentException.class);
    }

    // A00.FR.405: without a serial number on record, nothing can be compared: refuse.
    @Test
    void A00_FR_405_stationWithoutSerialNumberIsRefused() {
        X509Certificate c = leaf("CN=SN123456,O=ACME Charging GmbH");
        assertThat(refused(policy.bind(c, new StationFacts("CP-Berlin-7", null, "ACME Charging GmbH")))).isEqualTo(Reason.STATION_HAS_NO_SERIAL);
        assertThat(refused(policy.bind(c, new StationFacts("CP-Berlin-7", "  ", "ACME Charging GmbH")))).isEqualTo(Reason.STATION_HAS_NO_SERIAL);
    }

    // A00.FR.511: the subject SHALL contain a CN; none, or more than one, is refused.
    @Test
    void A00_FR_511_missingOrAmbiguousCnIsRefused() {
        assertThat(refused(policy.bind(leaf("O=ACME Charging GmbH,C=DE"), STATION))).isEqualTo(Reason.CN_MISSING);
        assertThat(refused(policy.bind(leaf("CN=SN123456,CN=SN999999,O=ACME Charging GmbH"), STATION))).isEqualTo(Reason.CN_AMBIGUOUS);
        assertThat(refused(policy.bind(leaf("CN=SN123456,CN=SN123456,O=ACME Charging GmbH"), STATION))).isEqualTo(Reason.CN_AMBIGUOUS);
        // A multi-valued RDN carrying a second CN is just as ambiguous.
        RDN multi = new RDN(new AttributeTypeAndValue[] {
                new AttributeTypeAndValue(BCStyle.CN, new DERUTF8String("SN123456")),
                new AttributeTypeAndValue(BCStyle.CN, new DERUTF8String("other"))});
        X509Certificate multiCert = TestPki.issue(new X500Name(new RDN[] {multi,
                        new RDN(BCStyle.O, new DERUTF8String("ACME Charging GmbH"))}),
                leafKeys.getPublic(), ca, caKeys.getPrivate(), BigInteger.valueOf(serial++));
        assertThat(refused(policy.bind(multiCert, STATION))).isEqualTo(Reason.CN_AMBIGUOUS);
    }

    // A00.FR.511: CN as UTF8String, PrintableString or BMPString is read; UniversalString is refused.
    @Test
    void A00_FR_511_directoryStringTypesAreDecoded() {
        for (ASN1Encodable cn : new ASN1Encodable[] {
                new DERUTF8String("SN123456"), new DERPrintableString("SN123456"), new DERBMPString("SN123456")}) {
            X509Certificate c = leaf(BCStyle.CN, cn, BCStyle.O, new DERUTF8String("ACME Charging GmbH"));
            assertThat(policy.bind(c, STATION)).as(cn.getClass().getSimpleName()).isEqualTo(new Bound("SN123456", "ACME Charging GmbH"));
        }
        X509Certificate universal = leaf(BCStyle.CN, new DERUniversalString(utf32("SN123456")),
                BCStyle.O, new DERUTF8String("ACME Charging GmbH"));
        assertThat(refused(policy.bind(universal, STATION))).isEqualTo(Reason.CN_UNSUPPORTED_ENCODING);
        X509Certificate unicode = leaf(BCStyle.CN, new DERUTF8String("SN123456"), BCStyle.O, new DERBMPString("Überladen AG"));
        assertThat(policy.bind(unicode, new StationFacts("x", "SN123456", "Überladen AG"))).isInstanceOf(Bound.class);
    }

    // A00.FR.404: O must be the CSO's organization (or a trusted one); missing, ambiguous or other O is refused.
    @Test
    void A00_FR_404_organizationMustBeTheCsoOrTrusted() {
        assertThat(refused(policy.bind(leaf("CN=SN123456,O=Evil Corp"), STATION))).isEqualTo(Reason.O_MISMATCH);
        assertThat(refused(policy.bind(leaf("CN=SN123456,O=ACME Charging GmbH Evil"), STATION))).isEqualTo(Reason.O_MISMATCH);
        assertThat(refused(policy.bind(leaf("CN=SN123456,O=acme charging gmbh"), STATION))).isEqualTo(Reason.O_MISMATCH);
        assertThat(refused(policy.bind(leaf("CN=SN123456,C=DE"), STATION))).isEqualTo(Reason.O_MISSING);
        assertThat(refused(policy.bind(leaf("CN=SN123456,O=ACME Charging GmbH,O=Evil Corp"), STATION))).isEqualTo(Reason.O_AMBIGUOUS);
        assertThat(refused(policy.bind(leaf("CN=SN123456,O=ACME Charging GmbH"), new StationFacts("x", "SN123456", null))))
                .isEqualTo(Reason.STATION_HAS_NO_ORGANIZATION);
        assertThat(refused(policy.bind(leaf(BCStyle.CN, new DERUTF8String("SN123456"), BCStyle.O, new DERUniversalString(utf32("ACME"))), STATION)))
                .isEqualTo(Reason.O_UNSUPPORTED_ENCODING);
        assertThat(Reason.O_MISMATCH.requirement()).isEqualTo("A00.FR.404");

        ClientCertificateIdentityPolicy trusting = new ClientCertificateIdentityPolicy(new Rules(CommonNameTemplate.SERIAL_NUMBER,
                CnMatch.EXACT, OrganizationRule.stationOrTrusted(Set.of("Trusted Installer Ltd"))));
        assertThat(trusting.bind(leaf("CN=SN123456,O=Trusted Installer Ltd"), STATION))
                .isEqualTo(new Bound("SN123456", "Trusted Installer Ltd"));
        assertThat(trusting.bind(leaf("CN=SN123456,O=ACME Charging GmbH"), STATION)).isInstanceOf(Bound.class);
        assertThat(refused(trusting.bind(leaf("CN=SN123456,O=Evil Corp"), STATION))).isEqualTo(Reason.O_MISMATCH);
    }

    // A00.FR.404 disabled only by an explicit, named choice: then any (or no) O is accepted.
    @Test
    void A00_FR_404_organizationCheckOffOnlyWhenExplicitlyChosen() {
        ClientCertificateIdentityPolicy off = new ClientCertificateIdentityPolicy(
                new Rules(CommonNameTemplate.SERIAL_NUMBER, CnMatch.EXACT, OrganizationRule.notChecked()));
        assertThat(off.bind(leaf("CN=SN123456,O=Anyone"), STATION)).isEqualTo(new Bound("SN123456", "Anyone"));
        assertThat(off.bind(leaf("CN=SN123456,C=DE"), new StationFacts("x", "SN123456", null))).isEqualTo(new Bound("SN123456", null));
        assertThatThrownBy(() -> new Rules(CommonNameTemplate.SERIAL_NUMBER, CnMatch.EXACT, null)).isInstanceOf(NullPointerException.class);
    }

    private static byte[] utf32(String s) {
        return s.getBytes(java.nio.charset.Charset.forName("UTF-32BE"));
    }
}

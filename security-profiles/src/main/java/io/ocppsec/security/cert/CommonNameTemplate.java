package io.ocppsec.security.cert;

import java.util.Objects;

/**
 * Which value the client certificate's CN must carry, as a template over {@link StationFacts}.
 * Placeholders: {@code ${serialNumber}} and {@code ${identity}}; everything else is literal. The
 * spec's rule is the serial number (A00.FR.405 / A00.FR.511, {@link #SERIAL_NUMBER}); fleets differ
 * in practice (e.g. CN = OCPP identity, {@link #IDENTITY}; or a prefix such as {@code SN-${serialNumber}}).
 *
 * @param template the template text
 */
public record CommonNameTemplate(String template) {

    /** CN = the station's serial number (A00.FR.511; the default). */
    public static final CommonNameTemplate SERIAL_NUMBER = new CommonNameTemplate("${serialNumber}");
    /** CN = the station's OCPP identity. */
    public static final CommonNameTemplate IDENTITY = new CommonNameTemplate("${identity}");

    private static final String SERIAL = "${serialNumber}";
    private static final String ID = "${identity}";

    /** @throws IllegalArgumentException for an empty template or an unknown placeholder */
    public CommonNameTemplate {
        Objects.requireNonNull(template, "template");
        if (template.isEmpty()) {
            throw new IllegalArgumentException("empty CN template");
        }
        String rest = template.replace(SERIAL, "").replace(ID, "");
        if (rest.contains("${")) {
            throw new IllegalArgumentException("unknown placeholder in CN template; use ${serialNumber} or ${identity}");
        }
    }

    /** Whether the template needs the station's serial number. */
    public boolean usesSerialNumber() {
        return template.contains(SERIAL);
    }

    /** Whether the template needs the station's identity. */
    public boolean usesIdentity() {
        return template.contains(ID);
    }

    /** The expected CN for a station; the caller has checked that the facts the template uses are present. */
    String expand(StationFacts facts) {
        String out = template;
        if (usesSerialNumber()) {
            out = out.replace(SERIAL, facts.serialNumber());
        }
        if (usesIdentity()) {
            out = out.replace(ID, facts.identity());
        }
        return out;
    }
}

package io.ocppsec.pki.custody.pkcs11;

import io.ocppsec.pki.custody.CustodyException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds the slot ID of a token by its label. The JDK's SunPKCS11 selects tokens only by slot ID
 * or slot list index and offers no public way to read a token's label, so this asks OpenSC's
 * {@code pkcs11-tool --list-token-slots} (which loads the same module, with the same
 * environment). No PIN is involved.
 */
final class TokenLabels {
    private static final Pattern SLOT = Pattern.compile("^Slot \\d+ \\(0x([0-9a-fA-F]+)\\):.*");
    private static final Pattern LABEL = Pattern.compile("^\\s+token label\\s*:\\s?(.*)$");

    private TokenLabels() {}

    /** The slot ID of the token labelled {@code label}, or a {@link CustodyException} saying why not. */
    static long slotOf(Path library, String label, String pkcs11Tool) {
        List<String> cmd = List.of(pkcs11Tool, "--module", library.toString(), "--list-token-slots");
        String out;
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            p.getOutputStream().close();
            byte[] bytes;
            try (InputStream in = p.getInputStream()) {
                bytes = in.readAllBytes();
            }
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new CustodyException("pkcs11-tool did not list the token slots within 30 s");
            }
            out = new String(bytes, StandardCharsets.UTF_8);
            if (p.exitValue() != 0) {
                throw new CustodyException("pkcs11-tool could not list the token slots of " + library + " (exit " + p.exitValue() + ")");
            }
        } catch (IOException e) {
            throw new CustodyException("selecting a PKCS#11 token by label needs OpenSC's pkcs11-tool, which could not be run ("
                    + e.getMessage() + "); configure the slot ID or slot list index instead", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CustodyException("interrupted while listing the PKCS#11 token slots");
        }
        List<Long> matches = slotsLabelled(out, label);
        if (matches.isEmpty()) {
            throw new CustodyException("no PKCS#11 token labelled '" + label + "' in " + library);
        }
        if (matches.size() > 1) {
            throw new CustodyException(matches.size() + " PKCS#11 tokens are labelled '" + label + "' in " + library
                    + "; configure the slot ID instead");
        }
        return matches.get(0);
    }

    /** The slot IDs whose token has {@code label}, read from {@code pkcs11-tool --list-token-slots} output. */
    static List<Long> slotsLabelled(String listing, String label) {
        List<Long> matches = new ArrayList<>();
        Long current = null;
        for (String line : listing.split("\\R")) {
            Matcher s = SLOT.matcher(line);
            if (s.matches()) {
                current = Long.parseUnsignedLong(s.group(1), 16);
                continue;
            }
            Matcher l = LABEL.matcher(line);
            if (l.matches() && current != null && l.group(1).strip().equals(label)) {
                matches.add(current);
            }
        }
        return matches;
    }
}

package io.ocppsec.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.function.Function;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * The options of every command that drives the pki-service API: where it is and where the bearer
 * token is. There is deliberately no {@code --token} option: a token on the command line lands in
 * the shell history and in {@code ps}. The token comes from {@code --token-file}, else the
 * environment ({@code OCPPSEC_TOKEN}, then the file named by {@code OCPPSEC_TOKEN_FILE}), else the
 * admin-token file pki-service writes into {@code <checkout>/data}. It is never printed.
 */
final class ApiOptions {
    static final String DEFAULT_API = "http://127.0.0.1:8080";
    static final String ENV_API = "OCPPSEC_API";
    static final String ENV_TOKEN = "OCPPSEC_TOKEN";
    static final String ENV_TOKEN_FILE = "OCPPSEC_TOKEN_FILE";
    private static final int MAX_TOKEN_FILE_BYTES = 4096;

    /** The environment; replaceable so that tests need not change the real one. */
    static volatile Function<String, String> environment = System::getenv;

    @Spec(Spec.Target.MIXEE)
    CommandSpec mixee;

    @Option(names = "--api", paramLabel = "URL",
            description = "pki-service base URL (default: $OCPPSEC_API, else " + DEFAULT_API + ").")
    String api;

    @Option(names = "--token-file", paramLabel = "FILE",
            description = "File holding the API bearer token (default: $OCPPSEC_TOKEN, else the file named by "
                    + "$OCPPSEC_TOKEN_FILE, else data/admin-token of the checkout, which pki-service writes).")
    Path tokenFile;

    /** A client for the configured API, with the token loaded. */
    ApiClient client() {
        URI base = baseUri();
        Token token = token();
        warnIfCleartext(base);
        return new ApiClient(base, token.value(), token.source());
    }

    URI baseUri() {
        String raw = api != null ? api : env(ENV_API);
        String what = api != null ? "--api" : raw != null ? ENV_API : null;
        if (raw == null) {
            raw = DEFAULT_API;
        }
        raw = raw.strip();
        while (raw.endsWith("/")) {
            raw = raw.substring(0, raw.length() - 1);
        }
        URI uri;
        try {
            uri = new URI(raw);
        } catch (URISyntaxException e) {
            throw new CliException(what + " is not a URL: " + Text.oneLine(raw));
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null
                || uri.getRawQuery() != null || uri.getRawFragment() != null || uri.getRawUserInfo() != null) {
            throw new CliException(what + " must be an http:// or https:// URL without user, query or fragment, "
                    + "e.g. " + DEFAULT_API);
        }
        return uri;
    }

    record Token(String value, String source) {
        @Override
        public String toString() {
            return "Token[source=" + source + "]";
        }
    }

    Token token() {
        if (tokenFile != null) {
            return fromFile(tokenFile, "--token-file");
        }
        String env = env(ENV_TOKEN);
        if (env != null) {
            return new Token(check(env.strip(), "$" + ENV_TOKEN), "$" + ENV_TOKEN);
        }
        String file = env(ENV_TOKEN_FILE);
        if (file != null) {
            return fromFile(Path.of(file), "$" + ENV_TOKEN_FILE);
        }
        return fromFile(Home.dir().resolve("data").resolve("admin-token"), null);
    }

    static Token fromFile(Path file, String givenBy) {
        String name = file.toString();
        if (!Files.exists(file)) {
            throw new CliException(givenBy != null
                    ? "the API token file " + name + " (" + givenBy + ") does not exist"
                    : "no API token: " + name + " does not exist (pki-service writes it on its first start with "
                    + "'./ocppsec up'; otherwise give --token-file or set " + ENV_TOKEN_FILE + ")");
        }
        if (!Files.isRegularFile(file)) {
            throw new CliException("the API token file " + name + " is not a regular file");
        }
        byte[] bytes;
        try (InputStream in = Files.newInputStream(file)) {
            bytes = in.readNBytes(MAX_TOKEN_FILE_BYTES + 1);
        } catch (AccessDeniedException e) {
            throw new CliException("cannot read the API token file " + name + ": permission denied");
        } catch (IOException e) {
            throw new CliException("cannot read the API token file " + name + ": " + Text.oneLine(String.valueOf(e.getMessage())));
        }
        if (bytes.length > MAX_TOKEN_FILE_BYTES) {
            throw new CliException("the API token file " + name + " is larger than " + MAX_TOKEN_FILE_BYTES
                    + " bytes; that is not a token");
        }
        String source = "file " + name;
        return new Token(check(new String(bytes, StandardCharsets.UTF_8).strip(), "the API token file " + name), source);
    }

    /** A bearer token is one line of visible ASCII; say so without echoing what was found. */
    private static String check(String token, String where) {
        if (token.isEmpty()) {
            throw new CliException(where + " is empty");
        }
        for (int i = 0; i < token.length(); i++) {
            char c = token.charAt(i);
            if (c < 0x21 || c > 0x7e) {
                throw new CliException(where + " does not hold a bearer token (one line of visible ASCII characters)");
            }
        }
        return token;
    }

    /** The token travels in the clear over http://; say so when that leaves the machine. */
    private void warnIfCleartext(URI base) {
        if (!sendsTokenInClearToAnotherMachine(base)) {
            return;
        }
        PrintWriter err = mixee == null ? null : mixee.commandLine().getErr();
        if (err != null) {
            err.println("ocppsec: warning: the API token is sent unencrypted to " + base.getHost()
                    + "; use an https:// URL outside this machine");
            err.flush();
        }
    }

    static boolean sendsTokenInClearToAnotherMachine(URI base) {
        return "http".equalsIgnoreCase(base.getScheme()) && !isLoopback(base.getHost());
    }

    private static boolean isLoopback(String host) {
        String h = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        if (h.equalsIgnoreCase("localhost")) {
            return true;
        }
        if (!h.matches("[0-9.]+|[0-9a-fA-F:]+")) {
            return false; // a name: do not resolve it just to decide on a warning
        }
        try {
            return InetAddress.getByName(h).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }

    private static String env(String name) {
        String v = environment.apply(name);
        return v == null || v.isBlank() ? null : v;
    }
}

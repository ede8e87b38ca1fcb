package io.ocppsec.cli;

import io.ocppsec.simulator.SimulatedStation;
import io.ocppsec.simulator.SimulatorConfig;
import io.ocppsec.simulator.StationEvent;
import io.ocppsec.simulator.StationState;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code ./ocppsec station simulate ID}: a simulated OCPP 2.0.1/2.1 Charging Station over a real
 * WebSocket (see docs/station-simulator.md). It prints each event on a line and runs until Ctrl-C,
 * or with {@code --once} until the BootNotification on its final profile is accepted.
 */
@Command(name = "simulate", mixinStandardHelpOptions = true,
        description = {"Run a simulated charging station against the terminator (or any CSMS): connect, boot, enroll a "
                + "certificate and move to security profile 3, then stay online with heartbeats. Each event is printed "
                + "on a line; Ctrl-C stops it.",
                "Without --profile: profile 2 with the password, enroll (SignCertificate / CertificateSigned) unless the "
                        + "state directory holds a certificate, then profile 3 with it."})
final class SimulateCommand implements Callable<Integer> {
    private static final int MAX_PASSWORD_FILE_BYTES = 1024;
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss.SSS");

    @Parameters(index = "0", paramLabel = "ID", description = "The station identity.")
    String identity;

    @Option(names = "--profile", paramLabel = "1|2|3",
            description = "Stay on this security profile (3 needs a certificate in the state directory). Default: 2, "
                    + "enroll, then 3.")
    Integer profile;

    @Option(names = "--url", paramLabel = "URL", defaultValue = "wss://localhost:8443/ocpp",
            description = "CSMS endpoint without the identity (ws:// for profile 1). Default: ${DEFAULT-VALUE}.")
    String url;

    @Option(names = "--password", paramLabel = "P",
            description = "Basic-auth password for profiles 1 and 2 (visible in 'ps' and the shell history: prefer "
                    + "--password-file).")
    String password;

    @Option(names = "--password-file", paramLabel = "FILE",
            description = "File (or - for standard input) holding the Basic-auth password on one line.")
    Path passwordFile;

    @Option(names = "--ca", paramLabel = "FILE",
            description = "PEM file of the CSMS root(s) to trust for wss:// (default: data/tls/csms-root.pem, written by "
                    + "'./ocppsec up').")
    Path caFile;

    @Option(names = "--state", paramLabel = "DIR",
            description = "Where the station keeps its key, certificate chain and changed password (default: "
                    + "data/simulator/ID).")
    Path stateDir;

    @Option(names = "--serial", paramLabel = "SN",
            description = "Serial number (BootNotification, and the CN of the certificate requested). Default: the station's "
                    + "record in pki-service, else the identity.")
    String serial;

    @Option(names = "--organization", paramLabel = "O",
            description = "The O of the certificate requested. Default: the station's record in pki-service.")
    String organization;

    @Option(names = "--heartbeat", paramLabel = "SECONDS",
            description = "Heartbeat interval to use instead of the one the CSMS returns.")
    Integer heartbeatSeconds;

    @Option(names = "--once",
            description = "Exit 0 once the BootNotification on the final profile is accepted (exit 1 on the first failure); "
                    + "for scripts and tests.")
    boolean once;

    @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "120",
            description = "With --once: give up after this long (default: ${DEFAULT-VALUE}).")
    int timeoutSeconds;

    @picocli.CommandLine.Mixin
    ApiOptions api;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    /**
     * Fills in the serial number and organization from the station's record in pki-service when
     * they are not given (the CA puts the record's values in the certificate, so the CSR must
     * match them); without pki-service the options' defaults stay.
     */
    private void defaultsFromRecord() {
        if (serial != null && organization != null) {
            return;
        }
        try {
            tools.jackson.databind.JsonNode station = api.client().get("/api/v1/stations/"
                    + ApiClient.segment(identity, "station identity"), "station");
            if (serial == null && station.hasNonNull("serialNumber")) {
                serial = station.path("serialNumber").asString();
            }
            if (organization == null && station.hasNonNull("organization")) {
                organization = station.path("organization").asString();
            }
        } catch (RuntimeException e) {
            spec.commandLine().getErr().println("ocppsec: note: the station's record could not be read from pki-service ("
                    + Text.oneLine(e.getMessage()) + "); using --serial/--organization or their defaults");
            spec.commandLine().getErr().flush();
        }
    }

    @Override
    public Integer call() throws Exception {
        StationCommand.checkProfile(profile);
        if (password != null && passwordFile != null) {
            throw new CliException("give --password or --password-file, not both");
        }
        if (heartbeatSeconds != null && heartbeatSeconds < 1) {
            throw new CliException("--heartbeat must be at least 1 second");
        }
        if (timeoutSeconds < 1) {
            throw new CliException("--timeout must be at least 1 second");
        }
        Path data = Home.dir().resolve("data");
        Path state = (stateDir != null ? stateDir : data.resolve("simulator").resolve(safeDirectoryName(identity)))
                .toAbsolutePath().normalize();
        StationState stored;
        try {
            stored = StationState.inDirectory(state);
        } catch (RuntimeException e) {
            throw new CliException("the state directory " + state + " cannot be used: " + Text.oneLine(e.getMessage()));
        }
        boolean hasCertificate = stored.credentials().isPresent();
        boolean upgrade = profile == null;
        int first = profile != null ? profile : 2;
        if (profile != null && profile == 3 && !hasCertificate) {
            throw new CliException("profile 3 needs a client certificate and " + state + " holds none; run without "
                    + "--profile to enroll over profile 2 first");
        }
        boolean needsPassword = first < 3 && !(upgrade && hasCertificate);
        char[] pw = readPassword();
        if (needsPassword && pw == null && stored.password().isEmpty()) {
            throw new CliException("profile " + first + " needs the station's Basic-auth password: give --password-file FILE "
                    + "or --password");
        }
        if (password != null) {
            spec.commandLine().getErr().println("ocppsec: note: a password given with --password is visible in 'ps' "
                    + "and the shell history; prefer --password-file");
            spec.commandLine().getErr().flush();
        }

        defaultsFromRecord();
        SimulatorConfig config;
        try {
            SimulatorConfig.Builder b = SimulatorConfig.builder(url, identity)
                    .stateDirectory(state)
                    .organization(organization)
                    .reconnect(!once);
            if (upgrade) {
                b.enrollAndUpgrade();
            } else {
                b.securityProfile(profile);
            }
            if (serial != null) {
                b.serialNumber(serial);
            }
            if (pw != null) {
                b.password(pw);
            }
            if (heartbeatSeconds != null) {
                b.heartbeatInterval(Duration.ofSeconds(heartbeatSeconds));
            }
            if (url.regionMatches(true, 0, "wss:", 0, 4)) {
                Path ca = caFile != null ? caFile : data.resolve("tls").resolve("csms-root.pem");
                if (!Files.isRegularFile(ca)) {
                    throw new CliException("no CSMS root certificate at " + ca + " (it is written by './ocppsec up'); give "
                            + "--ca FILE");
                }
                b.trustAnchors(ca);
            }
            config = b.build();
        } catch (IllegalArgumentException | java.io.UncheckedIOException e) {
            throw new CliException(Text.oneLine(e.getMessage()));
        } finally {
            if (pw != null) {
                Arrays.fill(pw, '\0');
            }
        }

        PrintStream out = System.out;
        String prefix = "[" + Text.oneLine(identity) + "] ";
        SimulatedStation station;
        try {
            station = SimulatedStation.builder(config)
                    .state(stored)
                    .listener(e -> print(out, prefix, e))
                    .build();
        } catch (RuntimeException e) {
            throw new CliException(Text.oneLine(e.getMessage()));
        }
        if (once) {
            try (station) {
                station.start().get(timeoutSeconds, TimeUnit.SECONDS);
                return 0;
            } catch (ExecutionException e) {
                Throwable cause = e.getCause() == null ? e : e.getCause();
                throw new CliException(CliException.REFUSED, "station " + Text.oneLine(identity) + ": "
                        + Text.oneLine(String.valueOf(cause.getMessage())));
            } catch (TimeoutException e) {
                throw new CliException(CliException.REFUSED, "station " + Text.oneLine(identity)
                        + ": not online on its final profile within " + timeoutSeconds + " s");
            }
        }
        Thread stopper = new Thread(station::close, "ocppsec-simulator-stop");
        Runtime.getRuntime().addShutdownHook(stopper);
        out.println(prefix + "simulating " + config.stationUrl() + " (state in " + state + "); press Ctrl-C to stop");
        station.start();
        station.stopped().join();
        try {
            Runtime.getRuntime().removeShutdownHook(stopper);
        } catch (IllegalStateException shuttingDown) {
            // the hook is running already
        }
        station.close();
        return 0;
    }

    private static void print(PrintStream out, String prefix, StationEvent e) {
        out.println(LocalTime.now().format(TIME) + " " + prefix + Text.oneLine(e.describe()));
        out.flush();
    }

    private char[] readPassword() {
        if (password != null) {
            return password.toCharArray();
        }
        if (passwordFile == null) {
            return null;
        }
        byte[] bytes = CliFiles.read(passwordFile, MAX_PASSWORD_FILE_BYTES, "a password");
        try {
            String s = new String(bytes, StandardCharsets.UTF_8);
            int nl = s.indexOf('\n');
            if (nl >= 0) {
                if (!s.substring(nl + 1).isBlank()) {
                    throw new CliException("the password file must hold the password on one line");
                }
                s = s.substring(0, nl);
            }
            if (s.endsWith("\r")) {
                s = s.substring(0, s.length() - 1);
            }
            if (s.isEmpty()) {
                throw new CliException("the password file " + passwordFile + " is empty");
            }
            return s.toCharArray();
        } finally {
            Arrays.fill(bytes, (byte) 0);
        }
    }

    /** The identity as a directory name: characters a file system may not like become '_'. */
    static String safeDirectoryName(String identity) {
        String s = identity.replaceAll("[^A-Za-z0-9._@=+-]", "_");
        return s.isEmpty() || s.startsWith(".") ? "_" + s : s;
    }
}

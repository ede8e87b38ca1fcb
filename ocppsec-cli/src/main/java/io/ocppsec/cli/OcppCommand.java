package io.ocppsec.cli;

import io.ocppsec.ocpp.OcppVersion;
import io.ocppsec.ocpp.message.Action;
import io.ocppsec.ocpp.message.Decoded;
import io.ocppsec.ocpp.message.OcppActions;
import io.ocppsec.ocpp.message.OcppCodec;
import io.ocppsec.ocpp.rpc.FrameReader;
import io.ocppsec.ocpp.rpc.FrameWriter;
import io.ocppsec.ocpp.rpc.ReadResult;
import io.ocppsec.ocpp.rpc.RpcFrame;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code ./ocppsec ocpp ...}: offline tools for OCPP-J messages. */
@Command(name = "ocpp", mixinStandardHelpOptions = true,
        description = "Offline tools for OCPP-J messages.",
        subcommands = {OcppCommand.Validate.class})
final class OcppCommand implements Runnable {

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    enum Version {
        V2_0_1("2.0.1", OcppVersion.OCPP_2_0_1), V2_1("2.1", OcppVersion.OCPP_2_1);

        final String label;
        final OcppVersion version;

        Version(String label, OcppVersion version) {
            this.label = label;
            this.version = version;
        }

        static Version parse(String s) {
            String t = s.startsWith("ocpp") ? s.substring(4) : s;
            for (Version v : values()) {
                if (v.label.equals(t)) {
                    return v;
                }
            }
            throw new IllegalArgumentException("expected 2.0.1 or 2.1");
        }
    }

    /** Checks one OCPP-J frame; exit status 0 when valid, 1 when not. */
    @Command(name = "validate", mixinStandardHelpOptions = true,
            description = {"Check an OCPP-J frame against the rules ocppsec enforces on the wire.",
                    "Prints the verdict and the CALLERROR a station would get; exits 0 only when valid."})
    static final class Validate implements Callable<Integer> {
        /** Larger than any frame the reader accepts, so an oversized frame gets the reader's verdict. */
        private static final int MAX_FRAME_FILE = 4 * 1024 * 1024;

        @Option(names = "--ocpp-version", required = true, paramLabel = "VERSION", converter = VersionConverter.class,
                description = "2.0.1 or 2.1.")
        Version version;

        @Parameters(index = "0", defaultValue = "-", paramLabel = "FILE", description = "File holding the frame, or - for standard input.")
        String file;

        @Override
        public Integer call() {
            byte[] frame = CliFiles.read(Path.of(file), MAX_FRAME_FILE, "an OCPP frame");
            OcppVersion v = version.version;
            ReadResult r = new FrameReader(v).read(frame);
            FrameWriter writer = new FrameWriter(v);
            if (r instanceof ReadResult.Rejected rej) {
                System.out.println("invalid: " + rej.code() + " - " + rej.reason());
                rej.reply().ifPresentOrElse(reply -> System.out.println("reply:   " + writer.writeString(reply)),
                        () -> System.out.println("reply:   none (the specification says to drop it)"));
                return 1;
            }
            RpcFrame f = ((ReadResult.Accepted) r).frame();
            if (f instanceof RpcFrame.Call call) {
                Optional<Action> action = Action.fromWire(call.action()).filter(a -> a.existsIn(v));
                if (action.isEmpty()) {
                    if (!OcppActions.isCallAction(v, call.action())) {
                        System.out.println("invalid: NotImplemented - " + call.action() + " is not an action of " + v);
                        return 1;
                    }
                    System.out.println("valid frame: CALL " + call.action() + " (payload rules of this action are not checked by ocppsec)");
                    return 0;
                }
                Decoded<?> d = OcppCodec.of(v).decodeRequest(action.get(), call.payload());
                if (d instanceof Decoded.Invalid<?> inv) {
                    System.out.println("invalid: " + inv.violation().code() + " - " + inv.violation().describe());
                    System.out.println("reply:   " + writer.writeString(FrameWriter.callErrorFor(call.messageId(), inv.violation())));
                    return 1;
                }
                System.out.println("valid: CALL " + call.action() + " (" + v + ")");
                return 0;
            }
            System.out.println("valid frame: " + f.type() + " " + f.messageId());
            return 0;
        }
    }

    static final class VersionConverter implements picocli.CommandLine.ITypeConverter<Version> {
        @Override
        public Version convert(String value) {
            return Version.parse(value);
        }
    }
}

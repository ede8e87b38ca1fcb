package io.ocppsec.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code ./ocppsec}: the operator command line. {@code up} runs the services; the other commands
 * work offline on files or drive the API of a running pki-service.
 */
@Command(name = "ocppsec",
        mixinStandardHelpOptions = true,
        versionProvider = Main.Version.class,
        description = "OCPP 2.0.1/2.1 security and Plug & Charge service.",
        subcommands = {
                UpCommand.class,
                OcppCommand.class,
                StationCommand.class,
                CertCommand.class,
                CaCommand.class,
                AuditCommand.class,
                TokenCommand.class,
                PasswordCommand.class,
                SecurityEventsCommand.class,
                FleetCommand.class,
                PncCommand.class,
                FirmwareCommand.class,
                CommandLine.HelpCommand.class
        },
        footer = {"", "Run './ocppsec COMMAND --help' for the options of a command."})
public final class Main implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new Main());
        cl.setCaseInsensitiveEnumValuesAllowed(true);
        // "@FILE" is ours to read (station call --payload @FILE), not picocli's argument-file syntax.
        cl.setExpandAtFiles(false);
        cl.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
            if (ex instanceof CliException cli) {
                commandLine.getErr().println("ocppsec: " + cli.getMessage());
                return cli.exitCode();
            }
            throw ex;
        });
        CommandLine.IParameterExceptionHandler usage = cl.getParameterExceptionHandler();
        cl.setParameterExceptionHandler((ex, args) -> {
            if (ex instanceof CommandLine.UnmatchedArgumentException unmatched && unmatched.getUnmatched().stream()
                    .anyMatch(a -> a.equals("--token") || a.startsWith("--token="))) {
                // say why, without echoing what followed it
                ex.getCommandLine().getErr().println("ocppsec: there is no --token option: a token on the command line "
                        + "lands in the shell history and in 'ps'; use --token-file FILE or the environment variable "
                        + ApiOptions.ENV_TOKEN);
                return CliException.FAILED;
            }
            return usage.handleParseException(ex, args);
        });
        return cl;
    }

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Main.class.getPackage().getImplementationVersion();
            return new String[] {"ocppsec " + (v == null ? "development build" : v)};
        }
    }
}

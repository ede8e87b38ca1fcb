package io.ocppsec.cli;

import io.ocppsec.security.auth.PasswordGenerator;
import io.ocppsec.security.auth.PasswordPolicy;
import java.util.Arrays;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code ./ocppsec password ...}: Basic-auth passwords (security profiles 1 and 2). */
@Command(name = "password", mixinStandardHelpOptions = true, description = "Basic-auth passwords for security profiles 1 and 2.",
        subcommands = {PasswordCommand.Generate.class})
final class PasswordCommand implements Runnable {

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    @Command(name = "generate", mixinStandardHelpOptions = true,
            description = {"Print a random BasicAuthPassword (A00.FR.205, A01.FR.06/07) from the strict passwordString",
                    "alphabet, which every OCPP 2.0.1 and 2.1 station accepts."})
    static final class Generate implements Callable<Integer> {

        @Option(names = "--length", paramLabel = "N", defaultValue = "32",
                description = "Length, 16 to 40 (2.0.1) or up to the station's maxLimit of at most 64 (default: ${DEFAULT-VALUE}).")
        int length;

        @Override
        public Integer call() {
            if (length < PasswordPolicy.MIN_LENGTH || length > PasswordPolicy.MAX_LIMIT_CEILING) {
                throw new CliException("--length must be between " + PasswordPolicy.MIN_LENGTH + " and "
                        + PasswordPolicy.MAX_LIMIT_CEILING);
            }
            PasswordPolicy policy = length <= PasswordPolicy.MAX_LENGTH_201 ? PasswordPolicy.ocpp201() : PasswordPolicy.ocpp21();
            char[] password = new PasswordGenerator(policy, length).generate();
            System.out.println(password);
            Arrays.fill(password, '\0');
            if (length > PasswordPolicy.MAX_LENGTH_201) {
                System.err.println("note: longer than 40 characters; only for stations whose BasicAuthPassword maxLimit allows it");
            }
            return 0;
        }
    }
}

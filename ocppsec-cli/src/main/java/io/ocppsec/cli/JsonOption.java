package io.ocppsec.cli;

import picocli.CommandLine.Option;

/** {@code --json}: print the API's JSON answer (pretty) instead of tables. */
final class JsonOption {
    @Option(names = "--json", order = 99, description = "Print the API's JSON answer (pretty) instead of a table.")
    boolean json;
}

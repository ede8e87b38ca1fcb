package io.ocppsec.terminator;

/** {@code java -jar tls-terminator.jar [--config=FILE] [--name=value ...]}; see docs/tls-terminator.md. */
public final class TerminatorMain {
    private TerminatorMain() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length == 1 && (args[0].equals("--help") || args[0].equals("-h"))) {
            System.out.println("usage: tls-terminator [--config=FILE] [--name=value ...]\nsettings (default):");
            TerminatorConfig.NAMES.forEach((n, d) -> System.out.println("  --" + n + "=" + (d == null ? "" : d)));
            return;
        }
        TerminatorConfig config;
        try {
            config = TerminatorConfig.fromArgs(args);
        } catch (IllegalArgumentException e) {
            System.err.println("tls-terminator: " + e.getMessage());
            System.exit(2);
            return;
        }
        Terminator t = new Terminator(config);
        try {
            t.start();
        } catch (Exception e) {
            // e.g. a port in use: say so and exit, rather than live on without a listener
            System.err.println("tls-terminator: cannot start: " + e.getMessage());
            t.stop();
            System.exit(2);
            return;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(t::stop, "terminator-drain"));
        Thread.currentThread().join();
    }
}

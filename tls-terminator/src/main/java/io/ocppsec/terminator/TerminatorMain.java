package io.ocppsec.terminator;

/** {@code java -jar tls-terminator.jar [--config=FILE] [--name=value ...]}; see docs/tls-terminator.md. */
public final class TerminatorMain {
    private TerminatorMain() {
    }

    /**
     * With one or two CPUs (a pinned process, a container limited to one CPU) the common
     * fork-join pool has a parallelism below 2, and CompletableFuture's default async executor is
     * then a new thread per task. The JDK HttpClient (the terminator's pki-service client before
     * {@code PkiHttp}) handed every completed response to that executor, so each lookup started a
     * thread: 62,362 threads in a 19,500-station reconnect storm (docs/benchmarks.md). Nothing in the
     * terminator relies on that executor now; two workers keep any library that does from starting a
     * thread per task. The property must be set before the pool is first used, and an operator's own
     * setting wins.
     */
    static void ensureAsyncPool() {
        String property = "java.util.concurrent.ForkJoinPool.common.parallelism";
        if (System.getProperty(property) == null && Runtime.getRuntime().availableProcessors() <= 2) {
            System.setProperty(property, "2");
        }
    }

    public static void main(String[] args) throws Exception {
        ensureAsyncPool();
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

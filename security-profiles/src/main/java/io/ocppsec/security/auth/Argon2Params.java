package io.ocppsec.security.auth;

/**
 * Argon2id cost parameters for {@link PasswordHasher}.
 *
 * @param memoryKiB   memory cost m in KiB (at least 8 × parallelism, as Argon2 requires)
 * @param iterations  time cost t (passes over memory), at least 1
 * @param parallelism lanes p, at least 1
 */
public record Argon2Params(int memoryKiB, int iterations, int parallelism) {

    /** OWASP Password Storage Cheat Sheet minimum for Argon2id: m=19 MiB, t=2, p=1. */
    public static final Argon2Params OWASP_MINIMUM = new Argon2Params(19 * 1024, 2, 1);

    /** Largest memory cost we will ever run, also for a stored hash: 1 GiB. */
    public static final int MAX_MEMORY_KIB = 1024 * 1024;
    /** Largest time cost we will ever run. */
    public static final int MAX_ITERATIONS = 100;
    /** Largest parallelism we will ever run. */
    public static final int MAX_PARALLELISM = 16;

    /** @throws IllegalArgumentException if a parameter is outside the bounds above */
    public Argon2Params {
        String problem = problem(memoryKiB, iterations, parallelism);
        if (problem != null) {
            throw new IllegalArgumentException(problem);
        }
    }

    /** Whether the values are acceptable, without throwing (used on stored strings). */
    static boolean acceptable(long memoryKiB, long iterations, long parallelism) {
        return memoryKiB <= Integer.MAX_VALUE && iterations <= Integer.MAX_VALUE && parallelism <= Integer.MAX_VALUE
                && problem((int) memoryKiB, (int) iterations, (int) parallelism) == null;
    }

    private static String problem(int memoryKiB, int iterations, int parallelism) {
        if (parallelism < 1 || parallelism > MAX_PARALLELISM) {
            return "parallelism must be 1.." + MAX_PARALLELISM;
        }
        if (iterations < 1 || iterations > MAX_ITERATIONS) {
            return "iterations must be 1.." + MAX_ITERATIONS;
        }
        if (memoryKiB < 8 * parallelism || memoryKiB > MAX_MEMORY_KIB) {
            return "memory must be 8*parallelism.." + MAX_MEMORY_KIB + " KiB";
        }
        return null;
    }
}

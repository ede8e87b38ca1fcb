package io.ocppsec.cli;

import java.nio.file.Files;
import java.nio.file.Path;

/** Where the ocppsec checkout (or installation) is: set by the launcher, else the working directory. */
final class Home {
    private Home() {
    }

    static Path dir() {
        String home = System.getProperty("ocppsec.home");
        return (home == null || home.isBlank() ? Path.of("") : Path.of(home)).toAbsolutePath().normalize();
    }

    static Path jar(String module) {
        Path jar = dir().resolve(module).resolve("target").resolve(module + ".jar");
        if (!Files.isRegularFile(jar)) {
            throw new CliException(module + " is not built (" + jar + " is missing); run ./ocppsec again from the "
                    + "checkout, or ./mvnw -DskipTests package");
        }
        return jar;
    }

    /** The java executable of this JVM, so that child services run on the same JDK. */
    static String javaExecutable() {
        return ProcessHandle.current().info().command().orElse("java");
    }
}

package io.ocppsec.cli;

/** Entry point of {@code ./ocppsec}. */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        System.out.println("ocppsec");
    }
}

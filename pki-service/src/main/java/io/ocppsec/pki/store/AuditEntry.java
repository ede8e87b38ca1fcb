package io.ocppsec.pki.store;

/**
 * One thing to put on the audit record: who did what to what, and whether it was done or
 * refused (with a machine-readable reason). {@code details} is short JSON or text and never holds
 * secrets.
 */
public record AuditEntry(String actor, String action, String subject, Outcome outcome, String reason, String details) {

    public enum Outcome { OK, REFUSED }

    public AuditEntry {
        if (actor == null || actor.isBlank()) {
            actor = "system";
        }
        actor = cut(actor, 128);
        action = cut(action, 64);
        subject = subject == null ? null : cut(subject, 256);
        reason = reason == null ? null : cut(reason, 64);
        details = details == null ? null : cut(details, 4000);
    }

    public static AuditEntry ok(String actor, String action, String subject, String details) {
        return new AuditEntry(actor, action, subject, Outcome.OK, null, details);
    }

    public static AuditEntry refused(String actor, String action, String subject, String reason, String details) {
        return new AuditEntry(actor, action, subject, Outcome.REFUSED, reason, details);
    }

    private static String cut(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max);
    }
}

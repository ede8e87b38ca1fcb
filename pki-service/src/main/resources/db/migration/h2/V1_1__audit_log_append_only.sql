-- The audit log is append-only: the database refuses updates and deletes, whoever asks.
create trigger audit_log_no_update before update on audit_log for each row call "io.ocppsec.pki.store.AppendOnlyTrigger";
create trigger audit_log_no_delete before delete on audit_log for each row call "io.ocppsec.pki.store.AppendOnlyTrigger";

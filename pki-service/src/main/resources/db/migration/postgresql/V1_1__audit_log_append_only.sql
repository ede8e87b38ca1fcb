-- The audit log is append-only: the database refuses updates and deletes, whoever asks.
create function ocppsec_audit_log_append_only() returns trigger as $$
begin
    raise exception 'audit_log is append-only (% refused)', tg_op;
end;
$$ language plpgsql;

create trigger audit_log_append_only
    before update or delete on audit_log
    for each row execute function ocppsec_audit_log_append_only();

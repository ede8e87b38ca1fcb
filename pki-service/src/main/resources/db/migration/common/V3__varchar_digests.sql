-- Digest columns become varchar(64). As char(64) (bpchar), PostgreSQL compared them with the
-- varchar parameters the JDBC driver sends by casting the column, so lookups by digest could not
-- use their unique indexes: the idempotency lookup of a CSR read every certificate of the station
-- (measured in docs/benchmarks.md, issue 3). The values are always exactly 64 hex digits, so
-- nothing changes but the type. audit_log/audit_head keep char(64): they are read by seq, never
-- looked up by hash.
alter table issued_certificate alter column csr_sha256 set data type varchar(64);
alter table api_token alter column token_sha256 set data type varchar(64);
alter table ca_certificate alter column sha256 set data type varchar(64);

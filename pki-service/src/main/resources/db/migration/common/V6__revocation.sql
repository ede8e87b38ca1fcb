-- Revocation (issue 5): CRL numbers per issuing CA and a revision counter that tells every
-- pki-service instance on the same database which revocations it has not yet seen.

-- The last CRL number handed out per issuing CA (RFC 5280 §5.2.3: monotonically increasing).
-- Incremented under the row lock, so instances sharing one PostgreSQL never reuse a number.
create table crl_state (
    issuer_id  varchar(64) primary key references ca_certificate (id),
    crl_number bigint      not null
);

-- One row: bumped by every revocation in the revoking transaction.
create table revocation_state (
    id       int    primary key,
    revision bigint not null
);
insert into revocation_state (id, revision) values (1, 0);

-- The revision a certificate was revoked at (null while valid): others poll for revision > seen.
alter table issued_certificate add column revoked_revision bigint;
create index issued_certificate_revoked_revision on issued_certificate (revoked_revision);

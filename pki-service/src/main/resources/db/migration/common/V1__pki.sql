-- ocppsec pki-service schema. Portable between H2 (embedded default) and PostgreSQL.
-- Timestamps are UTC instants ("timestamp with time zone").

-- The CA's own certificates: roots, issuing sub-CAs, OCSP signers, server certificates.
-- Keys are never here: key_backend/key_id name them in the custody backend.
create table ca_certificate (
    id              varchar(64)   primary key,
    role            varchar(32)   not null,
    status          varchar(16)   not null,
    subject         varchar(1024) not null,
    serial          varchar(40)   not null,
    sha256          char(64)      not null,
    parent_id       varchar(64),
    key_backend     varchar(16),
    key_id          varchar(128),
    key_algorithm   varchar(16)   not null,
    not_before      timestamp with time zone not null,
    not_after       timestamp with time zone not null,
    certificate_pem varchar(16000) not null,
    created_at      timestamp with time zone not null,
    constraint ca_certificate_sha256 unique (sha256)
);
create index ca_certificate_role on ca_certificate (role, status);

-- Registered charging stations. identity_key is the case-folded identity (identifierString is
-- case-insensitive); identity keeps the spelling used at registration.
create table station (
    identity_key          varchar(48)  primary key,
    identity              varchar(48)  not null,
    serial_number         varchar(64),
    security_profile      smallint     not null,
    profile_floor         smallint     not null,
    organization          varchar(64)  not null,
    certificate_types     varchar(128) not null,
    secc_ids              varchar(2048),
    password_hash         varchar(512),
    pending_password_hash varchar(512),
    pending_since         timestamp with time zone,
    enabled               boolean      not null,
    created_at            timestamp with time zone not null,
    updated_at            timestamp with time zone not null,
    version               bigint       not null
);

-- Every certificate issued to a station. serial is lower-case hex without leading zeroes.
create table issued_certificate (
    serial            varchar(40)   primary key,
    issuer_id         varchar(64)   not null references ca_certificate (id),
    station_key       varchar(48),
    certificate_type  varchar(32)   not null,
    subject           varchar(1024) not null,
    not_before        timestamp with time zone not null,
    not_after         timestamp with time zone not null,
    status            varchar(16)   not null,
    revoked_at        timestamp with time zone,
    revocation_reason varchar(32),
    csr_sha256        char(64)      not null,
    request_id        bigint,
    requester         varchar(128)  not null,
    certificate_pem   varchar(16000) not null,
    issued_at         timestamp with time zone not null,
    -- Idempotency: one certificate per CSR (its DER hash) per station and type. The OCPP 2.1
    -- requestId is indexed, not unique: station counters restart after a reboot.
    constraint issued_certificate_csr unique (station_key, certificate_type, csr_sha256)
);
create index issued_certificate_request on issued_certificate (station_key, request_id);
create index issued_certificate_station on issued_certificate (station_key, issued_at);
create index issued_certificate_expiry on issued_certificate (not_after);

-- API bearer tokens, stored as SHA-256 of the token (the tokens are 256-bit random values).
create table api_token (
    id           varchar(32)  primary key,
    name         varchar(128) not null,
    role         varchar(16)  not null,
    token_sha256 char(64)     not null,
    created_at   timestamp with time zone not null,
    revoked_at   timestamp with time zone,
    constraint api_token_hash unique (token_sha256)
);

-- Append-only, hash-chained audit log: hash = SHA-256 over the previous hash and this record.
create table audit_log (
    seq       bigint        primary key,
    at        timestamp with time zone not null,
    actor     varchar(128)  not null,
    action    varchar(64)   not null,
    subject   varchar(256),
    outcome   varchar(16)   not null,
    reason    varchar(64),
    details   varchar(4000),
    prev_hash char(64)      not null,
    hash      char(64)      not null
);

-- The head of the audit chain; writers lock this row so that appends from any number of
-- pki-service instances form one chain.
create table audit_head (
    id   smallint primary key,
    seq  bigint   not null,
    hash char(64) not null
);
insert into audit_head (id, seq, hash) values (1, 0, '0000000000000000000000000000000000000000000000000000000000000000');

-- Sub-CA keys waiting for their certificate from an offline root (the CSR flow).
create table ca_pending_key (
    id            varchar(64)   primary key,
    subject       varchar(1024) not null,
    key_backend   varchar(16)   not null,
    key_id        varchar(128)  not null,
    key_algorithm varchar(16)   not null,
    csr_pem       varchar(16000) not null,
    created_at    timestamp with time zone not null
);

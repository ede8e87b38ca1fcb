-- Staged CSMS root rotation (M05). A prepared rotation holds the new root and the link certificate
-- (the new root's key certified by the old root) until it is activated; only then does the new
-- root enter ca_certificate. The key is in the custody backend (key_backend/key_id), never here.
create table root_rotation (
    id               varchar(64)    primary key,
    state            varchar(16)    not null,
    old_root_id      varchar(64)    not null references ca_certificate (id),
    new_root_id      varchar(64)    not null,
    new_root_subject varchar(1024)  not null,
    new_root_sha256  char(64)       not null,
    new_root_pem     varchar(16000) not null,
    key_backend      varchar(16)    not null,
    key_id           varchar(128)   not null,
    key_algorithm    varchar(16)    not null,
    link_sha256      char(64)       not null,
    link_pem         varchar(16000) not null,
    prepared_by      varchar(128)   not null,
    prepared_at      timestamp with time zone not null,
    finished_by      varchar(128),
    finished_at      timestamp with time zone
);
create index root_rotation_state on root_rotation (state, prepared_at);

-- What each station answered to InstallCertificate(CSMSRootCertificate) of a rotation.
-- station_key is the case-folded identity; no foreign key: a removed station keeps its record.
create table root_rotation_station (
    rotation_id  varchar(64)  not null references root_rotation (id),
    station_key  varchar(48)  not null,
    identity     varchar(48)  not null,
    status       varchar(16)  not null,
    detail       varchar(512),
    attempts     integer      not null,
    updated_at   timestamp with time zone not null,
    constraint root_rotation_station_pk primary key (rotation_id, station_key)
);

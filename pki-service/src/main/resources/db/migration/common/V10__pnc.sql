-- ISO 15118 Plug & Charge (issue 6). The Plug & Charge CA certificates (V2G root, CPO/CPS/MO
-- sub-CAs, CPS leaf) and the trusted roots without a key (imported V2G/MO roots, OEM roots) live
-- in ca_certificate under their own roles; role is a free varchar(32), so no change there.

-- Local contract provisioning: which eMAID an EV's provisioning certificate (PCID = its CN) gets.
-- emaid_key / pcid_key are the lookup forms (upper case, '-' separators removed); emaid and pcid
-- keep the spelling given. status: ACTIVE or CANCELLED. token_status is what Authorize with this
-- contract answers as idTokenInfo.status (C07): Accepted while ACTIVE, Blocked/Expired/Invalid after
-- a cancellation. A PCID may hold several contracts (ISO 15118-20 installs up to 255 chains).
create table pnc_contracts (
    emaid_key    varchar(18)  primary key,
    emaid        varchar(18)  not null,
    pcid_key     varchar(18)  not null,
    pcid         varchar(24)  not null,
    status       varchar(16)  not null,
    token_status varchar(16)  not null,
    created_at   timestamp with time zone not null,
    created_by   varchar(128) not null,
    updated_at   timestamp with time zone not null,
    updated_by   varchar(128) not null
);
create index pnc_contracts_pcid on pnc_contracts (pcid_key, status);

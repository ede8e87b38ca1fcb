-- Renewal before expiry (issue 5, A02): one row per station and certificate type that has needed
-- renewing. serial is the certificate being renewed (the station's newest valid one when the row
-- was opened); issued_count how many certificates of that type the station had been issued then.
-- The row is done once another one is issued (a count, not a time: issued_at has whole seconds).
-- state: DUE (to trigger), TRIGGERED (the station accepted TriggerMessage; waiting for its
-- SignCertificate), FAILED (refused, not implemented or no answer: back-off until next_attempt_at),
-- DONE. attempts counts TriggerMessages sent for this serial, failures the failed ones in a row (the
-- back-off grows with them). Instances claim a row by a conditional update of lease_owner/lease_until.
create table renewal_state (
    station_key      varchar(48)  not null references station (identity_key) on delete cascade,
    certificate_type varchar(32)  not null,
    serial           varchar(40)  not null,
    issued_count     integer      not null,
    state            varchar(16)  not null,
    reason           varchar(32)  not null,
    attempts         integer      not null,
    failures         integer      not null,
    last_outcome     varchar(64),
    last_attempt_at  timestamp with time zone,
    next_attempt_at  timestamp with time zone not null,
    opened_at        timestamp with time zone not null,
    renewed_by       varchar(40),
    lease_owner      varchar(64),
    lease_until      timestamp with time zone,
    updated_at       timestamp with time zone not null,
    primary key (station_key, certificate_type)
);
create index renewal_state_next on renewal_state (state, next_attempt_at);

-- How far the renewal scheduler has read the security events (for DiscardedRenewedClientCertificate).
create table renewal_cursor (
    id            smallint primary key,
    last_event_id bigint   not null
);
-- Events reported before this migration are history: start after them.
insert into renewal_cursor (id, last_event_id) select 1, coalesce(max(id), 0) from security_events;

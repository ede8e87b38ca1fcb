-- ISO 15118-20 installation series (OCPP 2.1 M01.FR.04/06/07, issue 6): the EV repeats
-- CertificateInstallationReq once per contract, and each answer carries the next contract. This row
-- says how many contracts of the current series a station's EV (PCID, upper case) was given, so
-- that a restart or another pki-service instance on this database continues the series.
-- A row whose delivered_at is older than ocppsec.pnc.install-series-ttl (10 minutes) counts as 0
-- and is deleted a batch at a time when a series starts; the end of a series deletes its row.
-- station_id is '' when the request named no station.
create table pnc_install_series (
    station_id   varchar(48)  not null,
    pcid         varchar(18)  not null,
    delivered    integer      not null,
    delivered_at timestamp with time zone not null,
    primary key (station_id, pcid)
);
create index pnc_install_series_at on pnc_install_series (delivered_at);

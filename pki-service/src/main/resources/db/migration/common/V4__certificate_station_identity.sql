-- The station identity as it was registered (case kept), beside the canonical key the lookups
-- use, so the inventory shows "CP001" and not "cp001". Certificates issued before this column
-- take it from their station when it still exists, else keep the key.
alter table issued_certificate add column station_identity varchar(48);
update issued_certificate set station_identity = coalesce(
    (select s.identity from station s where s.identity_key = issued_certificate.station_key), station_key);

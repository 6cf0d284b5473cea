-- transmission devices (GB/T 26875.3): their address, and the panel rules watch them
-- a user information transmission device is known by its 6-byte address (12 hex digits), not by a secret
alter table devices add column gb_address text;
create unique index devices_gb_address on devices (gb_address) where gb_address is not null;
-- the panels behind a transmission device raise the same events as MQTT panels: the built-in rules that watch
-- fire_panel watch transmission_device too, as a new version by 'system' (an admin's later edits stay theirs)
insert into rules (id, version, definition, changed_by, changed_at)
select r.id, r.version + 1, jsonb_set(r.definition, '{families}', (r.definition -> 'families') || '["transmission_device"]'::jsonb), 'system', now()
from (select distinct on (id) id, version, definition from rules order by id, version desc) r
where r.id in ('panel.fire_alarm', 'panel.fault', 'panel.isolation_24h', 'panel.main_power_fault', 'panel.backup_power_fault',
               'device.offline', 'zone.multi_detector_fire', 'detector.false_alarms')
  and (r.definition -> 'families') @> '["fire_panel"]'::jsonb
  and not (r.definition -> 'families') @> '["transmission_device"]'::jsonb;

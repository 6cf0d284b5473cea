-- a zone's open alarms, found without reading the site's history: a raise asks whether its zone is flagged a likely
-- fire, and a zone flagged flags its open alarms; through alarms_site both read every alarm the site ever had. It
-- also serves what alarms_open served (the open alarms: it has the same condition), so that one goes.
create index alarms_open_zone on alarms (site_id, zone) where status <> 'closed';
drop index alarms_open;
-- nothing reads device events by the time they came in; the index cost every stored event a second index entry
drop index device_events_received;

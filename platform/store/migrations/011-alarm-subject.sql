-- one name for a rule's subject: alarms.source_key is alarms.subject, as in work orders and tickets
alter table alarms rename column source_key to subject;

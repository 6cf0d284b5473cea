-- users can be disabled
-- someone who left: kept (the audit log names them) but refused at sign-in and on every token
alter table users add column disabled boolean not null default false;

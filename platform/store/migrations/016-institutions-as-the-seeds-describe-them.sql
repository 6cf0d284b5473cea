-- institutions as the seeds describe them: kind codes, grade, ownership, key unit, high risk, beds, responsible persons, public token
-- the kinds stored before (hospital ...) mapped to today's codes (contracts/duties.ts); anything unknown is other
update sites set kind = case kind
  when 'hospital' then 'general_hospital'
  when 'township_health_center' then 'primary_care'
  when 'community_health_center' then 'primary_care'
  else kind end;
update sites set kind = 'other' where kind not in
  ('general_hospital', 'tcm_hospital', 'maternal_child', 'specialty_hospital', 'primary_care', 'private_hospital', 'elderly_care', 'childcare', 'other');
alter table sites alter column kind set default 'general_hospital';
alter table sites add column grade text not null default 'ungraded';
alter table sites add column ownership text not null default 'public';
alter table sites add column key_unit boolean not null default false;
alter table sites add column high_risk boolean not null default false;
alter table sites add column beds integer;
alter table sites add column fire_safety_responsible jsonb;
alter table sites add column fire_safety_manager jsonb;
-- the unguessable part of the institution's public page (两公开); rotated by an admin
alter table sites add column public_token text not null default replace(gen_random_uuid()::text, '-', '') || replace(gen_random_uuid()::text, '-', '');
create unique index sites_public_token on sites (public_token);

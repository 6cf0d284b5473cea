-- 日周月 checks: versioned checklists, checks with their items and photos, rhythms per institution, missed checks
create table check_templates (
  id text not null,
  version integer not null,
  institution_kind text not null,
  rhythm text not null check (rhythm in ('daily', 'weekly', 'monthly')),
  items jsonb not null,
  created_by text not null,
  created_at timestamptz not null,
  primary key (id, version)
);
-- the built-in checklists as they shipped (version 1 of each, one per institution kind and rhythm), frozen here
insert into check_templates (id, version, institution_kind, rhythm, items, created_by, created_at)
values ('general_hospital.daily', 1, 'general_hospital', 'daily', '[{"code":"exits_evacuation_routes","label":null},{"code":"fire_doors","label":null},{"code":"extinguishers_hydrants","label":null},{"code":"electrics","label":null},{"code":"ebike_charging","label":null},{"code":"smoking","label":null},{"code":"control_room_on_duty","label":null},{"code":"night_patrol","label":null}]'::jsonb, 'system', now());
insert into check_templates (id, version, institution_kind, rhythm, items, created_by, created_at)
values ('general_hospital.weekly', 1, 'general_hospital', 'weekly', '[{"code":"fire_alarm_system","label":null},{"code":"sprinklers_pumps","label":null},{"code":"emergency_lighting_signs","label":null},{"code":"fire_lanes","label":null},{"code":"kitchen_gas","label":null},{"code":"hazmat_storage","label":null},{"code":"combustibles_storage","label":null}]'::jsonb, 'system', now());
insert into check_templates (id, version, institution_kind, rhythm, items, created_by, created_at)
values ('general_hospital.monthly', 1, 'general_hospital', 'monthly', '[{"code":"leader_walkthrough_key_areas","label":null},{"code":"hazard_rectification_progress","label":null},{"code":"duty_and_certificates","label":null},{"code":"training_and_drills","label":null},{"code":"micro_fire_station","label":null},{"code":"two_publicities","label":null}]'::jsonb, 'system', now());
insert into check_templates (id, version, institution_kind, rhythm, items, created_by, created_at)
values ('tcm_hospital.daily', 1, 'tcm_hospital', 'daily', '[{"code":"exits_evacuation_routes","label":null},{"code":"fire_doors","label":null},{"code":"extinguishers_hydrants","label":null},{"code":"electrics","label":null},{"code":"ebike_charging","label":null},{"code":"smoking","label":null},{"code":"control_room_on_duty","label":null},{"code":"night_patrol","label":null}]'::jsonb, 'system', now());
insert into check_templates (id, version, institution_kind, rhythm, items, created_by, created_at)
values ('tcm_hospital.weekly', 1, 'tcm_hospital', 'weekly', '[{"code":"fire_alarm_system","label":null},{"code":"sprinklers_pumps","label":null},{"code":"emergency_lighting_signs","label":null},{"code":"fire_lanes","label":null},{"code":"kitchen_gas","label":null},{"code":"hazmat_storage","label":null},{"code":"combustibles_storage","label":null}]'::jsonb, 'system', now());
insert into check_templates (id, version, institution_kind, rhythm, items, created_by, created_at)
values ('tcm_hospital.monthly', 1, 'tcm_hospital', 'monthly', '[{"code":"leader_walkthrough_key_areas","label":null},{"code":"hazard_rectification_progress","label":null},{"code":"duty_and_certificates","label":null},{"code":"training_and_drills","label":null},{"code":"micro_fire_station","label":null},{"code":"two_publicities","label":null}]'::jsonb, 'system', now());
insert into check_templates (id, version, institution_kind, rhythm, items, created_by, created_at)
values ('maternal_child.daily', 1, 'maternal_child', 'daily', '[{"code":"exits_evacuation_routes","label":null},{"code":"fire_doors","label":null},{"code":"extinguishers_hydrants","label":null},{"code":"electrics","label":null},{"code":"ebike_charging","label":null},{"code":"smoking","label":null},{"code":"control_room_on_duty","label":null},{"code":"night_patrol","label":null}]'::jsonb, 'system', now());
insert into check_templates (id, version, institution_kind, rhythm, items, created_by, created_at)
values ('maternal_child.weekly', 1, 'maternal_child', 'weekly', '[{"code":"fire_alarm_system","label":null},{"code":"sprinklers_pumps","label":null},{"code":"emergency_lighting_signs","label":null},{"code":"fire_lanes","label":null},{"code":"kitchen_gas","label":null},{"code":"hazmat_storage","label":null},{"code":"combustibles_storage","label":null}]'::jsonb, 'system', now());
insert into check_templates (id, version, institution_kind, rhythm, items, created_by, created_at)
values ('maternal_child.monthly', 1, 'maternal_child', 'monthly', '[{"code":"leader_walkthrough_key_areas","label":null},{"code":"hazard_rectification_progress","label":null},{"code":"duty_and_certificates","label":null},{"code":"training_and_drills","label":null},{"code":"micro_fire_station","label":null},{"code":"two_publicities","label":null}]'::jsonb, 'system', now());
insert into check_templates (id, version, institution_kind, rhythm, items, created_by, created_at)
values ('specialty_hospital.daily', 1, 'specialty_hospital', 'daily', '[{"code":"exits_evacuation_routes","label":null},{"code":"fire_doors","label":null},{"code":"extinguishers_hydrants","label":null},{"code":"electrics","label":null},{"code":"ebike_charging","label":null},{"code":"smoking","label":null},{"code":"control_room_on_duty","label":null},{"code":"night_patrol","label":null}]'::jsonb, 'system', now());
insert into check_templates (id, version, institution_kind, rhythm, items, created_by, created_at)
values ('specialty_hospital.weekly', 1, 'specialty_hospital', 'weekly', '[{"code":"fire_alarm_system","label":null},{"code":"sprinklers_pumps","label":null},{"code":"emergency_lighting_signs","label":null},{"code":"fire_lanes","label":null},{"code":"kitchen_gas","label":null},{"code":"hazmat_storage","label":null},{"code":"combustibles_storage","label":null}]'::jsonb, 'system', now());
insert into check_templates (id, version, institution_kind, rhythm, items, created_by, created_at)
values ('specialty_hospital.monthly', 1, 'specialty_hospital', 'monthly', '[{"code":"leader_walkthrough_key_areas","label":null},{"code":"hazard_rectification_progress","label":null},{"code":"duty_and_certificates","label":null},{"code":"training_and_drills","label":null},{"code":"micro_fire_station","label":null},{"code":"two_publicities","label":null}]'::jsonb, 'system', now());
insert into check_templates (id, version, institution_kind, rhythm, items, created_by, created_at)
values ('primary_care.daily', 1, 'primary_care', 'daily', '[{"code":"exits_evacuation_routes","label":null},{"code":"fire_doors","label":null},{"code":"extinguishers_hydrants","label":null},{"code":"electrics","label":null},{"code":"ebike_charging","label":null},{"code":"smoking","label":null},{"code":"control_room_on_duty","label":null}]'::jsonb, 'system', now());
insert into check_templates (id, version, institution_kind, rhythm, items, created_by, created_at)
values ('primary_care.weekly', 1, 'primary_care', 'weekly', '[{"code":"fire_alarm_system","label":null},{"code":"sprinklers_pumps","label":null},{"code":"emergency_lighting_signs","label":null},{"code":"fire_lanes","label":null},{"code":"kitchen_gas","label":null},{"code":"hazmat_storage","label":null},{"code":"combustibles_storage","label":null}]'::jsonb, 'system', now());
insert into check_templates (id, version, institution_kind, rhythm, items, created_by, created_at)
values ('primary_care.monthly', 1, 'primary_care', 'monthly', '[{"code":"leader_walkthrough_key_areas","label":null},{"code":"hazard_rectification_progress","label":null},{"code":"duty_and_certificates","label":null},{"code":"training_and_drills","label":null},{"code":"micro_fire_station","label":null},{"code":"two_publicities","label":null}]'::jsonb, 'system', now());
insert into check_templates (id, version, institution_kind, rhythm, items, created_by, created_at)
values ('private_hospital.daily', 1, 'private_hospital', 'daily', '[{"code":"exits_evacuation_routes","label":null},{"code":"fire_doors","label":null},{"code":"extinguishers_hydrants","label":null},{"code":"electrics","label":null},{"code":"ebike_charging","label":null},{"code":"smoking","label":null},{"code":"control_room_on_duty","label":null},{"code":"night_patrol","label":null}]'::jsonb, 'system', now());
insert into check_templates (id, version, institution_kind, rhythm, items, created_by, created_at)
values ('private_hospital.weekly', 1, 'private_hospital', 'weekly', '[{"code":"fire_alarm_system","label":null},{"code":"sprinklers_pumps","label":null},{"code":"emergency_lighting_signs","label":null},{"code":"fire_lanes","label":null},{"code":"kitchen_gas","label":null},{"code":"hazmat_storage","label":null},{"code":"combustibles_storage","label":null}]'::jsonb, 'system', now());
insert into check_templates (id, version, institution_kind, rhythm, items, created_by, created_at)
values ('private_hospital.monthly', 1, 'private_hospital', 'monthly', '[{"code":"leader_walkthrough_key_areas","label":null},{"code":"hazard_rectification_progress","label":null},{"code":"duty_and_certificates","label":null},{"code":"training_and_drills","label":null},{"code":"micro_fire_station","label":null},{"code":"two_publicities","label":null}]'::jsonb, 'system', now());
insert into check_templates (id, version, institution_kind, rhythm, items, created_by, created_at)
values ('elderly_care.daily', 1, 'elderly_care', 'daily', '[{"code":"exits_evacuation_routes","label":null},{"code":"fire_doors","label":null},{"code":"extinguishers_hydrants","label":null},{"code":"electrics","label":null},{"code":"ebike_charging","label":null},{"code":"smoking","label":null},{"code":"control_room_on_duty","label":null},{"code":"night_patrol","label":null}]'::jsonb, 'system', now());
insert into check_templates (id, version, institution_kind, rhythm, items, created_by, created_at)
values ('elderly_care.weekly', 1, 'elderly_care', 'weekly', '[{"code":"fire_alarm_system","label":null},{"code":"sprinklers_pumps","label":null},{"code":"emergency_lighting_signs","label":null},{"code":"fire_lanes","label":null},{"code":"kitchen_gas","label":null},{"code":"hazmat_storage","label":null},{"code":"combustibles_storage","label":null}]'::jsonb, 'system', now());
insert into check_templates (id, version, institution_kind, rhythm, items, created_by, created_at)
values ('elderly_care.monthly', 1, 'elderly_care', 'monthly', '[{"code":"leader_walkthrough_key_areas","label":null},{"code":"hazard_rectification_progress","label":null},{"code":"duty_and_certificates","label":null},{"code":"training_and_drills","label":null},{"code":"micro_fire_station","label":null},{"code":"two_publicities","label":null}]'::jsonb, 'system', now());
insert into check_templates (id, version, institution_kind, rhythm, items, created_by, created_at)
values ('childcare.daily', 1, 'childcare', 'daily', '[{"code":"exits_evacuation_routes","label":null},{"code":"fire_doors","label":null},{"code":"extinguishers_hydrants","label":null},{"code":"electrics","label":null},{"code":"ebike_charging","label":null},{"code":"smoking","label":null},{"code":"control_room_on_duty","label":null},{"code":"child_areas_heaters","label":null}]'::jsonb, 'system', now());
insert into check_templates (id, version, institution_kind, rhythm, items, created_by, created_at)
values ('childcare.weekly', 1, 'childcare', 'weekly', '[{"code":"fire_alarm_system","label":null},{"code":"sprinklers_pumps","label":null},{"code":"emergency_lighting_signs","label":null},{"code":"fire_lanes","label":null},{"code":"kitchen_gas","label":null},{"code":"hazmat_storage","label":null},{"code":"combustibles_storage","label":null}]'::jsonb, 'system', now());
insert into check_templates (id, version, institution_kind, rhythm, items, created_by, created_at)
values ('childcare.monthly', 1, 'childcare', 'monthly', '[{"code":"leader_walkthrough_key_areas","label":null},{"code":"hazard_rectification_progress","label":null},{"code":"duty_and_certificates","label":null},{"code":"training_and_drills","label":null},{"code":"micro_fire_station","label":null},{"code":"two_publicities","label":null}]'::jsonb, 'system', now());
insert into check_templates (id, version, institution_kind, rhythm, items, created_by, created_at)
values ('other.daily', 1, 'other', 'daily', '[{"code":"exits_evacuation_routes","label":null},{"code":"fire_doors","label":null},{"code":"extinguishers_hydrants","label":null},{"code":"electrics","label":null},{"code":"ebike_charging","label":null},{"code":"smoking","label":null},{"code":"control_room_on_duty","label":null}]'::jsonb, 'system', now());
insert into check_templates (id, version, institution_kind, rhythm, items, created_by, created_at)
values ('other.weekly', 1, 'other', 'weekly', '[{"code":"fire_alarm_system","label":null},{"code":"sprinklers_pumps","label":null},{"code":"emergency_lighting_signs","label":null},{"code":"fire_lanes","label":null},{"code":"kitchen_gas","label":null},{"code":"hazmat_storage","label":null},{"code":"combustibles_storage","label":null}]'::jsonb, 'system', now());
insert into check_templates (id, version, institution_kind, rhythm, items, created_by, created_at)
values ('other.monthly', 1, 'other', 'monthly', '[{"code":"leader_walkthrough_key_areas","label":null},{"code":"hazard_rectification_progress","label":null},{"code":"duty_and_certificates","label":null},{"code":"training_and_drills","label":null},{"code":"micro_fire_station","label":null},{"code":"two_publicities","label":null}]'::jsonb, 'system', now());

create table checks (
  id text primary key,
  site_id text not null references sites (id),
  region_code text not null,
  template_id text not null,
  template_version integer not null,
  rhythm text not null check (rhythm in ('daily', 'weekly', 'monthly')),
  period text not null,
  performed_at timestamptz not null,
  performed_by text not null,
  items jsonb not null,
  passed integer not null,
  failed integer not null,
  fixed_on_spot integer not null,
  hazards_opened integer not null,
  created_at timestamptz not null,
  foreign key (template_id, template_version) references check_templates (id, version)
);
create index checks_site on checks (site_id, rhythm, period);
create index checks_performed on checks (performed_at);

create table check_photos (
  id text primary key,
  check_id text not null references checks (id),
  item_code text not null,
  content_type text not null,
  bytes bytea not null,
  uploaded_by text not null,
  uploaded_at timestamptz not null
);
create index check_photos_check on check_photos (check_id);

-- how many checks of each rhythm an institution owes per period; no row: one of each
create table check_rhythms (
  site_id text primary key references sites (id),
  daily integer not null,
  weekly integer not null,
  monthly integer not null
);

create table missed_checks (
  site_id text not null references sites (id),
  rhythm text not null,
  period text not null,
  expected integer not null,
  done integer not null,
  flagged_at timestamptz not null,
  primary key (site_id, rhythm, period)
);
create index missed_checks_flagged on missed_checks (flagged_at);

-- 重大事故隐患判定: the criteria as data, the criterion kept on a ticket, and the built-in sensor rules that raise a
-- major hazard naming theirs (a new version by 'system' where the rule still raises a major hazard without one)
create table hazard_criteria (
  code text primary key,
  title text not null,
  title_en text not null,
  active boolean not null default true,
  position integer not null,
  updated_at timestamptz not null,
  updated_by text not null
);
insert into hazard_criteria (code, title, title_en, position, updated_at, updated_by) values
  ('evacuation_blocked', '疏散通道、安全出口被占用、堵塞或封闭', 'Evacuation routes or exits occupied, blocked or locked', 1, now(), 'system'),
  ('exits_insufficient', '安全出口、疏散楼梯数量不足或设置不符合要求', 'Too few exits or evacuation stairs, or not as required', 2, now(), 'system'),
  ('auto_fire_systems_out', '火灾自动报警系统、自动灭火系统不能正常运行', 'Automatic fire alarm or extinguishing systems out of service', 3, now(), 'system'),
  ('fire_water_out', '消防给水系统无水或不能正常供水', 'Fire water supply empty or not working', 4, now(), 'system'),
  ('control_room_unattended', '消防控制室无人值班或值班人员未持证上岗', 'Fire control room unattended, or its staff without certificates', 5, now(), 'system'),
  ('ebike_indoor_charging', '在病房楼、门诊楼等建筑内停放电动自行车或充电', 'E-bikes parked or charged inside ward, outpatient or similar buildings', 6, now(), 'system'),
  ('flammable_structures', '采用易燃可燃材料装修或违规搭建彩钢板等建筑', 'Flammable decoration, or steel-sandwich-panel structures built against the rules', 7, now(), 'system'),
  ('hazmat_storage', '违规储存、使用易燃易爆危险化学品', 'Flammable or explosive hazardous chemicals stored or used against the rules', 8, now(), 'system'),
  ('electrical_hazard', '电气线路、设备严重老化或违规敷设、使用', 'Wiring or electrical equipment badly aged, or installed or used against the rules', 9, now(), 'system'),
  ('medical_gas', '医用氧气等医用气体设施不符合防火要求', 'Medical oxygen and other gas facilities not meeting fire-protection requirements', 10, now(), 'system'),
  ('fire_separation_broken', '防火分隔、防火门严重损坏或被拆除', 'Fire separations or fire doors badly damaged or removed', 11, now(), 'system');

alter table tickets add column criterion text;

insert into rules (id, version, definition, changed_by, changed_at)
select r.id, r.version + 1,
  jsonb_set(r.definition, '{effects}', (
    select jsonb_agg(case when e->>'kind' = 'hazard' and e->>'grade' = 'major' and e->'criterion' is null
                          then e || '{"criterion":"hazmat_storage"}'::jsonb else e end order by n)
    from jsonb_array_elements(r.definition->'effects') with ordinality as x(e, n))),
  'system', now()
from (select distinct on (id) id, version, definition from rules order by id, version desc) r
where r.id in ('cabinet.voc_over_limit', 'cabinet.leak')
  and exists (select 1 from jsonb_array_elements(r.definition->'effects') e where e->>'kind' = 'hazard' and e->>'grade' = 'major' and e->'criterion' is null);

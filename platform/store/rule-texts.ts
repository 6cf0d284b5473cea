// The built-in rules' texts as of migration 10, frozen here (never read from rules/defaults, which may change again):
// databases whose rules were installed before the rules had words in both languages hold the English description
// (now `descriptionEn`) as `description`, no `nameEn`, notify messages written "中文 / English" in one line, and no
// `titleEn` on hazards. Migration 10 brings each built-in rule up to these texts where its latest version still
// holds the shipped text, field by field, so whatever an admin changed is kept; and gives the tickets those rules
// raised their English title and description.

export interface BuiltInRuleTexts {
  id: string;
  name: string;
  nameEn: string;
  /** In Chinese; the rule's `description` was its `descriptionEn` before. */
  description: string;
  descriptionEn: string;
  /** The notify effect's words; it was `${message} / ${messageEn}` in one message before. */
  notify?: { message: string; messageEn: string };
  /** The hazard effect's title, and the English one it gains. */
  hazard?: { title: string; titleEn: string };
}

export const builtInRuleTexts: readonly BuiltInRuleTexts[] = [
  {
    id: 'smoke.alarm', name: '感烟探测器火警', nameEn: 'Smoke detector fire alarm',
    description: '感烟探测器火警：收到 smoke.alarm 时产生，收到 smoke.clear 时标记为已恢复。',
    descriptionEn: 'Smoke detector fire alarm: raised on smoke.alarm, marked recovered on smoke.clear.',
  },
  {
    id: 'smoke.fault', name: '感烟探测器故障', nameEn: 'Smoke detector fault',
    description: '感烟探测器故障：生成故障工单，收到故障恢复（fault.clear）时关闭。',
    descriptionEn: 'Smoke detector fault: a fault work order, closed on fault.clear.',
  },
  {
    id: 'smoke.battery_low', name: '感烟探测器电量低', nameEn: 'Smoke detector battery low',
    description: '感烟探测器电量低：生成电池工单，安排维护更换。',
    descriptionEn: 'Smoke detector battery low: a battery work order for maintenance.',
  },
  {
    id: 'smoke.tamper', name: '感烟探测器被拆除', nameEn: 'Smoke detector tampered with',
    description: '感烟探测器被拆除或脱离底座：生成防拆工单。',
    descriptionEn: 'Smoke detector tampered with or removed from its base: a tamper work order.',
  },
  {
    id: 'panel.fire_alarm', name: '火灾报警控制器火警', nameEn: 'Fire panel fire alarm',
    description: '火灾报警控制器火警，按回路和点位各一条；该点位火警恢复（fire.clear）或控制器复位（panel.reset）时恢复。',
    descriptionEn: 'Fire panel alarm, one per loop and point; recovered on fire.clear for that point or on panel.reset.',
  },
  {
    id: 'panel.fault', name: '火灾报警控制器故障', nameEn: 'Fire panel fault',
    description: '火灾报警控制器故障：生成故障工单，收到故障恢复（fault.clear）时关闭。',
    descriptionEn: 'Fire panel fault: a fault work order, closed on fault.clear.',
  },
  {
    id: 'panel.isolation_24h', name: '火灾报警控制器屏蔽超过24小时', nameEn: 'Fire panel point isolated over 24 h',
    description: '控制器点位屏蔽超过 24 小时即为隐患；解除屏蔽时恢复。',
    descriptionEn: 'A panel point isolated for more than 24 hours is a hazard; recovered when the isolation is cleared.',
    hazard: { title: '火灾报警控制器屏蔽超过24小时', titleEn: 'Fire panel point isolated over 24 h' },
  },
  {
    id: 'panel.main_power_fault', name: '火灾报警控制器主电故障', nameEn: 'Fire panel main power fault',
    description: '火灾报警控制器主电故障：生成电源工单，控制器复位（panel.reset）时关闭。',
    descriptionEn: 'Fire panel main power fault: a power work order, closed on panel.reset.',
  },
  {
    id: 'panel.backup_power_fault', name: '火灾报警控制器备电故障', nameEn: 'Fire panel backup power fault',
    description: '火灾报警控制器备电（蓄电池）故障：生成电源工单，控制器复位（panel.reset）时关闭。',
    descriptionEn: 'Fire panel backup power (battery) fault: a power work order, closed on panel.reset.',
  },
  {
    id: 'charger.overtemp', name: '充电桩端口过热', nameEn: 'Charging port overheating',
    description: '充电桩端口温度高于 65 °C 持续 30 秒（节假日期间高于 60 °C 持续 15 秒）：切断该端口电源，登记隐患并通知。温度降至 55 °C 以下时恢复。',
    descriptionEn: 'Charging port above 65 °C for 30 s (60 °C for 15 s during holidays): cut the port\'s power, open a hazard, notify. Recovers below 55 °C.',
    notify: { message: '充电桩端口过热，已下发断电指令', messageEn: 'Charging port overheating: power cut sent' },
    hazard: { title: '充电桩端口过热', titleEn: 'Charging port overheating' },
  },
  {
    id: 'charger.overtemp_event', name: '充电桩端口过热报警', nameEn: 'Charging port over-temperature alarm',
    description: '充电桩自身上报端口过温（按端口）：切断该端口电源，登记隐患并通知。',
    descriptionEn: 'Over-temperature reported by the charging station itself, per port: cut the port\'s power, open a hazard, notify.',
    notify: { message: '充电桩端口过热，已下发断电指令', messageEn: 'Charging port overheating: power cut sent' },
    hazard: { title: '充电桩端口过热', titleEn: 'Charging port overheating' },
  },
  {
    id: 'charger.overcurrent', name: '充电桩端口过流', nameEn: 'Charging port over-current',
    description: '充电桩端口过流：切断该端口电源并登记隐患。',
    descriptionEn: 'Over-current on a charging port: cut the port\'s power and open a hazard.',
    hazard: { title: '充电桩端口过流', titleEn: 'Charging port over-current' },
  },
  {
    id: 'charger.smoke', name: '充电桩冒烟', nameEn: 'Smoke at a charging station',
    description: '充电桩端口冒烟：产生火警，切断该端口电源并登记隐患。',
    descriptionEn: 'Smoke at a charging port: a fire alarm, cut the port\'s power and open a hazard.',
    hazard: { title: '充电桩冒烟', titleEn: 'Smoke at a charging station' },
  },
  {
    id: 'charger.fault', name: '充电桩故障', nameEn: 'Charging station fault',
    description: '充电桩故障：生成故障工单，收到故障恢复（fault.clear）时关闭。',
    descriptionEn: 'Charging station fault: a fault work order, closed on fault.clear.',
  },
  {
    id: 'cabinet.door_open_10min', name: '危化品柜门未关超过10分钟', nameEn: 'Cabinet door open over 10 minutes',
    description: '危化品柜门打开超过 10 分钟；关门时恢复。',
    descriptionEn: 'Hazardous-chemical cabinet door left open for more than 10 minutes; recovered when it closes.',
    hazard: { title: '危化品柜门未关超过10分钟', titleEn: 'Cabinet door open over 10 minutes' },
  },
  {
    id: 'cabinet.double_lock', name: '危化品柜未落实双人双锁', nameEn: 'Two-person rule not kept at a cabinet',
    description: '危化品柜开启时未有两名不同的授权人员刷卡（双人双锁）。',
    descriptionEn: 'Cabinet opened without two different authorised badges (two-person rule).',
    hazard: { title: '危化品柜未落实双人双锁', titleEn: 'Two-person rule not kept at a cabinet' },
  },
  {
    id: 'cabinet.voc_over_limit', name: '危化品柜VOC浓度超限', nameEn: 'Cabinet VOC over the limit',
    description: 'VOC 浓度高于 50 ppm 持续 60 秒：重大隐患；降至 40 ppm 以下时恢复。',
    descriptionEn: 'VOC above 50 ppm for 60 s: a major hazard; recovers below 40 ppm.',
    hazard: { title: '危化品柜VOC浓度超限', titleEn: 'Cabinet VOC over the limit' },
  },
  {
    id: 'cabinet.fan_off_voc_rising', name: '危化品柜排风停止且VOC上升', nameEn: 'Cabinet exhaust fan off, VOC rising',
    description: '排风扇停止且 5 分钟内 VOC 上升 5 ppm 以上，持续 60 秒。',
    descriptionEn: 'Exhaust fan off while VOC rises by 5 ppm or more within 5 minutes, for 60 s.',
    hazard: { title: '危化品柜排风停止且VOC浓度上升', titleEn: 'Cabinet exhaust fan off, VOC rising' },
  },
  {
    id: 'cabinet.leak', name: '危化品柜泄漏', nameEn: 'Cabinet leak',
    description: '危化品柜检测到泄漏：重大隐患。',
    descriptionEn: 'Leak detected in a hazardous-chemical cabinet: a major hazard.',
    hazard: { title: '危化品柜泄漏', titleEn: 'Cabinet leak' },
  },
  {
    id: 'cabinet.fault', name: '危化品柜故障', nameEn: 'Hazardous-chemical cabinet fault',
    description: '危化品柜故障：生成故障工单，收到故障恢复（fault.clear）时关闭。',
    descriptionEn: 'Hazardous-chemical cabinet fault: a fault work order, closed on fault.clear.',
  },
  {
    id: 'device.offline', name: '设备离线', nameEn: 'Device offline',
    description: '设备连续 3 个心跳周期无任何消息：生成离线工单，设备重新上线时关闭。',
    descriptionEn: 'No message from a device for 3 heartbeat intervals: an offline work order, closed when it is heard from again.',
  },
  {
    id: 'zone.multi_detector_fire', name: '同一区域多个探测器火警', nameEn: 'Several detectors in one zone in alarm',
    description: '同一机构同一区域 120 秒内有两个及以上探测器报警：很可能是真实火情。',
    descriptionEn: 'Two or more detectors of one site and zone in alarm within 120 s: probably a real fire.',
  },
  {
    id: 'detector.false_alarms', name: '探测器频繁误报', nameEn: 'Frequent false alarms from a detector',
    description: '同一设备 30 天内有 3 次报警被确认为误报（由平台反馈 alarm.false_alarm）：生成维护工单。',
    descriptionEn: 'Three alarms confirmed false within 30 days from one device (alarm.false_alarm, fed by the platform): a maintenance work order.',
  },
];

/** The table as one jsonb value in a dollar-quoted SQL literal (its texts hold quotes and semicolons). */
function jsonLiteral(): string {
  const rows = builtInRuleTexts.map((r) => ({
    id: r.id, name: r.name, name_en: r.nameEn, old_description: r.descriptionEn, description: r.description, description_en: r.descriptionEn,
    old_message: r.notify ? `${r.notify.message} / ${r.notify.messageEn}` : null, message: r.notify?.message ?? null, message_en: r.notify?.messageEn ?? null,
    title: r.hazard?.title ?? null, title_en: r.hazard?.titleEn ?? null,
  }));
  const json = JSON.stringify(rows);
  if (json.includes('$texts$')) throw new Error('rule texts: the dollar-quote tag appears in the texts');
  return `$texts$${json}$texts$::jsonb`;
}

const TEXTS = `jsonb_to_recordset(${jsonLiteral()}) as t(id text, name text, name_en text, old_description text, description text,
  description_en text, old_message text, message text, message_en text, title text, title_en text)`;

/**
 * Migration 10's statements: a new version (by "system") of each built-in rule whose latest version still holds an
 * old shipped text, with only those texts brought up to date; then the English title and description of the
 * tickets those rules raised, where the ticket still has the shipped title (or description).
 */
export const builtInRuleTextsSql = `
  insert into rules (id, version, definition, changed_by, changed_at)
  select id, version + 1, after, 'system', now() from (
    select latest.id, latest.version, latest.definition as before,
      latest.definition
        || case when latest.definition->>'description' = t.old_description and latest.definition->'descriptionEn' is null
                then jsonb_build_object('description', t.description, 'descriptionEn', t.description_en) else '{}'::jsonb end
        || case when latest.definition->>'name' = t.name and latest.definition->'nameEn' is null
                then jsonb_build_object('nameEn', t.name_en) else '{}'::jsonb end
        || jsonb_build_object('effects', coalesce((
             select jsonb_agg(case
               when e->>'kind' = 'notify' and e->>'message' = t.old_message and e->'messageEn' is null
                 then e || jsonb_build_object('message', t.message, 'messageEn', t.message_en)
               when e->>'kind' = 'hazard' and e->>'title' = t.title and e->'titleEn' is null
                 then e || jsonb_build_object('titleEn', t.title_en)
               else e end order by n)
             from jsonb_array_elements(latest.definition->'effects') with ordinality as x(e, n)), latest.definition->'effects')) as after
    from (select distinct on (id) id, version, definition from rules order by id, version desc) latest
    join ${TEXTS} on t.id = latest.id
  ) changed
  where after <> before;

  update tickets k set
    title_en = case when k.title = t.title then t.title_en end,
    description_en = case when k.description = t.name then t.name_en end
  from ${TEXTS}
  where k.source = 'rule' and k.rule_id = t.id and k.title_en is null and k.description_en is null
    and (k.title = t.title or k.description = t.name);
`;

// The figures of the one-network overview and the monthly report, counted in SQL per child region
// (or per institution) and always through the caller's scope.
import type { RiskLevel } from '../../contracts/risks.js';
import type { GroupColumn, SiteScope } from '../../contracts/scope.js';
import { REPORT_TIME_ZONE, type MajorHazard, type OpenTicketFigures, type TrendDay } from '../../contracts/reports.js';
import type { TicketState } from '../../contracts/records.js';
import type { Queryable } from './executor.js';
import { iso, isoOrNull, ONLINE_SQL, textOrNull, when, Where } from './rows.js';
import { scopeClauses } from './scope-sql.js';
import { OVERDUE_SQL, SUPERVISED_SQL } from './tickets.js';

export interface MonthFigures {
  checks: number;
  dutyChecks: number;
  dutyChecksMissed: number;
  hazardsFound: number;
  hazardsRectified: number;
  openWithPlans: number;
  openWithoutPlans: number;
  alarms: number;
  falseAlarms: number;
  /** Alarms confirmed as fire, false alarm or test: the false-alarm rate's denominator. */
  confirmedAlarms: number;
  /** Of hazardsFound: raised by a sensor's rule (the rest were found by people: checks and reports). */
  hazardsFoundBySensors: number;
  /** Open at the month's end and of grade major (重大事故隐患). */
  majorHazardsOpen: number;
  /** Open at the month's end, being rectified then (registered or rectifying) and past their deadline by then. */
  overdueRectifications: number;
}

export type DayFigures = Omit<TrendDay, 'date'>;

/** Device-samples and online-samples summed over a span: their ratio is the span's online rate. */
export interface OnlineSamples {
  deviceSamples: number;
  onlineSamples: number;
}

const localDay = (column: string) => `to_char(${column} at time zone '${REPORT_TIME_ZONE}', 'YYYY-MM-DD')`;

export class StatsStore {
  constructor(private readonly db: Queryable) {}

  /** Open hazard tickets per child: by risk level, awaiting acceptance or in progress, overdue rectifications, open grade-major ones. */
  async openHazards(scopes: readonly SiteScope[], group: GroupColumn): Promise<Map<string, OpenTicketFigures>> {
    // open ones, and closed ones still under 挂牌督办 (counted only as supervised, and as major until lifted)
    const where = scopeClauses(new Where(), scopes, 's').add(`(t.state <> 'closed' or ${SUPERVISED_SQL})`);
    const open = `t.state <> 'closed'`;
    const rows = await this.db.query(
      `select s.${group} as code,
              count(*) filter (where ${open} and t.level = 'major')::int as major,
              count(*) filter (where ${open} and t.level = 'significant')::int as significant,
              count(*) filter (where ${open} and t.level = 'general')::int as general,
              count(*) filter (where ${open} and t.level = 'low')::int as low,
              count(*) filter (where t.state = 'reported')::int as fresh,
              count(*) filter (where ${open} and t.state <> 'reported')::int as in_progress,
              count(*) filter (where ${OVERDUE_SQL})::int as overdue,
              count(*) filter (where t.grade = 'major')::int as major_grade,
              count(*) filter (where ${SUPERVISED_SQL})::int as supervised
       from tickets t join sites s on s.id = t.site_id
       ${where}
       group by s.${group}`,
      where.params,
    );
    return new Map(rows.map((r) => [String(r.code), {
      open: { major: Number(r.major), significant: Number(r.significant), general: Number(r.general), low: Number(r.low) },
      fresh: Number(r.fresh),
      inProgress: Number(r.in_progress),
      overdue: Number(r.overdue),
      majorGrade: Number(r.major_grade),
      supervised: Number(r.supervised),
    }]));
  }

  /** Major hazards (重大事故隐患) not yet cleared: open, or closed with their 挂牌督办 not yet lifted; overdue first, then the longest open. */
  async majorHazards(scopes: readonly SiteScope[]): Promise<MajorHazard[]> {
    const where = scopeClauses(new Where(), scopes, 's').add(`t.grade = 'major'`).add(`(t.state <> 'closed' or p.id is not null)`);
    const rows = await this.db.query(
      `select t.id, t.title, t.title_en, t.site_id, s.name as site_name, t.region_code, t.level, t.state, t.reported_at, t.deadline, t.state_deadline,
              ${OVERDUE_SQL} as overdue, p.id is not null as supervised, p.deadline as supervision_deadline
       from tickets t join sites s on s.id = t.site_id left join ticket_supervisions p on p.ticket_id = t.id and p.lifted_at is null
       ${where}
       order by overdue desc, t.reported_at, t.id`,
      where.params,
    );
    return rows.map((r) => ({
      id: String(r.id), title: String(r.title), titleEn: textOrNull(r.title_en), siteId: String(r.site_id), siteName: String(r.site_name), regionCode: String(r.region_code),
      level: r.level as RiskLevel, state: r.state as TicketState, reportedAt: iso(r.reported_at), deadline: isoOrNull(r.deadline), stateDeadline: isoOrNull(r.state_deadline),
      overdue: Boolean(r.overdue), supervised: Boolean(r.supervised), supervisionDeadline: isoOrNull(r.supervision_deadline),
    }));
  }

  /** Per local day (Asia/Shanghai) since `from`: alarms raised, hazards reported, hazards closed. */
  async daily(scopes: readonly SiteScope[], from: number): Promise<Map<string, DayFigures>> {
    // three statements, one parameter list: each Where numbers its placeholders after the previous one's
    const params: unknown[] = [];
    const alarms = scopeClauses(new Where(params), scopes, 's').add('a.raised_at >= ?', when(from));
    const reported = scopeClauses(new Where(params), scopes, 's').add('t.reported_at >= ?', when(from));
    const closed = scopeClauses(new Where(params), scopes, 's').add('t.closed_at >= ?', when(from));
    const rows = await this.db.query(
      `select 'alarms' as series, ${localDay('a.raised_at')} as day, count(*)::int as n
         from alarms a join sites s on s.id = a.site_id ${alarms} group by 2
       union all
       select 'reported', ${localDay('t.reported_at')}, count(*)::int
         from tickets t join sites s on s.id = t.site_id ${reported} group by 2
       union all
       select 'closed', ${localDay('t.closed_at')}, count(*)::int
         from tickets t join sites s on s.id = t.site_id ${closed} group by 2`,
      params,
    );
    const days = new Map<string, DayFigures>();
    for (const r of rows) {
      const day = days.get(String(r.day)) ?? { alarms: 0, hazardsReported: 0, hazardsClosed: 0 };
      const n = Number(r.n);
      if (r.series === 'alarms') day.alarms += n;
      else if (r.series === 'reported') day.hazardsReported += n;
      else day.hazardsClosed += n;
      days.set(String(r.day), day);
    }
    return days;
  }

  /**
   * The monthly report's figures per child for [from, to). "Open at the month's end" reads the audit
   * trail, so a past month shows what was open then; a ticket had its plan (the five in place) once it
   * was registered before the end.
   */
  async month(scopes: readonly SiteScope[], group: GroupColumn, from: number, to: number): Promise<Map<string, MonthFigures>> {
    const where = scopeClauses(new Where([when(from), when(to)]), scopes, 's');
    const rows = await this.db.query(
      `select s.${group} as code,
              coalesce(sum(i.checks), 0)::int as checks,
              coalesce(sum(d.asked), 0)::int as duty_checks,
              coalesce(sum(d.missed), 0)::int as duty_checks_missed,
              coalesce(sum(t.found), 0)::int as hazards_found,
              coalesce(sum(t.rectified), 0)::int as hazards_rectified,
              coalesce(sum(t.open_with_plans), 0)::int as open_with_plans,
              coalesce(sum(t.open_without_plans), 0)::int as open_without_plans,
              coalesce(sum(a.alarms), 0)::int as alarms,
              coalesce(sum(a.false_alarms), 0)::int as false_alarms,
              coalesce(sum(a.confirmed), 0)::int as confirmed,
              coalesce(sum(t.found_by_sensors), 0)::int as found_by_sensors,
              coalesce(sum(t.major_open), 0)::int as major_open,
              coalesce(sum(t.overdue), 0)::int as overdue
       from sites s
       -- checks done: the free-form inspections and the checklist checks (issue 15) alike
       left join (select site_id, count(*) as checks
                  from (select site_id, performed_at from inspections union all select site_id, performed_at from checks) c
                  where performed_at >= $1 and performed_at < $2 group by site_id) i on i.site_id = s.id
       left join (select m.site_id,
                         count(*) filter (where m.reported_at >= $1) as found,
                         count(*) filter (where m.closed_at is not null) as rectified,
                         count(*) filter (where m.closed_at is null and m.registered) as open_with_plans,
                         count(*) filter (where m.closed_at is null and not m.registered) as open_without_plans,
                         count(*) filter (where m.reported_at >= $1 and m.source = 'rule') as found_by_sensors,
                         count(*) filter (where m.closed_at is null and m.grade = 'major') as major_open,
                         count(*) filter (where m.closed_at is null and m.deadline < least($2::timestamptz, now()) and m.state_then in ('registered', 'rectifying')) as overdue
                  from (select t.site_id, t.reported_at, t.source, t.grade, t.deadline,
                               -- the state the ticket was in at the month's end, from its trail
                               (select e.to_state from ticket_events e where e.ticket_id = t.id and e.to_state is not null and e.at < $2
                                order by e.at desc, e.id desc limit 1) as state_then,
                               -- closed after the month's end: still open at its end
                               case when t.closed_at < $2 then t.closed_at end as closed_at,
                               exists (select 1 from ticket_events e where e.ticket_id = t.id and e.to_state = 'registered' and e.at < $2) as registered
                        from tickets t
                        where t.reported_at < $2 and (t.closed_at is null or t.closed_at >= $1)) m
                  group by m.site_id) t on t.site_id = s.id
       left join (select site_id, count(*) as alarms,
                         count(*) filter (where outcome = 'false_alarm') as false_alarms,
                         count(*) filter (where outcome is not null) as confirmed
                  from alarms where raised_at >= $1 and raised_at < $2 group by site_id) a on a.site_id = s.id
       left join (select site_id, count(*) as asked, count(*) filter (where state = 'missed') as missed
                  from duty_checks where asked_at >= $1 and asked_at < $2 group by site_id) d on d.site_id = s.id
       ${where}
       group by s.${group}`,
      where.params,
    );
    return new Map(rows.map((r) => [String(r.code), {
      checks: Number(r.checks), dutyChecks: Number(r.duty_checks), dutyChecksMissed: Number(r.duty_checks_missed), hazardsFound: Number(r.hazards_found), hazardsRectified: Number(r.hazards_rectified),
      openWithPlans: Number(r.open_with_plans), openWithoutPlans: Number(r.open_without_plans),
      alarms: Number(r.alarms), falseAlarms: Number(r.false_alarms), confirmedAlarms: Number(r.confirmed),
      hazardsFoundBySensors: Number(r.found_by_sensors), majorHazardsOpen: Number(r.major_open), overdueRectifications: Number(r.overdue),
    }]));
  }

  /**
   * Adds one sample of every institution's devices and online devices to its row for local day `day`
   * (the online-rate history the monthly report averages). Returns how many institutions were sampled.
   */
  async sampleOnline(day: string): Promise<number> {
    const rows = await this.db.query(
      `insert into online_daily (site_id, day, samples, device_samples, online_samples)
       select d.site_id, $1::date, 1, count(*), count(*) filter (where ${ONLINE_SQL}) from devices d group by d.site_id
       on conflict (site_id, day) do update set samples = online_daily.samples + 1,
         device_samples = online_daily.device_samples + excluded.device_samples,
         online_samples = online_daily.online_samples + excluded.online_samples
       returning site_id`,
      [day],
    );
    return rows.length;
  }

  /** Adds samples taken elsewhere to an institution's day (the demo's month of history). */
  async addOnlineSamples(siteId: string, day: string, n: OnlineSamples & { samples: number }): Promise<void> {
    await this.db.query(
      `insert into online_daily (site_id, day, samples, device_samples, online_samples) values ($1, $2::date, $3, $4, $5)
       on conflict (site_id, day) do update set samples = online_daily.samples + excluded.samples,
         device_samples = online_daily.device_samples + excluded.device_samples,
         online_samples = online_daily.online_samples + excluded.online_samples`,
      [siteId, day, n.samples, n.deviceSamples, n.onlineSamples],
    );
  }

  /** The online samples per child over local days [fromDay, toDay). */
  async onlineSamples(scopes: readonly SiteScope[], group: GroupColumn, fromDay: string, toDay: string): Promise<Map<string, OnlineSamples>> {
    const where = scopeClauses(new Where([fromDay, toDay]), scopes, 's');
    const rows = await this.db.query(
      `select s.${group} as code, coalesce(sum(o.device_samples), 0) as devices, coalesce(sum(o.online_samples), 0) as online
       from online_daily o join sites s on s.id = o.site_id and o.day >= $1::date and o.day < $2::date
       ${where}
       group by s.${group}`,
      where.params,
    );
    return new Map(rows.map((r) => [String(r.code), { deviceSamples: Number(r.devices), onlineSamples: Number(r.online) }]));
  }
}

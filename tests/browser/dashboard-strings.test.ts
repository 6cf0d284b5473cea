// One language at a time: every page of every demo user, rendered in Chromium against FireNet in demo mode, in
// zh-CN and in English. The zh-CN pages carry no English words of ours, the English pages no Chinese of ours. What
// people and devices named (institutions, places, regions, hazard titles and notes, device ids, usernames) is data
// and stays as it was given: it is taken out of the text before the check, from the records the API serves.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { deviceTopic } from '../../contracts/topics.js';
import { eventPayload, eventually, startTestFireNet, type TestFireNet } from '../helpers/firenet.js';
import { launchChromium } from '../helpers/browser.js';
import { DEMO_ROLES, open, pagesOf, signIn, type ViewPage } from '../helpers/demo-views.js';

const HAN = /[\u3400-\u9fff\uf900-\ufaff]+/g;
const LATIN_WORD = /[A-Za-z][A-Za-z'’-]*[A-Za-z]/g;

/** Words allowed in the Chinese pages: names and abbreviations that are not translated, units, the switch to English. */
const LATIN_IN_ZH = new Set([
  'FireNet', 'English', 'API', 'CSV', 'MQTT', 'VOC', 'ID', 'IoT', 'NB', 'GB', 'dB', 'dBm', 'ppm', 'JPEG', 'PNG', 'WebP', 'MB',
]);
/** Literals a person types or reads as they are, in any language: the device import's CSV header (POST /api/devices/import), and its column named in the hint. */
const LITERALS = ['id,family,model,institution,building,floor,zone,heartbeat_sec,gb_address', 'institution'];
/** Chinese allowed in the English pages: the switch back to Chinese. */
const HAN_IN_EN = new Set(['中文']);

/**
 * Identifiers the rules view still shows as the rule definitions hold them, in both languages: event types
 * (cabinet.door_open), command types (power_off), payload fields (badges) and special periods (holiday). Rule
 * wording is the other half of the issue's; until it words these, they are allowed on #/rules only, taken from the
 * rules themselves (see ruleIdentifiers).
 */
const RULES_PAGE = '/rules';

/** The identifiers in the rule definitions that the rules view prints as they are. */
function ruleIdentifiers(rules: { definition: Record<string, unknown> }[]): string[] {
  const out: string[] = [];
  for (const { definition } of rules) {
    const c = (definition.condition ?? {}) as Record<string, unknown>;
    for (const key of ['types', 'clearTypes', 'startTypes', 'endTypes', 'sourceFields']) out.push(...((c[key] as string[] | undefined) ?? []));
    out.push(...Object.keys((c.where as object | undefined) ?? {}));
    out.push(...(((c.special as { periods?: string[] } | undefined)?.periods) ?? []));
    for (const e of (definition.effects as Record<string, unknown>[] | undefined) ?? []) if (e.kind === 'command') out.push(String(e.type));
  }
  return [...new Set(out)].sort((a, b) => b.length - a.length);
}
let ruleWords: string[] = [];
/** Hazard tickets a rule raised: there must be some, or the check of their wording proves nothing. */
let ruleTickets = 0;

/**
 * The audit log still shows each entry's route and target (as tooltips) and the body fields it changed, as the API
 * names them (POST /api/devices, /api/devices; siteId, heartbeatSec). Audit wording is the other half of the issue's; until it
 * words these, they are allowed on the audit pages only, taken from the entries themselves.
 */
const AUDIT_PAGES = /^\/admin(\?section=audit)?$/;
let auditWords: string[] = [];

let fn: TestFireNet;
let browser: Browser;
/** Every string a record carries, longest first: removed from a page's text before it is checked. */
let data: string[] = [];
const pages = new Map<string, ViewPage[]>();

/** The strings of the records the dashboard shows (people's and devices' words, names of places and institutions). */
async function collectData(): Promise<string[]> {
  const out = new Set<string>();
  const add = (...values: unknown[]) => {
    for (const v of values) if (typeof v === 'string' && v.trim()) out.add(v.trim());
  };
  const list = async <T>(path: string): Promise<T[]> => (await fn.api<T[]>(path)).body ?? [];

  const sites = await list<Record<string, string>>('/api/sites?limit=5000');
  for (const s of sites) add(s.id, s.name, s.address);
  // the provinces, and every region of the demo's province down to its counties
  for (const r of await list<{ name: string }>('/api/regions?parent=000000')) add(r.name);
  const below = ['220000'];
  for (let parent = below.pop(); parent; parent = below.pop()) {
    for (const r of await list<{ code: string; name: string; level: string }>(`/api/regions?parent=${parent}`)) {
      add(r.name);
      if (r.level !== 'county') below.push(r.code);
    }
  }
  add('吉林省', '全国');
  const rules = await list<{ id: string; definition: Record<string, unknown> }>('/api/rules');
  for (const r of rules) add(r.id);
  ruleWords = ruleIdentifiers(rules);
  for (const d of await list<Record<string, string>>('/api/devices?limit=5000')) add(d.id, d.building, d.floor, d.zone, d.model, d.lastBadReason);
  for (const a of await list<Record<string, unknown>>('/api/alarms?limit=1000')) add(a.location, a.deviceId, a.siteName, a.note, a.zone, a.acknowledgedBy, a.confirmedBy, a.closedBy);
  for (const w of await list<Record<string, unknown>>('/api/workorders?limit=1000')) {
    add(w.deviceId, w.siteName, w.assignedTo, w.fixedBy, w.verifiedBy, w.note);
    const inner = (w.data as { data?: Record<string, unknown> } | undefined)?.data;
    add(inner?.message, inner?.code);
  }
  for (const t of await list<Record<string, unknown>>('/api/tickets?limit=1000')) {
    const detail = (await fn.api<Record<string, unknown> & { events: Record<string, unknown>[]; fiveInPlace: Record<string, string> | null }>(`/api/tickets/${t.id}`)).body;
    // what a person reported is theirs; a rule's ticket is worded by the dashboard (its title and description are the rule's, in both languages)
    if (detail.source !== 'rule') add(detail.title, detail.description);
    else ruleTickets++;
    add(detail.location, detail.reportedBy, detail.rectifiedBy, detail.siteName);
    if (detail.fiveInPlace) add(detail.fiveInPlace.owner, detail.fiveInPlace.funds, detail.fiveInPlace.measures, detail.fiveInPlace.contingencyPlan);
    // people's notes are theirs; the platform's own (actor "system") are not shown, its steps are worded
    for (const e of detail.events) add(e.actor, e.actor === 'system' ? null : e.note);
  }
  for (const i of await list<Record<string, unknown>>('/api/inspections?limit=1000')) add(i.inspector, i.findings, i.createdBy);
  // the institution's duties: what its people wrote in the risk register, the control room, drills and fire teams
  for (const r of await list<Record<string, any>>('/api/risks?limit=1000&retired=true')) {
    add(r.place, r.hazardSource, r.controls, r.responsible?.name, r.responsible?.post, r.responsible?.phone, r.createdBy, r.updatedBy, r.retiredBy, r.retiredNote);
  }
  for (const c of await list<Record<string, unknown>>('/api/control-room/certificates')) add(c.username, c.number, c.updatedBy);
  for (const s of await list<Record<string, any>>('/api/control-room/shifts?from=2000-01-01T00:00:00Z&to=2099-01-01T00:00:00Z')) add(...s.operators, s.leader?.name, s.leader?.post, s.createdBy);
  for (const room of await list<Record<string, any>>('/api/control-room/on-duty')) add(...room.signedOn.map((o: { username: string }) => o.username));
  for (const h of await list<Record<string, any>>('/api/control-room/handovers?limit=1000')) add(h.username, h.handover?.open, h.handover?.happened);
  for (const d of await list<Record<string, unknown>>('/api/control-room/duty-checks?limit=1000')) add(d.askedBy, d.answeredBy, d.deviceId);
  for (const p of await list<Record<string, any>>('/api/preparedness?limit=1000')) {
    add(p.title, p.participantNames, p.evaluation, p.createdBy, ...p.attachments.map((a: { name: string }) => a.name));
  }
  for (const t of await list<Record<string, any>>('/api/fire-teams')) {
    add(t.updatedBy, t.lastCheck?.checkedBy, ...t.members.flatMap((m: Record<string, string>) => [m.name, m.post, m.phone]), ...t.equipment.map((e: { name: string }) => e.name));
    for (const item of t.lastCheck?.items ?? []) add(item.name, item.note);
  }
  for (const u of await list<Record<string, unknown>>('/api/users')) add(u.username);
  for (const t of await list<Record<string, unknown>>('/api/tokens')) add(t.name, t.createdBy);
  const audit = await list<{ actor: string; ip: string | null; action: string; target: string; details: { fields?: unknown } }>('/api/audit?limit=1000');
  for (const e of audit) add(e.actor, e.ip);
  auditWords = [...new Set(audit.flatMap((e) => [e.action, e.target, ...(Array.isArray(e.details.fields) ? e.details.fields.map(String) : [])]))];
  add(...LITERALS);
  return [...out].sort((a, b) => b.length - a.length);
}

/** Everything a person reads on the page: its text, the options of its selects, and its tooltips and placeholders. */
function renderedText(page: Page): Promise<string> {
  return page.evaluate(() => {
    const main = document.body;
    const attributes = [...main.querySelectorAll('[title], [placeholder], [aria-label]')].flatMap((el) =>
      ['title', 'placeholder', 'aria-label'].map((a) => el.getAttribute(a) ?? ''));
    const options = [...main.querySelectorAll('option')].map((o) => o.textContent ?? '');
    return [main.innerText, ...attributes, ...options, document.title].join('\n');
  });
}

function foreignWords(text: string, lang: 'zh-CN' | 'en', path: string): string[] {
  let ours = text;
  const allowedHere = path === RULES_PAGE ? ruleWords : AUDIT_PAGES.test(path) ? auditWords : [];
  const strip = [...allowedHere, ...data].sort((a, b) => b.length - a.length);
  for (const d of strip) ours = ours.replaceAll(d, ' ');
  // ids, times, URLs and e-mail-like things are not words of a language
  ours = ours.replace(/https?:\/\/\S+/g, ' ').replace(/\b[\w.-]*\d[\w.-]*\b/g, ' ');
  if (lang === 'zh-CN') return [...new Set(ours.match(LATIN_WORD) ?? [])].filter((w) => !LATIN_IN_ZH.has(w));
  return [...new Set(ours.match(HAN) ?? [])].filter((w) => !HAN_IN_EN.has(w));
}

beforeAll(async () => {
  fn = await startTestFireNet({ FIRENET_DEMO: '1', FIRENET_DEMO_EVENT_RATE: '0', FIRENET_DEMO_DEVICES: '200', LOG_LEVEL: 'info', LOGIN_RATE_PER_MIN: '1000' });
  await fn.fleet!.ready;
  // something on every desk and list: an alarm of each kind, and a device fault
  const events: [string, string, string, Record<string, unknown>][] = [
    ['str-sd', 'smoke_detector', 'smoke.alarm', {}], ['str-fp', 'fire_panel', 'fire.alarm', { loop: 1, point: 7 }],
    ['str-cs', 'charging_station', 'charger.smoke', { port: 2 }], ['str-sd2', 'smoke_detector', 'fault', { code: 'E03' }],
  ];
  for (const [id, family, type, payload] of events) {
    const client = await fn.connectDevice(id, await fn.provisionDevice({ id, family, siteId: 'site-220281-rmyy', zone: '门诊楼 1F' }));
    await client.publishAsync(deviceTopic(id, 'events'), eventPayload(`${id}-e`, type, payload), { qos: 1 });
  }
  await eventually(async () => (await fn.api<unknown[]>('/api/alarms?status=active&region=220281')).body.length >= 3, 10_000, 'alarms');
  browser = await launchChromium();
  for (const user of DEMO_ROLES) pages.set(user, await pagesOf(fn, user));
  data = await collectData();
}, 180_000);
afterAll(async () => {
  await browser?.close();
  await fn?.stop();
});

describe('the records checked', () => {
  it('include hazard tickets raised by a rule (worded by the dashboard, not taken out as names)', () => {
    expect(ruleTickets).toBeGreaterThan(0);
  });
});

describe('signed out', () => {
  it.each(['zh-CN', 'en'] as const)('the sign-in page in %s is in that language alone', async (lang) => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 720 }, locale: lang });
    await page.addInitScript((l) => localStorage.setItem('firenet.lang', l), lang);
    await page.goto(fn.httpUrl);
    await page.waitForSelector('input[name=username]');
    expect(foreignWords(await renderedText(page), lang, '/')).toEqual([]);
    await page.close();
  });
});

describe.each(DEMO_ROLES)('%s', (user) => {
  it.each(['zh-CN', 'en'] as const)('every page in %s is in that language alone (but for names)', async (lang) => {
    const page = await signIn(browser, fn, user, { width: 1600, height: 900 }, lang);
    const found: string[] = [];
    for (const view of pages.get(user)!) {
      await open(page, fn, view);
      const words = foreignWords(await renderedText(page), lang, view.path);
      if (words.length) found.push(`${view.path}: ${words.join(' | ')}`);
    }
    expect(found, `${lang === 'zh-CN' ? 'English' : 'Chinese'} on ${user}'s ${lang} pages`).toEqual([]);
    await page.close();
  }, 180_000);
});

// Rules as the API sends them (contracts/rules.ts), and how the rules view reads them out.
import type { Condition, Effect, FieldFilter, MetricPredicate, Rule } from '../../contracts/rules';
import { label, lang } from './i18n';
import { metricLabel, metricUnits, td } from './messages/device';
import { tr } from './messages/rules';
import { categoryLabel } from './messages/workorders';

// The rule format is the server's (contracts/rules.ts): a rule read back from the API has every default filled in.
export type { Condition, Effect, FieldFilter, MetricPredicate };
export type RuleDefinition = Rule;
export type Comparison = Extract<MetricPredicate, { op: unknown }>['op'];

export interface RuleVersion {
  version: number;
  changedBy: string;
  changedAt: string;
  definition: RuleDefinition;
}

export interface CurrentRule extends RuleVersion {
  id: string;
}

export function isComparison(p: MetricPredicate): p is Extract<MetricPredicate, { op: Comparison }> {
  return 'op' in p;
}

/** "30 秒", "10 分钟", "24 小时", "30 天" (whole units only; else seconds). */
export function durationText(sec: number): string {
  if (sec >= 86_400 && sec % 86_400 === 0) return tr('rules.dur.d', { n: sec / 86_400 });
  if (sec >= 3600 && sec % 3600 === 0) return tr('rules.dur.h', { n: sec / 3600 });
  if (sec >= 60 && sec % 60 === 0) return tr('rules.dur.m', { n: sec / 60 });
  return tr('rules.dur.s', { n: sec });
}

export function predicateText(p: MetricPredicate): string {
  const name = metricLabel(p.metric);
  if (!isComparison(p)) {
    return `${name} ${tr('rules.rising', { window: durationText(p.rising.windowSec), delta: p.rising.minDelta })}`;
  }
  const unit = typeof p.value === 'number' && metricUnits[p.metric] ? ` ${metricUnits[p.metric]}` : '';
  // a yes/no reading (fan running, door open) in words, not true/false
  const value = typeof p.value === 'boolean' ? tr(p.value ? 'rules.true' : 'rules.false') : String(p.value);
  return `${name} ${p.op} ${value}${unit}`;
}

function predicatesText(list: MetricPredicate[]): string {
  return list.map(predicateText).join(` ${tr('rules.and')} `);
}

function filterText(field: string, f: FieldFilter): string {
  if (f.op === 'distinct_lt') return tr('rules.cond.distinct', { field, n: f.value });
  if (f.op === 'in') return `${field} ∈ {${f.value.join(', ')}}`;
  return `${field} ${f.op} ${String(f.value)}`;
}

export function conditionText(c: Condition): string {
  switch (c.kind) {
    case 'event': {
      let text = tr('rules.cond.event', { types: c.types.join(', ') });
      const where = Object.entries(c.where ?? {});
      if (where.length) text += ` ${tr('rules.cond.where', { filters: where.map(([k, f]) => filterText(k, f)).join(` ${tr('rules.and')} `) })}`;
      if (c.clearTypes?.length) text += tr('rules.cond.clears', { types: c.clearTypes.join(', ') });
      return text;
    }
    case 'held':
      return tr('rules.cond.held', { start: c.startTypes.join(', '), end: c.endTypes.join(', '), duration: durationText(c.forSec) });
    case 'metric': {
      const preds = predicatesText(c.when);
      let text = c.forSec ? tr('rules.cond.metric', { preds, duration: durationText(c.forSec) }) : tr('rules.cond.metricNow', { preds });
      if (c.clearWhen?.length) text += tr('rules.cond.metricClear', { preds: predicatesText(c.clearWhen) });
      if (c.special) {
        const special = predicatesText(c.special.when) + (c.special.forSec !== undefined ? ` (${durationText(c.special.forSec)})` : '');
        text += tr('rules.cond.metricSpecial', { periods: c.special.periods.join(', '), preds: special });
      }
      return text;
    }
    case 'rate':
      return tr('rules.cond.rate', { window: durationText(c.windowSec), count: c.count, types: c.types.join(', ') });
    case 'absence':
      return tr('rules.cond.absence', { n: c.heartbeats ?? 3 });
    case 'correlation':
      return tr('rules.cond.correlation', { n: c.minDevices, window: durationText(c.windowSec), types: c.types.join(', ') });
    default:
      return JSON.stringify(c);
  }
}

export function effectText(e: Effect): string {
  switch (e.kind) {
    case 'alarm':
      return e.likelyFire ? tr('rules.effect.alarmLikely') : tr('rules.effect.alarm');
    case 'workorder':
      return tr('rules.effect.workorder', { category: categoryLabel(e.category) });
    case 'hazard':
      return tr('rules.effect.hazard', { level: td(`device.level.${e.level}` as Parameters<typeof td>[0]) });
    case 'command':
      return tr('rules.effect.command', { type: e.type });
    case 'notify':
      return tr('rules.effect.notify');
    default:
      return '';
  }
}

export function familiesText(families: string[]): string {
  return families.map((f) => label('family', f)).join('、');
}

/** A rule's name in the viewer's language (its Chinese name when it has no English one). */
export function ruleName(rule: Pick<RuleDefinition, 'name' | 'nameEn'>): string {
  return lang.value === 'en' && rule.nameEn ? rule.nameEn : rule.name;
}

/** A rule's description in the viewer's language (the Chinese when it has no English one). */
export function ruleDescription(rule: Pick<RuleDefinition, 'description' | 'descriptionEn'>): string {
  return (lang.value === 'en' && rule.descriptionEn ? rule.descriptionEn : rule.description) ?? '';
}

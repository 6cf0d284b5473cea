// Which enabled rules an input can concern, by device family and event type, worked out once per
// rule set. Cached by the identity of the rules array: the shell passes a new array when rules change.
import { deviceFamilies, type DeviceFamily } from '../../contracts/device-api.js';
import type { MetricPredicate, Rule, SpecialPeriod } from '../../contracts/rules.js';

type MetricCondition = Extract<Rule['condition'], { kind: 'metric' }>;

export interface MetricRule {
  rule: Rule;
  condition: MetricCondition;
  /** Every metric the rule reads (when, special.when, clearWhen). */
  metrics: string[];
  /** Metrics read by `rising` predicates, whose samples are kept. */
  risingMetrics: string[];
  /** Longest `rising` window in ms: how much history to keep. */
  maxWindowMs: number;
}

export interface FamilyRules {
  /** Event type -> rules (event, held, rate, correlation) that name it, in rule order. */
  byEventType: Map<string, Rule[]>;
  metric: MetricRule[];
  absence: Rule[];
}

export interface CompiledRules {
  /** Enabled rules only. */
  byId: Map<string, Rule>;
  metricById: Map<string, MetricRule>;
  families: Record<DeviceFamily, FamilyRules>;
}

const cache = new WeakMap<readonly Rule[], CompiledRules>();

export function compileRules(rules: readonly Rule[]): CompiledRules {
  let compiled = cache.get(rules);
  if (!compiled) {
    compiled = build(rules);
    cache.set(rules, compiled);
  }
  return compiled;
}

/** True when the rule is enabled and covers the family: the only rules the engine looks at. */
export function ruleApplies(compiled: CompiledRules, ruleId: string, family: DeviceFamily): Rule | undefined {
  const rule = compiled.byId.get(ruleId);
  return rule && rule.families.includes(family) ? rule : undefined;
}

function build(rules: readonly Rule[]): CompiledRules {
  const families = Object.fromEntries(deviceFamilies.map((f) => [f, { byEventType: new Map(), metric: [], absence: [] }])) as unknown as Record<DeviceFamily, FamilyRules>;
  const byId = new Map<string, Rule>();
  const metricById = new Map<string, MetricRule>();
  for (const rule of rules) {
    if (!rule.enabled) continue;
    byId.set(rule.id, rule);
    const c = rule.condition;
    if (c.kind === 'metric') metricById.set(rule.id, compileMetric(rule, c));
    for (const family of new Set(rule.families)) {
      const f = families[family];
      if (c.kind === 'metric') f.metric.push(metricById.get(rule.id)!);
      else if (c.kind === 'absence') f.absence.push(rule);
      else for (const type of eventTypes(c)) addTo(f.byEventType, type, rule);
    }
  }
  return { byId, metricById, families };
}

function eventTypes(c: Exclude<Rule['condition'], { kind: 'metric' | 'absence' }>): Set<string> {
  switch (c.kind) {
    case 'event': return new Set([...c.types, ...c.clearTypes]);
    case 'held': return new Set([...c.startTypes, ...c.endTypes]);
    case 'rate':
    case 'correlation': return new Set(c.types);
  }
}

function addTo(map: Map<string, Rule[]>, type: string, rule: Rule): void {
  const list = map.get(type);
  if (list) list.push(rule);
  else map.set(type, [rule]);
}

function compileMetric(rule: Rule, condition: MetricCondition): MetricRule {
  const predicates: MetricPredicate[] = [...condition.when, ...(condition.special?.when ?? []), ...(condition.clearWhen ?? [])];
  const rising = predicates.flatMap((p) => ('rising' in p ? [p] : []));
  return {
    rule,
    condition,
    metrics: [...new Set(predicates.map((p) => p.metric))],
    risingMetrics: [...new Set(rising.map((p) => p.metric))],
    maxWindowMs: Math.max(0, ...rising.map((p) => p.rising.windowSec * 1000)),
  };
}

interface ParsedPeriod { name: string; from: number; to: number }
const periodCache = new WeakMap<readonly SpecialPeriod[], ParsedPeriod[]>();

/** True when a period with one of `names` is in force at `at` (from <= at < to). */
export function periodActive(periods: readonly SpecialPeriod[], names: readonly string[], at: number): boolean {
  let parsed = periodCache.get(periods);
  if (!parsed) {
    parsed = periods.map((p) => ({ name: p.name, from: Date.parse(p.from), to: Date.parse(p.to) }));
    periodCache.set(periods, parsed);
  }
  for (const p of parsed) if (p.from <= at && at < p.to && names.includes(p.name)) return true;
  return false;
}

// The rules a hospital has switched on from day one, one JSON file per device family plus one for
// rules across families. Imported (not read from disk) so tsc copies the files to dist.
import chargingStation from './defaults/charging-station.json' with { type: 'json' };
import crossFamily from './defaults/cross-family.json' with { type: 'json' };
import firePanel from './defaults/fire-panel.json' with { type: 'json' };
import hazmatCabinet from './defaults/hazmat-cabinet.json' with { type: 'json' };
import smokeDetector from './defaults/smoke-detector.json' with { type: 'json' };
import { Rule } from '../../contracts/rules.js';

const files: ReadonlyArray<readonly [string, unknown]> = [
  ['smoke-detector.json', smokeDetector],
  ['fire-panel.json', firePanel],
  ['charging-station.json', chargingStation],
  ['hazmat-cabinet.json', hazmatCabinet],
  ['cross-family.json', crossFamily],
];

/** The default rules, validated; a bad file throws naming the file, the rule and the field. */
export function defaultRules(): Rule[] {
  const seen = new Map<string, string>();
  return files.flatMap(([file, content]) => parseRuleFile(`rules/defaults/${file}`, content).map((rule) => {
    const other = seen.get(rule.id);
    if (other) throw new Error(`rules/defaults/${file}: rule "${rule.id}": id: already defined in ${other}`);
    seen.set(rule.id, `rules/defaults/${file}`);
    return rule;
  }));
}

/** Parses one file's array of rules. */
export function parseRuleFile(file: string, content: unknown): Rule[] {
  if (!Array.isArray(content)) throw new Error(`${file}: an array of rules expected`);
  return content.map((raw: unknown, i) => {
    const parsed = Rule.safeParse(raw);
    const id = (raw as { id?: unknown } | null)?.id;
    const name = typeof id === 'string' ? `rule "${id}"` : `rule #${i + 1}`;
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      throw new Error(`${file}: ${name}: ${issue.path.join('.') || '(root)'}: ${issue.message}`);
    }
    return parsed.data;
  });
}

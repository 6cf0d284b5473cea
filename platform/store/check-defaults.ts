// The built-in checklists (contracts/duties.ts) as the SQL that seeds version 1 of each, one per institution kind and rhythm.
import { checkRhythms, defaultCheckItems, institutionKinds, templateId } from '../../contracts/duties.js';

const literal = (text: string): string => `'${text.replaceAll("'", "''")}'`;

export const defaultCheckTemplatesSql: string = institutionKinds.flatMap((kind) => checkRhythms.map((rhythm) => {
  const items = JSON.stringify(defaultCheckItems(kind, rhythm).map((code) => ({ code, label: null })));
  return `insert into check_templates (id, version, institution_kind, rhythm, items, created_by, created_at)
    values (${literal(templateId(kind, rhythm))}, 1, ${literal(kind)}, ${literal(rhythm)}, ${literal(items)}::jsonb, 'system', now());`;
})).join('\n');

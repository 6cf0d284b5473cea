// The bench's output: one markdown table, FireNet beside its references of the same run.
export interface Row {
  figure: string;
  firenet: string;
  aedes?: string;
  mosquitto?: string;
  /** FireNet ÷ bare aedes, and ÷ mosquitto (already formatted). */
  vsAedes?: string;
  vsMosquitto?: string;
  target?: string;
  /** Whether the target was met; undefined where the issue sets none. */
  met?: boolean;
}

export function table(rows: Row[]): string {
  const cells = (r: Row) => [r.figure, r.firenet, r.aedes ?? '', r.mosquitto ?? '', r.vsAedes ?? '', r.vsMosquitto ?? '',
    r.target === undefined ? '' : `${r.target} ${r.met === undefined ? '' : r.met ? '✅' : '❌ missed'}`.trim()];
  return [
    '| figure | FireNet | bare aedes | mosquitto | ÷ aedes | ÷ mosquitto | target |',
    '|---|---|---|---|---|---|---|',
    ...rows.map((r) => `| ${cells(r).join(' | ')} |`),
  ].join('\n');
}

// Risk levels (风险等级) and their colours: the four-colour scheme of the seeds, worst first.
import { to } from '../../messages/overview';

export const riskLevels = ['major', 'significant', 'general', 'low'] as const;
export type RiskLevel = (typeof riskLevels)[number];

export const RISK_COLORS: Record<RiskLevel, string> = {
  major: '#e53935',
  significant: '#fb8c00',
  general: '#fdd835',
  low: '#1e88e5',
};
/** Institutions, none with an open hazard. */
export const NO_RISK_COLOR = '#2f6b4f';
/** No institution connected (or nothing known): grey. */
export const NO_DATA_COLOR = '#4a5563';

export function isRiskLevel(value: unknown): value is RiskLevel {
  return typeof value === 'string' && (riskLevels as readonly string[]).includes(value);
}

/** The map colour of a region or institution: its worst open risk; without one, "clear" or "no data". */
export function riskColor(risk: string | null | undefined, hasData: boolean): string {
  if (isRiskLevel(risk)) return RISK_COLORS[risk];
  return hasData ? NO_RISK_COLOR : NO_DATA_COLOR;
}

export function riskName(risk: string | null | undefined, hasData = true): string {
  if (isRiskLevel(risk)) return to(`risk.${risk}`);
  return hasData ? to('risk.none') : to('risk.nodata');
}

export function riskShort(risk: RiskLevel): string {
  return to(`riskShort.${risk}`);
}

/** Text colour readable on a risk colour (yellow needs dark text). */
export function riskInk(risk: string | null | undefined): string {
  return risk === 'general' || risk === 'significant' ? '#1a1a1a' : '#ffffff';
}

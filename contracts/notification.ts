// What a notification is: its kinds and what each carries, as the viewers' sockets (contracts/realtime.ts) and the webhooks receive it.
import type { TicketState } from './records.js';

/** A text in both of the dashboard's languages (a rule's own words, typed by an admin). */
export interface BilingualText {
  'zh-CN': string;
  en: string | null;
}

/** What each kind of notification carries. */
export interface NotificationData {
  /** A real fire confirmed by the control room: every bureau above is told at once. */
  'fire.confirmed': { alarmId: string; deviceId: string; location: string };
  /** An alarm still unconfirmed at the escalation mark. */
  'alarm.escalated': { alarmId: string; deviceId: string; location: string; afterSec: number };
  /** A bureau put a hazard under supervision (挂牌督办). `titleEn`: a rule-made hazard's English title (null: as written). */
  'ticket.escalated': { ticketId: string; title: string; titleEn: string | null; by: string; note: string };
  /** A hazard past the deadline of its state (`state`: reported, registered, rectifying, ...; `deadline`: that state's). */
  'ticket.overdue': { ticketId: string; title: string; titleEn: string | null; deadline: string | null; state: TicketState };
  /** A major hazard (重大事故隐患) opened: reported upward to every bureau above at once; to register by `registerBy`. */
  'ticket.major_reported': { ticketId: string; title: string; titleEn: string | null; criterion: string | null; registerBy: string | null };
  /** A device did not answer a downlink command. */
  'command.failed': { commandId: string; deviceId: string; command: string };
  /** A rule's notify effect: the rule's own words. */
  'rule.notify': { ruleId: string; rule: BilingualText; message: BilingualText; deviceId: string | null; port?: number | null };
  /**
   * A monthly report not submitted by its due day (每月报送): an institution's (to it and its county bureau) or a region's
   * summary (to that bureau and the one above; `siteId`/`siteName` then carry the region's code and name).
   */
  'report.late': { month: string; level: 'site' | 'county' | 'city' | 'province'; subject: string; dueDate: string };
  /** A monthly report returned by the bureau above, with the reason: to be submitted again. */
  'report.returned': { submissionId: string; month: string; level: 'site' | 'county' | 'city' | 'province'; subject: string; reason: string; by: string };
}
export type NotificationKind = keyof NotificationData;
export const notificationKinds = ['fire.confirmed', 'alarm.escalated', 'ticket.escalated', 'ticket.overdue', 'ticket.major_reported', 'command.failed', 'rule.notify', 'report.late', 'report.returned'] as const satisfies readonly NotificationKind[];

export type Notification = {
  [K in NotificationKind]: { kind: K; siteId: string; siteName: string; at: string; data: NotificationData[K] };
}[NotificationKind];

/** What a webhook receives: the notification and a Chinese line for systems that show only text. */
export type WebhookPayload = Notification & { text: string };

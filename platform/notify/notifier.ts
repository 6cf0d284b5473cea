// Notifications: pushed to the institution's viewers over socket.io and POSTed to its webhook, if it has one.
// The server sends what happened (a kind and its data), never words: the dashboard words each kind in the viewer's
// language. A webhook gets the same, plus a Chinese `text` for systems that only show a line (a 119 platform, SMS).
import type { Logger } from 'pino';
import type { Publisher } from '../realtime/publisher.js';
import type { Site } from '../schemas.js';
import { notificationText } from './text.js';

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
  /** A hazard past its rectification deadline. */
  'ticket.overdue': { ticketId: string; title: string; titleEn: string | null; deadline: string | null };
  /** A device did not answer a downlink command. */
  'command.failed': { commandId: string; deviceId: string; command: string };
  /** A rule's notify effect: the rule's own words. */
  'rule.notify': { ruleId: string; rule: BilingualText; message: BilingualText; deviceId: string | null; port?: number | null };
}
export type NotificationKind = keyof NotificationData;
export const notificationKinds = ['fire.confirmed', 'alarm.escalated', 'ticket.escalated', 'ticket.overdue', 'command.failed', 'rule.notify'] as const satisfies readonly NotificationKind[];

export type Notification = {
  [K in NotificationKind]: { kind: K; siteId: string; siteName: string; at: string; data: NotificationData[K] };
}[NotificationKind];

/** What a webhook receives: the notification and a Chinese line for systems that show only text. */
export type WebhookPayload = Notification & { text: string };

export class Notifier {
  sent = 0;
  failed = 0;

  constructor(private readonly publisher: Publisher, private readonly logger: Logger, private readonly fetchImpl: typeof fetch = fetch) {}

  notify(site: Site, n: Notification, opts: { upTo?: 'county' | 'all' } = {}): void {
    this.publisher.toSite(site.id, site.regionCode, 'notification', n, opts);
    if (site.webhookUrl) void this.post(site.webhookUrl, { ...n, text: notificationText(n) });
  }

  /** Fire and forget, with three tries; a webhook that stays down is logged, never blocks the caller. */
  private async post(url: string, n: WebhookPayload): Promise<void> {
    for (let attempt = 1; attempt <= 3; attempt++) {
      try {
        const res = await this.fetchImpl(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(n), signal: AbortSignal.timeout(5000) });
        if (res.ok) { this.sent++; return; }
        this.logger.warn({ url, status: res.status, attempt, siteId: n.siteId }, 'webhook refused a notification');
      } catch (err) {
        this.logger.warn({ url, err: (err as Error).message, attempt, siteId: n.siteId }, 'webhook unreachable');
      }
      await new Promise((r) => setTimeout(r, 500 * attempt));
    }
    this.failed++;
    this.logger.error({ url, siteId: n.siteId, kind: n.kind }, 'notification not delivered to the webhook');
  }
}

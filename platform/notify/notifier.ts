// Notifications: pushed to the institution's viewers over socket.io and POSTed to its webhook, if it has one.
// The server sends what happened (a kind and its data), never words: the dashboard words each kind in the viewer's
// language. A webhook gets the same, plus a Chinese `text` for systems that only show a line (a 119 platform, SMS).
import type { Logger } from 'pino';
import type { Publisher } from '../realtime/publisher.js';
import type { Site } from '../../contracts/records.js';
import type { Notification, WebhookPayload } from '../../contracts/notification.js';
import { notificationText } from './text.js';

export { notificationKinds, type BilingualText, type Notification, type NotificationData, type NotificationKind, type WebhookPayload } from '../../contracts/notification.js';

export class Notifier {
  sent = 0;
  failed = 0;

  constructor(private readonly publisher: Publisher, private readonly logger: Logger, private readonly fetchImpl: typeof fetch = fetch) {}

  notify(site: Site, n: Notification, opts: { upTo?: 'county' | 'all' } = {}): void {
    this.publisher.toSite(site.id, site.regionCode, 'notification', n, opts);
    if (site.webhookUrl) void this.post(site.webhookUrl, { ...n, text: notificationText(n) });
  }

  /** To a region's bureau and the bureau above it (a region's monthly summary: regions have no webhook). */
  notifyRegion(regionCode: string, n: Notification): void {
    this.publisher.toRegion(regionCode, 'notification', n);
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

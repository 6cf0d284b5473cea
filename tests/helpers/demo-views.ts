// Every page of the dashboard as each demo user (README "Demo users") sees it, against FireNet in demo mode:
// which pages a role has (dashboard/src/access.ts), one record of each detail page in the user's scope, and
// opening a page until it has finished loading. Shared by the browser tests that walk the whole dashboard.
import type { Browser, Page } from 'playwright-core';
import { DEMO_PASSWORD } from '../../platform/auth/users.js';
import { demoUsers } from '../../platform/demo/province.js';
import { viewsOf, type ViewKey } from '../../dashboard/src/access.js';
import { ADMIN_PASSWORD, type TestFireNet } from './firenet.js';

export const DEMO_ROLES = ['admin', ...demoUsers.map((u) => u.username)] as const;

/** A page: its address, the element that shows it has rendered, and a name for screenshots. */
export interface ViewPage {
  name: string;
  path: string;
  ready: string;
}

const ROOT: Record<ViewKey, string> = {
  overview: '[data-testid=overview-map][data-state=ready]',
  desk: '[data-testid=view-AlarmDeskView] [data-testid=alarm-total]',
  workorders: '[data-testid=view-WorkOrdersView] [data-testid=workorder-table]',
  tickets: '[data-testid=view-tickets] .panel, [data-testid=view-tickets] [data-testid=ticket-kanban]',
  reports: '[data-testid=report-sheet]',
  rules: '[data-testid=view-RulesView] [data-rule-id]',
  admin: '[data-testid=view-AdminView]',
  risks: '[data-testid=view-risks] [data-testid=risk-table][data-loaded=true]',
  'control-room': '[data-testid=view-control-room] [data-testid=on-duty-list][data-loaded=true]',
  preparedness: '[data-testid=view-preparedness] [data-testid=preparedness-status][data-loaded=true]',
};

export function passwordOf(username: string): string {
  return username === 'admin' ? ADMIN_PASSWORD : DEMO_PASSWORD;
}

/** The pages `username` may open: its views (with their sections), and one ticket, device and institution in its scope. */
export async function pagesOf(fn: TestFireNet, username: string): Promise<ViewPage[]> {
  const token = await fn.login(username, passwordOf(username));
  const me = (await fn.api<{ role: string }>('/api/auth/me', { token })).body;
  const pages: ViewPage[] = viewsOf(me.role).map((view) => ({ name: view, path: `/${view}`, ready: ROOT[view] }));
  if (me.role === 'admin') {
    for (const section of ['tokens', 'import', 'audit']) pages.push({ name: `admin-${section}`, path: `/admin?section=${section}`, ready: `[data-testid=view-AdminView][data-section=${section}]` });
  }
  pages.push({ name: 'tickets-kanban', path: '/tickets?view=kanban', ready: '[data-testid=ticket-kanban]' });
  // 通报与约谈, reached from the hazard list (a page of the tickets view): the bureaus', and the institutions' to acknowledge
  if (['admin', 'bureau', 'safety_manager'].includes(me.role)) pages.push({ name: 'supervision', path: '/supervision', ready: '[data-testid=view-supervision] [data-loaded=true]' });
  const [ticket] = (await fn.api<{ id: string }[]>('/api/tickets?limit=1', { token })).body;
  const [device] = (await fn.api<{ id: string }[]>('/api/devices?limit=1', { token })).body;
  const [site] = (await fn.api<{ id: string }[]>('/api/sites?limit=1', { token })).body;
  if (ticket) pages.push({ name: 'ticket', path: `/tickets/${ticket.id}`, ready: '[data-testid=view-ticket] [data-testid=ticket-title]' });
  if (device) pages.push({ name: 'device', path: `/devices/${device.id}`, ready: '[data-testid=view-DeviceDetailView] [data-testid=device-telemetry]' });
  if (site) pages.push({ name: 'site', path: `/sites/${site.id}`, ready: '[data-testid=view-site] [data-testid=site-name]' });
  return pages;
}

export async function signIn(browser: Browser, fn: TestFireNet, username: string, size: { width: number; height: number }, lang: 'zh-CN' | 'en' = 'zh-CN'): Promise<Page> {
  const page = await browser.newPage({ viewport: size, locale: lang });
  await page.addInitScript((l) => localStorage.setItem('firenet.lang', l), lang);
  await page.goto(fn.httpUrl);
  await page.fill('input[name=username]', username);
  await page.fill('input[name=password]', passwordOf(username));
  await page.click('button[type=submit]');
  await page.waitForSelector('[data-testid=connection][data-state=live]');
  return page;
}

/** Opens a page and waits until it has rendered and its requests have settled. */
export async function open(page: Page, fn: TestFireNet, view: ViewPage): Promise<void> {
  await page.goto(`${fn.httpUrl}/#${view.path}`);
  await page.locator(view.ready).first().waitFor({ timeout: 20_000 });
  await page.waitForLoadState('networkidle');
  // "loading…" notices gone
  await page.waitForFunction(() => !/正在加载|Loading/.test(document.querySelector('main')?.textContent ?? ''), undefined, { timeout: 20_000 });
}

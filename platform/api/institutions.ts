// 两公开: each institution's fire-safety responsible person and manager, published without sign-in behind a link
// that cannot be guessed (a random token kept on the institution, rotated by an admin); the page to print is
// /public/institutions/<token>, and its QR code (an SVG drawn by the `qrcode` package) is /public/institutions/<token>/qr.svg.
import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { FastifyRequest } from 'fastify';
import QRCode from 'qrcode';
import { PublicInstitution, type InstitutionGrade, type InstitutionKind, type ResponsiblePerson } from '../../contracts/duties.js';
import { Id, type Site } from '../../contracts/records.js';
import { caller, HttpError, requireRole, scopes } from './context.js';

const Token = z.object({ token: z.string().max(128) });
const PublicLink = z.object({
  token: z.string(),
  path: z.string().describe('the public page; the JSON is at /api/public/institutions/<token>'),
  qrPath: z.string().describe('its QR code to print (SVG, no sign-in), encoding the page\'s full address'),
});
const linkOf = (token: string) => ({ token, path: `/public/institutions/${token}`, qrPath: `/public/institutions/${token}/qr.svg` });

/** The address the page was reached at (behind a proxy trusted by TRUST_PROXY, the one it was forwarded for). */
const originOf = (request: FastifyRequest): string => `${request.protocol}://${request.host}`;

/** The QR code of a public page's full address, as an SVG that prints sharp at any size. */
const qrSvg = (url: string): Promise<string> => QRCode.toString(url, { type: 'svg', errorCorrectionLevel: 'M', margin: 2, width: 256 });

const publicOf = (s: Site): PublicInstitution => ({
  name: s.name, kind: s.kind, grade: s.grade, ownership: s.ownership, keyUnit: s.keyUnit, highRisk: s.highRisk,
  regionCode: s.regionCode, address: s.address, fireSafetyResponsible: s.fireSafetyResponsible, fireSafetyManager: s.fireSafetyManager,
});

export const institutionRoutes: FastifyPluginAsyncZod = async (app) => {
  const { store } = app.services;

  const byToken = async (token: string): Promise<Site> => {
    const found = await store.institutions.byPublicToken(token);
    const site = found && (await store.getSite(found.id));
    if (!site) throw new HttpError(404, 'token: no such public page');
    return site;
  };

  app.get('/api/public/institutions/:token', {
    schema: {
      tags: ['public'], summary: 'An institution\'s public record (两公开: its fire-safety responsible person and manager); no sign-in, the link is the key',
      security: [], params: Token, response: { 200: PublicInstitution },
    },
  }, async (request) => publicOf(await byToken(request.params.token)));

  app.get('/public/institutions/:token', {
    schema: { tags: ['public'], summary: 'The same as a page to read or print (zh-CN with English)', security: [], params: Token },
  }, async (request, reply) => {
    const site = await byToken(request.params.token);
    return reply.header('content-type', 'text/html; charset=utf-8').header('cache-control', 'no-store').header('referrer-policy', 'no-referrer')
      .send(publicPage(publicOf(site), linkOf(request.params.token).qrPath));
  });

  app.get('/public/institutions/:token/qr.svg', {
    schema: { tags: ['public'], summary: 'The public page\'s QR code to print (SVG; no sign-in, the link is the key)', security: [], params: Token, produces: ['image/svg+xml'] },
  }, async (request, reply) => {
    await byToken(request.params.token);
    const svg = await qrSvg(`${originOf(request)}${linkOf(request.params.token).path}`);
    return reply.header('content-type', 'image/svg+xml; charset=utf-8').header('cache-control', 'no-store').header('referrer-policy', 'no-referrer').send(svg);
  });

  app.get('/api/sites/:id/public-link', {
    schema: { tags: ['registry'], summary: 'The institution\'s public page link (admins, and its safety managers to print it)', params: z.object({ id: Id }), response: { 200: PublicLink } },
  }, async (request) => {
    const user = requireRole(request, 'admin', 'safety_manager');
    const site = (await store.listSites([...scopes(user), { siteIds: [request.params.id] }]))[0];
    const token = site && (await store.institutions.publicToken(site.id));
    if (!token) throw new HttpError(404, `id: no institution ${request.params.id}`);
    return linkOf(token);
  });

  app.post('/api/sites/:id/public-link', {
    schema: { tags: ['registry'], summary: 'A new public link (admin): the old one stops working at once', params: z.object({ id: Id }), response: { 200: PublicLink } },
  }, async (request) => {
    requireRole(request, 'admin');
    caller(request);
    const token = await store.institutions.rotatePublicToken(request.params.id);
    if (!token) throw new HttpError(404, `id: no institution ${request.params.id}`);
    return linkOf(token);
  });
};

// The page's words: a public reader has no dashboard, so this page carries its own (the same codes the dashboard names).
const KIND: Record<InstitutionKind, string> = {
  general_hospital: '综合医院 General hospital', tcm_hospital: '中医医院 TCM hospital', maternal_child: '妇幼保健机构 Maternal and child health',
  specialty_hospital: '专科医院 Specialty hospital', primary_care: '基层医疗卫生机构 Primary care', private_hospital: '民营医院 Private hospital',
  elderly_care: '养老机构 Elderly care', childcare: '托育机构 Childcare', other: '其他 Other',
};
const GRADE: Record<InstitutionGrade, string> = { grade3: '三级 Grade III', grade2: '二级 Grade II', grade1: '一级 Grade I', ungraded: '未定级 Ungraded' };

const escape = (text: string): string => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function personRows(title: string, p: ResponsiblePerson | null): string {
  if (!p) return `<tr><th>${title}</th><td>未公示 Not published</td></tr>`;
  const phone = p.phone ? ` · <a href="tel:${escape(p.phone.replace(/[^0-9+]/g, ''))}">${escape(p.phone)}</a>` : '';
  return `<tr><th>${title}</th><td><strong>${escape(p.name)}</strong>${p.post ? ` · ${escape(p.post)}` : ''}${phone}</td></tr>`;
}

function publicPage(i: PublicInstitution, qrPath: string): string {
  const flags = [i.keyUnit ? '消防安全重点单位 Fire-safety key unit' : null, i.highRisk ? '火灾高危单位 High fire-risk unit' : null].filter(Boolean).join('<br>');
  return `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex"><link rel="icon" href="data:,"><title>${escape(i.name)} · 消防安全责任公示</title>
<style>body{font-family:system-ui,"Noto Sans CJK SC","WenQuanYi Micro Hei",sans-serif;max-width:40rem;margin:2rem auto;padding:0 1rem;color:#222}
h1{font-size:1.4rem}h2{font-size:1rem;color:#555;font-weight:normal}table{border-collapse:collapse;width:100%}th,td{border:1px solid #ccc;padding:.5rem;text-align:left;vertical-align:top}th{width:38%;background:#f5f5f5}
.qr{text-align:center}@media print{body{margin:0}}</style></head>
<body><h1>${escape(i.name)}</h1><h2>消防安全责任人、管理人公示 · Fire-safety responsible persons (两公开)</h2>
<table>
<tr><th>机构类别 Kind</th><td>${KIND[i.kind]}</td></tr>
<tr><th>等级 Grade</th><td>${GRADE[i.grade]} · ${i.ownership === 'private' ? '民营 Private' : '公立 Public'}</td></tr>
${flags ? `<tr><th>消防管理类别 Category</th><td>${flags}</td></tr>` : ''}
${i.address ? `<tr><th>地址 Address</th><td>${escape(i.address)}</td></tr>` : ''}
${personRows('消防安全责任人 Responsible person', i.fireSafetyResponsible)}
${personRows('消防安全管理人 Fire-safety manager', i.fireSafetyManager)}
</table>
<p>发现火灾隐患请向上述人员反映；发生火灾请立即拨打 119。 Report fire hazards to the persons above; in case of fire call 119.</p>
<p class="qr"><img src="${escape(qrPath)}" width="160" height="160" alt="本页二维码 QR code of this page"></p>
</body></html>`;
}

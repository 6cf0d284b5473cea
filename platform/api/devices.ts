import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { CHARGER_COMMAND_RETRIES, CHARGER_COMMAND_TIMEOUT_SEC, ChargerCommand, DeviceFamily } from '../../contracts/device-api.js';
import { CommandRecord, Device, Id, NewDevice, RegionCode } from '../../contracts/records.js';
import { caller, HttpError, requireRole, scopes } from './context.js';
import { page, paging } from './paging.js';
import { InstitutionFilterQuery, splitInstitutionFilter, withInstitutionFilter } from './institution-filter.js';
import { withLastSeen } from '../devices/last-seen.js';
import { csvLine, decodeCsv } from '../devices/csv.js';
import { IMPORT_COLUMNS, MAX_IMPORT_ROWS } from '../devices/provisioning.js';
import type { ImportRefusal } from '../../contracts/device-import.js';
import { DEFAULT_DUTY_TIMEOUT_MIN, TRANSMISSION_COMMAND_RETRIES, TRANSMISSION_COMMAND_TIMEOUT_SEC, TransmissionCommand } from '../../contracts/gb26875/commands.js';
import { deviceCommanders } from '../auth/permissions.js';
import { DeviceDetail } from '../../contracts/http.js';

export const deviceRoutes: FastifyPluginAsyncZod = async (app) => {
  const { store, provisioning } = app.services;
  /** Online at once after a message, not after the next batched last-seen write. */
  const live = (device: Device): Device => withLastSeen(device, app.services.lastSeen(device.id), Date.now());

  app.get('/api/devices', {
    schema: {
      tags: ['devices'],
      summary: 'Devices visible to the caller, by id; order=attention: disabled first, then offline, then online (by id within each)',
      querystring: z.object({
        region: RegionCode.optional(),
        siteId: Id.optional(),
        family: DeviceFamily.optional(),
        order: z.enum(['id', 'attention']).default('id'),
        ...InstitutionFilterQuery.shape,
        ...paging(500, 5000),
      }),
      response: { 200: z.array(Device) },
    },
  }, async (request, reply) => {
    const { rest: { region, limit, offset, order, ...filter }, institution } = splitInstitutionFilter(request.query);
    const visible = withInstitutionFilter(scopes(caller(request), region), institution);
    const [items, total] = await Promise.all([store.listDevices(visible, { ...filter, limit, offset, order }), store.countDevices(visible, filter)]);
    return page(reply, items.map(live), total);
  });

  app.get('/api/devices/:id', {
    schema: {
      tags: ['devices'],
      summary: 'One device: last seen, online state, bad messages (count and the latest), messages dropped over its rate',
      params: z.object({ id: Id }),
      response: { 200: DeviceDetail },
    },
  }, async (request) => {
    const device = await store.getDevice(request.params.id, scopes(caller(request)));
    if (!device) throw new HttpError(404, `id: no device ${request.params.id}`);
    return { ...live(device), recentBadMessages: await store.listBadMessages(device.id) };
  });

  app.get('/api/devices/:id/commands', {
    schema: {
      tags: ['devices'],
      summary: 'Downlink commands sent to the device and their acknowledgement (pending, acked, rejected, failed)',
      params: z.object({ id: Id }),
      response: { 200: z.array(CommandRecord) },
    },
  }, async (request) => {
    const device = await store.getDevice(request.params.id, scopes(caller(request)));
    if (!device) throw new HttpError(404, `id: no device ${request.params.id}`);
    return store.commands.listForDevice(device.id);
  });

  app.patch('/api/devices/:id', {
    schema: {
      tags: ['devices'],
      summary: 'Disable or enable a device (admin); disabling closes its MQTT connection at once and refuses it (CONNACK 5)',
      params: z.object({ id: Id }),
      body: z.object({ disabled: z.boolean() }),
      response: { 200: Device },
    },
  }, async (request) => {
    const { id } = request.params;
    if (!(await store.getDevice(id, scopes(caller(request))))) throw new HttpError(404, `id: no device ${id}`);
    requireRole(request, 'admin');
    await provisioning.setDisabled(id, request.body.disabled);
    return live((await store.getDevice(id))!);
  });

  app.post('/api/devices/:id/commands', {
    schema: {
      tags: ['devices'],
      summary: 'Send a device a command. A transmission device (GB/T 26875.3): read_status, read_version, read_time, sync_clock, or duty_check '
        + '(查岗: the duty room answers within timeoutMin, default 10); sent at once, again every 10 s up to 3 more times without an answer. '
        + 'A charging station: power_off with its port (远程断电); sent at once, again after 10 s up to 2 more times. '
        + 'Without an answer it fails with a command_failed work order; follow it in GET /api/devices/:id/commands and the `command` push',
      params: z.object({ id: Id }),
      body: z.union([TransmissionCommand, ChargerCommand]),
      response: { 202: CommandRecord },
    },
  }, async (request, reply) => {
    const { id } = request.params;
    const device = await store.getDevice(id, scopes(caller(request)));
    if (!device) throw new HttpError(404, `id: no device ${id}`);
    requireRole(request, ...deviceCommanders);
    const body = request.body;
    const forCharger = body.type === 'power_off';
    const family = forCharger ? 'charging_station' : 'transmission_device';
    if (device.family !== family) throw new HttpError(400, `type: ${id} is a ${device.family}; ${body.type} is for a ${family}`);
    if (device.disabled) throw new HttpError(409, `id: ${id} is disabled`);
    const record = await app.services.commands.send(body.type === 'power_off'
      ? { deviceId: id, type: body.type, params: { port: body.port }, ruleId: null, subject: null, timeoutSec: CHARGER_COMMAND_TIMEOUT_SEC, retries: CHARGER_COMMAND_RETRIES }
      : {
        deviceId: id, type: body.type, params: body.type === 'duty_check' ? { timeoutMin: body.timeoutMin ?? DEFAULT_DUTY_TIMEOUT_MIN } : {},
        ruleId: null, subject: null, timeoutSec: TRANSMISSION_COMMAND_TIMEOUT_SEC, retries: TRANSMISSION_COMMAND_RETRIES,
      });
    return reply.code(202).send(record);
  });

  app.post('/api/devices/:id/rotate-secret', {
    schema: {
      tags: ['devices'],
      summary: 'A new MQTT secret for the device (admin), shown this once; the old one is refused and its connection closed',
      params: z.object({ id: Id }),
      response: { 200: z.object({ id: z.string(), secret: z.string() }) },
    },
  }, async (request) => {
    const { id } = request.params;
    if (!(await store.getDevice(id, scopes(caller(request))))) throw new HttpError(404, `id: no device ${id}`);
    requireRole(request, 'admin');
    const secret = await provisioning.rotateSecret(id);
    if (!secret) throw new HttpError(404, `id: no device ${id}`);
    return { id, secret };
  });

  // A device list as CSV; JSON bodies keep the server-wide parser.
  app.addContentTypeParser('text/csv', { parseAs: 'buffer', bodyLimit: 4 * 1024 * 1024 }, (_req, body, done) => done(null, decodeCsv(body as Buffer)));

  app.post('/api/devices/import', {
    bodyLimit: 4 * 1024 * 1024,
    schema: {
      tags: ['devices'],
      summary: `Provision devices from a CSV file (admin), all or nothing: columns ${IMPORT_COLUMNS.join(',')} (institution = site id; at most ${MAX_IMPORT_ROWS} rows; UTF-8, or GB18030/GBK as Excel saves it on Chinese Windows). `
        + 'The reply is a CSV download of id,secret, shown this once; a file with bad rows gets a 400 (code import.invalid_rows) listing each problem '
        + 'as {line, field, code, params, message} (code: e.g. value.unknown_family, id.exists, institution.unknown; params: what a wording needs), and nothing is imported.',
      consumes: ['text/csv'],
      body: z.string(),
      // 201: text/csv (id,secret); 400: ImportRefusal {statusCode, error, code: 'import.invalid_rows', message, rows: [{line, field, code, params, message}]}
    },
  }, async (request, reply) => {
    requireRole(request, 'admin');
    if (!String(request.headers['content-type'] ?? '').startsWith('text/csv')) throw new HttpError(415, 'send the file with Content-Type: text/csv');
    const result = await provisioning.importCsv(request.body);
    if (!result.ok) {
      const lines = [...new Set(result.errors.map((e) => e.line))];
      const refusal: ImportRefusal = {
        statusCode: 400, error: 'Bad Request', code: 'import.invalid_rows',
        message: `nothing imported: ${result.errors.length} problem(s) on line(s) ${lines.join(', ')}`, rows: result.errors,
      };
      return reply.code(400).send(refusal);
    }
    request.log.info({ devices: result.devices.length }, 'devices imported');
    const csv = csvLine(['id', 'secret']) + result.devices.map((d) => csvLine([d.id, d.secret])).join('');
    return reply.code(201)
      .header('content-type', 'text/csv; charset=utf-8')
      .header('content-disposition', `attachment; filename="firenet-device-secrets-${new Date().toISOString().slice(0, 10)}.csv"`)
      .header('cache-control', 'no-store')
      .send(csv);
  });

  app.post('/api/devices', {
    schema: {
      tags: ['devices'],
      summary: 'Provision a device (admin); the reply carries its MQTT secret, shown this once',
      body: NewDevice,
      response: { 201: z.object({ id: z.string(), secret: z.string() }) },
    },
  }, async (request, reply) => {
    requireRole(request, 'admin');
    return reply.code(201).send(await provisioning.provisionDevice(request.body));
  });
};

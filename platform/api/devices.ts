import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { DeviceFamily } from '../../gateway/payloads.js';
import { Device, Id, NewDevice, RegionCode } from '../schemas.js';
import { caller, HttpError, requireRole, scopes } from './context.js';

const Command = z.object({
  id: z.string(), deviceId: z.string(), ruleId: z.string().nullable(), subject: z.string().nullable(), type: z.string(),
  payload: z.record(z.string(), z.unknown()), state: z.enum(['pending', 'acked', 'rejected', 'failed']), attempts: z.number().int(),
  maxAttempts: z.number().int(), timeoutSec: z.number(), createdAt: z.string(), sentAt: z.string().nullable(),
  ackedAt: z.string().nullable(), ok: z.boolean().nullable(), message: z.string().nullable(),
});
const BadMessage = z.object({ topic: z.string(), reason: z.string(), size: z.number(), receivedAt: z.string() });

export const deviceRoutes: FastifyPluginAsyncZod = async (app) => {
  const { store, provisioning } = app.services;

  app.get('/api/devices', {
    schema: {
      tags: ['devices'],
      summary: 'Devices visible to the caller',
      querystring: z.object({
        region: RegionCode.optional(),
        siteId: Id.optional(),
        family: DeviceFamily.optional(),
        limit: z.coerce.number().int().min(1).max(5000).default(500),
        offset: z.coerce.number().int().min(0).default(0),
      }),
      response: { 200: z.array(Device) },
    },
  }, async (request) => {
    const { region, ...filter } = request.query;
    return store.listDevices(scopes(caller(request), region), filter);
  });

  app.get('/api/devices/:id', {
    schema: {
      tags: ['devices'],
      summary: 'One device: last seen, online state, bad messages (count and the latest)',
      params: z.object({ id: Id }),
      response: { 200: Device.extend({ recentBadMessages: z.array(BadMessage) }) },
    },
  }, async (request) => {
    const device = await store.getDevice(request.params.id, scopes(caller(request)));
    if (!device) throw new HttpError(404, `id: no device ${request.params.id}`);
    return { ...device, recentBadMessages: await store.listBadMessages(device.id) };
  });

  app.get('/api/devices/:id/commands', {
    schema: {
      tags: ['devices'],
      summary: 'Downlink commands sent to the device and their acknowledgement (pending, acked, rejected, failed)',
      params: z.object({ id: Id }),
      response: { 200: z.array(Command) },
    },
  }, async (request) => {
    const device = await store.getDevice(request.params.id, scopes(caller(request)));
    if (!device) throw new HttpError(404, `id: no device ${request.params.id}`);
    return store.commands.listForDevice(device.id);
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

// From GB/T 26875.3 units to the device API (pure): which events a status report makes, given what the source
// reported before; analog values as readings; deterministic event ids.
import { describe, expect, it } from 'vitest';
import { commands, type Frame } from '../../contracts/gb26875/frame.js';
import { parseEvent } from '../../contracts/device-api.js';
import type { Unit } from '../../contracts/gb26875/units.js';
import { eventId, loopPoint, mapUnit } from '../../gateway/gb26875/mapping.js';
import { dutyAnswer, requestFrame, settle } from '../../gateway/gb26875/downlink.js';

const t0 = { second: 2, minute: 58, hour: 9, day: 26, month: 9, year: 2012 };
const at = Date.UTC(2012, 8, 26, 1, 58, 2);
const frame: Frame = { serial: 5, version: 0x0101, time: t0, source: '000000000379', destination: '000000015B38', command: commands.send, data: new Uint8Array(0) };
const component = (status: number, description = '住院楼3层'): Unit => ({ type: 2, objects: [{ type: 2, systemType: 1, systemAddress: 1, componentType: 42, componentAddress: 0x0001_0017, status, description, time: t0 }] });
const types = (u: Unit, memory = new Map<string, number>()) => mapUnit(frame, u, memory, 0).events.map((e) => e.type);

describe('status reports to events', () => {
  it('a component fire alarm: fire.alarm with its system, loop, point and description as the zone', () => {
    const m = mapUnit(frame, component(0x0003), new Map(), 0);
    expect(m.events).toEqual([{ id: '000000000379-5-0c091a093a02-0-fire', ts: at, type: 'fire.alarm', data: expect.objectContaining({ system: 1, loop: 1, point: 0x17, zone: '住院楼3层', componentType: 42 }) }]);
    expect(parseEvent('transmission_device', m.events[0]).ok).toBe(true);
    expect(m.statuses).toEqual(new Map([['c:1:65559', 0x0003]]));
  });

  it('every condition bit of a component', () => {
    expect(types(component(0x0001 | 0x04 | 0x08 | 0x10 | 0x20 | 0x40 | 0x100))).toEqual(['fault', 'isolation', 'supervisory', 'linkage.start', 'linkage.feedback', 'fault']);
  });

  it('a report repeated makes nothing new; a bit cleared makes its clear', () => {
    const memory = new Map([['c:1:65559', 0x0003 | 0x08]]);
    expect(types(component(0x0003 | 0x08), memory)).toEqual([]);
    expect(types(component(0x0001 | 0x08), memory)).toEqual(['fire.clear']);
    expect(types(component(0x0001), new Map([['c:1:65559', 0x0009]]))).toEqual(['isolation.clear']);
  });

  it('a first report of a normal component is a restoration: its clears go out', () => {
    expect(types(component(0x0001))).toEqual(['fire.clear', 'fault.clear', 'isolation.clear', 'fault.clear']);
  });

  it('a system\'s bus fault, power faults and reset', () => {
    const system = (status: number): Unit => ({ type: 1, objects: [{ type: 1, systemType: 1, systemAddress: 2, status, time: t0 }] });
    const m = mapUnit(frame, system(0x0401), new Map(), 0);
    expect(m.events.map((e) => [e.type, e.data.code])).toEqual([['fault', 'bus_fault']]);
    expect(types(system(0x0301))).toEqual(['power.main_fault', 'power.backup_fault']);
    expect(types(system(0x2001))).toEqual(['panel.reset']);
  });

  it('the device\'s own status (type 21): the vector\'s main power fault', () => {
    expect(types({ type: 21, objects: [{ type: 21, status: 0x08, time: t0 }] })).toEqual(['power.main_fault']);
    expect(types({ type: 21, objects: [{ type: 21, status: 0x20 | 0x40, time: t0 }] })).toEqual(['fault', 'fault']);
  });

  it('every event a report makes passes the device API\'s validation', () => {
    for (const status of [0x0001, 0x0003, 0x01ff, 0x0108]) {
      for (const e of mapUnit(frame, component(status), new Map(), 0).events) expect(parseEvent('transmission_device', e)).toMatchObject({ ok: true });
    }
  });

  it('an analog value is a reading on the system\'s port, scaled; an unknown analog type is left out', () => {
    const analog = (analogType: number, value: number): Unit => ({ type: 3, objects: [{ type: 3, systemType: 11, systemAddress: 3, componentType: 85, componentAddress: 1, analogType, value, time: t0 }] });
    expect(mapUnit(frame, analog(5, 3521), new Map(), 0).readings).toEqual([{ ts: at, port: 3, metrics: { pressure_kpa: 352.1 } }]);
    expect(mapUnit(frame, analog(3, -125), new Map(), 0).readings).toEqual([{ ts: at, port: 3, metrics: { temperature_c: -12.5 } }]);
    expect(mapUnit(frame, analog(200, 1), new Map(), 0)).toMatchObject({ readings: [], ignored: ['analog type 200'] });
  });

  it('a device clock that reads no date stamps the event with the time it arrived', () => {
    const bad: Unit = { type: 2, objects: [{ type: 2, systemType: 1, systemAddress: 1, componentType: 42, componentAddress: 1, status: 3, description: '', time: { ...t0, month: 13 } }] };
    expect(mapUnit(frame, bad, new Map(), 1234).events[0]!.ts).toBe(1234);
  });

  it('event ids: source, serial, time, object and what happened', () => {
    expect(eventId(frame, 2, 'fault')).toBe('000000000379-5-0c091a093a02-2-fault');
    expect(eventId({ ...frame, serial: 6 }, 2, 'fault')).not.toBe(eventId(frame, 2, 'fault'));
    expect(loopPoint(0x0003_00ff)).toEqual({ loop: 3, point: 255 });
  });
});

describe('downlink', () => {
  const sent = { commandId: 'c1', type: 'duty_check' as const, serial: 9, timeoutMin: 10 };
  it('the 查岗 vector\'s data, sent from the centre\'s address', () => {
    const f = requestFrame(sent, '000000015B38', '000000000379', 0x0101, at);
    expect(f).toMatchObject({ serial: 9, command: commands.control, source: '000000015B38', destination: '000000000379', data: Uint8Array.of(0x5b, 0x01, 0x0a) });
  });
  it('a 查岗 confirmed is delivered, answered by type 24 bit 5; a read is settled by its response; a deny refuses', () => {
    expect(settle(sent, { ...frame, command: commands.confirm }, 0)).toEqual({ kind: 'delivered', answerByMs: 600_000 });
    expect(dutyAnswer([{ type: 24, operation: 0x20, operator: 2, time: t0 }])).toBe('answered by operator 2 at 2012-09-26 09:58:02');
    expect(dutyAnswer([{ type: 24, operation: 0x01, operator: 2, time: t0 }])).toBeNull();
    const read = { ...sent, type: 'read_version' as const };
    expect(settle(read, { ...frame, command: commands.confirm }, 0)).toEqual({ kind: 'none' });
    expect(settle(read, { ...frame, command: commands.response, data: Uint8Array.of(0x19, 0x01, 0x01, 0x01) }, 0)).toEqual({ kind: 'answered', ok: true, message: 'software version 1.1' });
    expect(settle(read, { ...frame, command: commands.deny }, 0)).toMatchObject({ kind: 'answered', ok: false });
  });
});

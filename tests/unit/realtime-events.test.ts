// The socket.io events are a contract (contracts/realtime.ts): the publisher pushes each record under its event to the
// rooms of its site and the regions above it (records changed together in one push per institution), and an unknown
// event or a wrong payload does not compile (the `@ts-expect-error` lines below fail `npm run typecheck` the day they
// compile). Pure: no server, no sockets.
import { describe, expect, it } from 'vitest';
import { liveEvents, liveLists, type LiveEventName } from '../../contracts/realtime.js';
import { createPublisher, type Rooms } from '../../platform/realtime/publisher.js';
import type { RegionRegistry } from '../../platform/registry/regions.js';
import type { LivePayloads } from '../../contracts/realtime.js';
import type { Alarm, CommandRecord, Ticket } from '../../contracts/records.js';

const regions = { lineage: (code: string) => [{ code: '110000' }, { code }] } as unknown as RegionRegistry;
const alarm = { id: 'a1', siteId: 's1', regionCode: '110105' } as Alarm;

function recording() {
  const sent: { rooms: string[]; event: LiveEventName; payload: unknown }[] = [];
  const rooms: Rooms = { emit: (to, event, payload) => void sent.push({ rooms: to, event, payload }) };
  return { sent, publisher: createPublisher(regions, () => rooms) };
}

describe('the socket.io events', () => {
  it('names each event the dashboard listens to once', () => {
    expect(new Set(liveEvents).size).toBe(liveEvents.length);
    expect([...liveEvents].sort()).toEqual(['alarm', 'alarm.escalated', 'alarms', 'command', 'duty.check', 'notification', 'ticket', 'tickets', 'workorder', 'workorders']);
    // each list event carries records of an event of their own
    for (const [list, each] of Object.entries(liveLists)) {
      expect(liveEvents).toContain(list);
      expect(liveEvents).toContain(each);
    }
  });

  it('pushes records changed together once per institution: alone as their own event, several as the list event', () => {
    const { sent, publisher } = recording();
    const a2 = { ...alarm, id: 'a2' };
    const elsewhere = { ...alarm, id: 'a3', siteId: 's2', regionCode: '110108' };
    publisher.alarms([alarm, a2, elsewhere]);
    publisher.alarms([]);
    publisher.tickets([{ id: 't1', siteId: 's1', regionCode: '110105' } as Ticket]);
    expect(sent).toEqual([
      { rooms: ['all', 'site:s1', 'region:110000', 'region:110105'], event: 'alarms', payload: [alarm, a2] },
      { rooms: ['all', 'site:s2', 'region:110000', 'region:110108'], event: 'alarm', payload: elsewhere },
      { rooms: ['all', 'site:s1', 'region:110000', 'region:110105'], event: 'ticket', payload: { id: 't1', siteId: 's1', regionCode: '110105' } },
    ]);
  });

  it('pushes a record to its site, every region above it and the admins; a site push to the role and the county asked for', () => {
    const { sent, publisher } = recording();
    publisher.alarm(alarm);
    publisher.toSite('s1', '110105', 'alarm.escalated', alarm, { role: 'safety_manager', upTo: 'county' });
    expect(sent).toEqual([
      { rooms: ['all', 'site:s1', 'region:110000', 'region:110105'], event: 'alarm', payload: alarm },
      { rooms: ['all', 'site:s1:safety_manager', 'region:110105'], event: 'alarm.escalated', payload: alarm },
    ]);
  });
});

// Never called: these lines are checked by the compiler only.
export function doesNotCompile(publisher: ReturnType<typeof createPublisher>, command: CommandRecord): LivePayloads['command'] {
  // @ts-expect-error an event the contract does not name
  publisher.toSite('s1', '110105', 'alarm.escalatd', alarm);
  // @ts-expect-error an alarm is not a command's payload
  publisher.toSite('s1', '110105', 'command', alarm);
  // @ts-expect-error a notification of a kind that does not exist
  publisher.toSite('s1', '110105', 'notification', { kind: 'fire.maybe', siteId: 's1', siteName: 'x', at: '', data: {} });
  return command;
}

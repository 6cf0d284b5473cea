// The socket.io events are a contract (contracts/realtime.ts): the publisher pushes each record under its event to the
// rooms of its site and the regions above it, and an unknown event or a wrong payload does not compile (the
// `@ts-expect-error` lines below fail `npm run typecheck` the day they compile). Pure: no server, no sockets.
import { describe, expect, it } from 'vitest';
import { liveEvents, type LiveEventName } from '../../contracts/realtime.js';
import { createPublisher, type Rooms } from '../../platform/realtime/publisher.js';
import type { RegionRegistry } from '../../platform/registry/regions.js';
import type { LivePayloads } from '../../contracts/realtime.js';
import type { Alarm, CommandRecord } from '../../contracts/records.js';

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
    expect([...liveEvents].sort()).toEqual(['alarm', 'alarm.escalated', 'command', 'duty.check', 'notification', 'ticket', 'workorder']);
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

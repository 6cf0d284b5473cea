// FireNet's socket.io encoder writes events as the default encoder does, without its walk for binary: the same text
// for any JSON payload (fast-check), decoded back by socket.io's own decoder, and other packets left to the default.
import fc from 'fast-check';
import { Decoder, Encoder, PacketType, type Packet } from 'socket.io-parser';
import { describe, expect, it } from 'vitest';
import { jsonParser } from '../../platform/realtime/json-encoder.js';

const ours = new jsonParser.Encoder();
const theirs = new Encoder();

function decode(encoded: unknown[]): Packet {
  const decoder = new Decoder();
  let packet: Packet | undefined;
  decoder.on('decoded', (p: Packet) => { packet = p; });
  for (const part of encoded) decoder.add(part as string);
  return packet!;
}

describe('the socket.io JSON encoder', () => {
  it('writes an event or an acknowledgement exactly as socket.io does, for any JSON payload', () => {
    fc.assert(fc.property(
      fc.constantFrom(PacketType.EVENT, PacketType.ACK), fc.constantFrom('/', '/admin'), fc.option(fc.nat(), { nil: undefined }),
      fc.string(), fc.array(fc.jsonValue()),
      (type, nsp, id, event, args) => {
        const packet: Packet = { type, nsp, id, data: type === PacketType.EVENT ? [event, ...args] : args };
        const encoded = ours.encode(packet);
        expect(encoded).toEqual(theirs.encode(packet));
        expect(decode(encoded)).toMatchObject({ type, nsp, data: JSON.parse(JSON.stringify(packet.data)) });
      },
    ), { numRuns: 300 });
  });

  it('pushes a list of alarms in Chinese as one text packet', () => {
    const alarms = [{ id: 'a1', siteName: '蛟河市人民医院', location: '住院楼 3F 内科', data: { correlatedDevices: ['sd-1', 'sd-2'] } }, { id: 'a2', siteName: '蛟河市人民医院' }];
    const packet: Packet = { type: PacketType.EVENT, nsp: '/', data: ['alarms', alarms] };
    const encoded = ours.encode(packet);
    expect(encoded).toEqual([`2${JSON.stringify(['alarms', alarms])}`]);
    expect(decode(encoded).data).toEqual(['alarms', alarms]);
  });

  it('leaves the other packets to the default encoder', () => {
    for (const packet of [
      { type: PacketType.CONNECT, nsp: '/', data: { sid: 'abc' } },
      { type: PacketType.CONNECT_ERROR, nsp: '/', data: { message: 'unauthorized' } },
      { type: PacketType.DISCONNECT, nsp: '/admin' },
    ] satisfies Packet[]) expect(ours.encode(packet)).toEqual(theirs.encode(packet));
  });
});

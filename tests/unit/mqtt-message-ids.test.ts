// The gateway turns off mqtt-packet's table of message ids (gateway/broker.ts): built at the first PUBACK, it held all
// 65,536 two-byte ids as Buffers, 6.3 MB of an idle FireNet's heap. Ids are still written right, one at a time.
import { createRequire } from 'node:module';
import mqttPacket from 'mqtt-packet';
import { expect, it } from 'vitest';
import '../../gateway/broker.js';

const numbers = createRequire(import.meta.url)('mqtt-packet/numbers.js') as { cache: Record<number, Buffer> };

it('writes QoS 1 acknowledgements and publishes with their message ids and never builds the 65,536-id table', () => {
  expect(mqttPacket.writeToStream.cacheNumbers).toBe(false);
  expect([...mqttPacket.generate({ cmd: 'puback', messageId: 0x1234 })]).toEqual([0x40, 2, 0x12, 0x34]);
  const publish = mqttPacket.generate({ cmd: 'publish', topic: 't', payload: 'x', qos: 1, messageId: 65_535, retain: false, dup: false });
  expect([...publish.subarray(5, 7)]).toEqual([0xff, 0xff]);
  expect(Object.keys(numbers.cache)).toHaveLength(0);
});

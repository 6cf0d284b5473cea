// socket.io's default encoder walks every pushed payload looking for binary (Buffers, Blobs) before it writes it as
// JSON: for a storm's list of hundreds of alarms that walk cost more than the JSON itself. FireNet pushes records of
// contracts/records.ts only, plain JSON, so its events are written straight as socket.io's text packets (protocol 5:
// type, namespace unless "/", ack id, JSON data), which is what the default encoder writes for them too; other
// packets (connect, disconnect, errors) go through the default encoder. Decoding stays socket.io's own.
import * as parser from 'socket.io-parser';

class JsonEncoder extends parser.Encoder {
  override encode(packet: parser.Packet): unknown[] {
    if (packet.type !== parser.PacketType.EVENT && packet.type !== parser.PacketType.ACK) return super.encode(packet);
    const nsp = packet.nsp && packet.nsp !== '/' ? `${packet.nsp},` : '';
    return [`${packet.type}${nsp}${packet.id ?? ''}${packet.data == null ? '' : JSON.stringify(packet.data)}`];
  }
}

/** The parser for socket.io's `parser` option. */
export const jsonParser = { ...parser, Encoder: JsonEncoder };

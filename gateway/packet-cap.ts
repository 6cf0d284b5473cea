// A hard cap on the size of one MQTT packet, checked when its fixed header arrives, before its body is buffered:
// MQTT allows 256 MB per packet, so without it one connection (signed in or not) could make the broker hold that much.
// Payloads between MAX_PAYLOAD_BYTES and this cap are still read, acknowledged, counted and kept on the device
// (gateway/ingest.ts); a packet over the cap cannot be read without buffering it, so its connection is closed.
import type { Client } from 'aedes';

/** The parts of aedes' per-connection mqtt-packet parser this needs (aedes does not expose a size option). */
interface PacketParser {
  packet: { cmd?: string; length: number };
  _parseLength(): boolean;
  _emitError(err: Error): void;
}

export function capPacketSize(client: Client, maxBytes: number, onOversize: (client: Client, length: number) => void): Client {
  const parser = (client as unknown as { _parser: PacketParser })._parser;
  const parseLength = parser._parseLength.bind(parser);
  parser._parseLength = () => {
    if (!parseLength()) return false;
    const { length } = parser.packet;
    if (length <= maxBytes) return true;
    onOversize(client, length);
    // the client's error handler closes the connection
    parser._emitError(new Error(`packet of ${length} bytes is over the ${maxBytes}-byte cap`));
    return false;
  };
  return client;
}

// GB/T 26875.3-2011 frames (城市消防远程监控系统 第3部分：报警传输网络通信协议): the wire format a user information
// transmission device (用户信息传输装置) speaks over TCP. Pure: bytes in, a frame or a reason out, and back.
//
//   40 40 | serial (2, low byte first) | version (2) | time (6: s m h D M Y-2000) | source (6) | destination (6)
//   | data length (2, low byte first, ≤ 1024) | command (1) | application data (length) | checksum (1) | 23 23
//
// The checksum is the sum, mod 256, of every byte from the serial up to the end of the application data.

export const START = 0x40;
export const END = 0x23;
/** Bytes of a frame around its application data: 27 before it, checksum and end marker after. */
export const HEADER_BYTES = 27;
export const FRAME_OVERHEAD = 30;
/** The largest application data the standard allows. */
export const MAX_DATA_BYTES = 1024;
export const MAX_FRAME_BYTES = FRAME_OVERHEAD + MAX_DATA_BYTES;

export const commands = { control: 1, send: 2, confirm: 3, request: 4, response: 5, deny: 6 } as const;
export type CommandName = keyof typeof commands;
export type CommandCode = (typeof commands)[CommandName];
const commandCodes: ReadonlySet<number> = new Set(Object.values(commands));

/** The device clock's six bytes, as written: second, minute, hour, day, month, year − 2000 (China time). */
export interface FrameTime {
  second: number;
  minute: number;
  hour: number;
  day: number;
  month: number;
  year: number;
}

export interface Frame {
  serial: number;
  /** Two bytes as sent (e.g. 0x0101 for `01 01`, 0x1000 for `10 00`): echoed in answers. */
  version: number;
  time: FrameTime;
  /** 12 hex digits, most significant first: bytes `79 03 00 00 00 00` are `000000000379`. */
  source: string;
  destination: string;
  command: CommandCode;
  data: Uint8Array;
}

export type FrameProblem = 'bad_length' | 'bad_end' | 'bad_checksum' | 'bad_command';

/** A 6-byte address (low byte first on the wire) as 12 hex digits, most significant first. */
export function addressToHex(bytes: Uint8Array, at: number): string {
  let hex = '';
  for (let i = at + 5; i >= at; i--) hex += bytes[i]!.toString(16).padStart(2, '0');
  return hex.toUpperCase();
}

export function writeAddress(hex: string, out: Uint8Array, at: number): void {
  if (!/^[0-9A-Fa-f]{12}$/.test(hex)) throw new RangeError(`address ${hex}: 12 hex digits expected`);
  for (let i = 0; i < 6; i++) out[at + i] = parseInt(hex.slice(10 - 2 * i, 12 - 2 * i), 16);
}

export function readTime(bytes: Uint8Array, at: number): FrameTime {
  return { second: bytes[at]!, minute: bytes[at + 1]!, hour: bytes[at + 2]!, day: bytes[at + 3]!, month: bytes[at + 4]!, year: 2000 + bytes[at + 5]! };
}

export function writeTime(t: FrameTime, out: Uint8Array, at: number): void {
  out.set([t.second, t.minute, t.hour, t.day, t.month, t.year - 2000], at);
}

const CHINA_OFFSET_MS = 8 * 3600_000;

/** The device's clock reading as epoch ms (China time, UTC+8), or null when it is no date at all. */
export function timeToEpoch(t: FrameTime): number | null {
  const ms = Date.UTC(t.year, t.month - 1, t.day, t.hour, t.minute, t.second) - CHINA_OFFSET_MS;
  const back = new Date(ms + CHINA_OFFSET_MS);
  const valid = t.month >= 1 && t.month <= 12 && t.day >= 1 && t.hour < 24 && t.minute < 60 && t.second < 60
    && back.getUTCDate() === t.day && back.getUTCMonth() === t.month - 1;
  return valid ? ms : null;
}

/** Epoch ms as a China-time clock reading (years 2000..2255). */
export function epochToTime(ms: number): FrameTime {
  const d = new Date(ms + CHINA_OFFSET_MS);
  return { second: d.getUTCSeconds(), minute: d.getUTCMinutes(), hour: d.getUTCHours(), day: d.getUTCDate(), month: d.getUTCMonth() + 1, year: d.getUTCFullYear() };
}

export function checksum(bytes: Uint8Array, from: number, to: number): number {
  let sum = 0;
  for (let i = from; i < to; i++) sum += bytes[i]!;
  return sum & 0xff;
}

/** The application data length a header declares (`bytes` starts at the frame's first `40`). */
export function declaredLength(bytes: Uint8Array, at = 0): number {
  return bytes[at + 24]! | (bytes[at + 25]! << 8);
}

/**
 * One whole frame, `bytes[at .. at + 30 + length)`, already known to start with `40 40` and to be long enough.
 * Checks the end marker, the checksum and the command; never reads past the declared length.
 */
export function decodeFrame(bytes: Uint8Array, at = 0): { ok: true; frame: Frame } | { ok: false; problem: FrameProblem } {
  const length = declaredLength(bytes, at);
  if (length > MAX_DATA_BYTES) return { ok: false, problem: 'bad_length' };
  const end = at + HEADER_BYTES + length;
  if (bytes[end + 1] !== END || bytes[end + 2] !== END) return { ok: false, problem: 'bad_end' };
  if (checksum(bytes, at + 2, end) !== bytes[end]) return { ok: false, problem: 'bad_checksum' };
  const command = bytes[at + 26]!;
  if (!commandCodes.has(command)) return { ok: false, problem: 'bad_command' };
  return {
    ok: true,
    frame: {
      serial: bytes[at + 2]! | (bytes[at + 3]! << 8),
      version: (bytes[at + 4]! << 8) | bytes[at + 5]!,
      time: readTime(bytes, at + 6),
      source: addressToHex(bytes, at + 12),
      destination: addressToHex(bytes, at + 18),
      command: command as CommandCode,
      data: bytes.slice(at + HEADER_BYTES, end),
    },
  };
}

export function encodeFrame(frame: Frame): Uint8Array {
  if (frame.data.length > MAX_DATA_BYTES) throw new RangeError(`application data of ${frame.data.length} bytes is over ${MAX_DATA_BYTES}`);
  const out = new Uint8Array(FRAME_OVERHEAD + frame.data.length);
  out[0] = START; out[1] = START;
  out[2] = frame.serial & 0xff; out[3] = (frame.serial >> 8) & 0xff;
  out[4] = (frame.version >> 8) & 0xff; out[5] = frame.version & 0xff;
  writeTime(frame.time, out, 6);
  writeAddress(frame.source, out, 12);
  writeAddress(frame.destination, out, 18);
  out[24] = frame.data.length & 0xff; out[25] = frame.data.length >> 8;
  out[26] = frame.command;
  out.set(frame.data, HEADER_BYTES);
  const end = HEADER_BYTES + frame.data.length;
  out[end] = checksum(out, 2, end);
  out[end + 1] = END; out[end + 2] = END;
  return out;
}

/**
 * The answer to `frame`: the same serial and version, the addresses swapped, the answering side's clock (the
 * standard's confirm vector is stamped 3 s after the frame it confirms); a confirm or a deny carries no data.
 */
export function answerTo(frame: Frame, command: CommandCode, time: FrameTime, data: Uint8Array = new Uint8Array(0)): Frame {
  return { ...frame, time, source: frame.destination, destination: frame.source, command, data };
}

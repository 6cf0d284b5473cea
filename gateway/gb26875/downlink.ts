// The centre's side of a GB/T 26875.3 exchange it starts: a FireNet command as a request or control frame, and what
// settles it: a response (command 5) to a read, a confirm to a clock sync, a deny, or for a 查岗 the duty room's
// answer (type 24, bit 5). Pure; the connection keeps which serial each command went out with.
import { commands, epochToTime, type Frame } from '../../contracts/gb26875/frame.js';
import { DEFAULT_DUTY_TIMEOUT_MIN, requestOf, type TransmissionCommandType } from '../../contracts/gb26875/commands.js';
import { DUTY_ANSWER_BIT, hasBit } from '../../contracts/gb26875/status.js';
import { decodeUnit, encodeUnit, type UnitObject } from '../../contracts/gb26875/units.js';
import { describeAnswer, formatTime } from './mapping.js';

export interface SentCommand {
  commandId: string;
  type: TransmissionCommandType;
  serial: number;
  timeoutMin: number;
}

export function requestFrame(sent: SentCommand, centre: string, device: string, version: number, now: number): Frame {
  const { command, unitType } = requestOf[sent.type];
  const object: UnitObject = unitType === 90 ? { type: 90, time: epochToTime(now) }
    : unitType === 91 ? { type: 91, timeoutMin: sent.timeoutMin }
      : { type: unitType };
  return { serial: sent.serial, version, time: epochToTime(now), source: centre, destination: device, command, data: encodeUnit({ type: unitType, objects: [object] }) };
}

export function dutyTimeoutMin(params: Record<string, unknown>): number {
  const n = params.timeoutMin;
  return typeof n === 'number' && Number.isInteger(n) && n >= 1 && n <= 255 ? n : DEFAULT_DUTY_TIMEOUT_MIN;
}

/** What a frame from the device does to a command it answers. */
export type Settlement =
  | { kind: 'answered'; ok: boolean; message: string }
  | { kind: 'delivered'; answerByMs: number }
  | { kind: 'none' };

/** How `frame` (from the device, for the command `sent` by its serial or, for a 查岗 answer, by its type) settles it. */
export function settle(sent: SentCommand, frame: Frame, now: number): Settlement {
  if (frame.command === commands.deny) return { kind: 'answered', ok: false, message: 'denied by the device' };
  if (frame.command === commands.confirm) {
    if (sent.type === 'sync_clock') return { kind: 'answered', ok: true, message: 'clock set' };
    if (sent.type === 'duty_check') return { kind: 'delivered', answerByMs: now + sent.timeoutMin * 60_000 };
    return { kind: 'none' }; // a read is answered by its response
  }
  if (frame.command === commands.response && sent.type !== 'duty_check' && sent.type !== 'sync_clock') {
    const unit = decodeUnit(frame.data);
    return unit.ok ? { kind: 'answered', ok: true, message: describeAnswer(unit.unit) } : { kind: 'answered', ok: false, message: `unreadable answer: ${unit.reason}` };
  }
  return { kind: 'none' };
}

/** The duty room's answer to a 查岗 in a unit of type 24, if it holds one. */
export function dutyAnswer(objects: readonly UnitObject[]): string | null {
  for (const o of objects) {
    if (o.type === 24 && hasBit(o.operation, DUTY_ANSWER_BIT)) return `answered by operator ${o.operator} at ${formatTime(o.time)}`;
  }
  return null;
}

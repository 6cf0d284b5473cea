// What the centre may ask a transmission device (GB/T 26875.3 downlink), as FireNet commands: each becomes one
// request or control frame, and what answers it settles the command.
import { z } from 'zod';

export const transmissionCommandTypes = ['read_status', 'read_version', 'read_time', 'sync_clock', 'duty_check'] as const;
export const TransmissionCommandType = z.enum(transmissionCommandTypes);
export type TransmissionCommandType = z.infer<typeof TransmissionCommandType>;

/** A command for a transmission device, as the API takes it: 查岗 (duty_check) waits `timeoutMin` for the duty room. */
export const TransmissionCommand = z.object({
  type: TransmissionCommandType,
  timeoutMin: z.number().int().min(1).max(255).optional(),
});
export type TransmissionCommand = z.infer<typeof TransmissionCommand>;

export function isTransmissionCommand(type: string): type is TransmissionCommandType {
  return (transmissionCommandTypes as readonly string[]).includes(type);
}

/** The frame each command is sent as: command code (1 control, 4 request) and unit type. */
export const requestOf: Record<TransmissionCommandType, { command: 1 | 4; unitType: 81 | 85 | 88 | 90 | 91 }> = {
  read_status: { command: 4, unitType: 81 },
  read_version: { command: 4, unitType: 85 },
  read_time: { command: 4, unitType: 88 },
  sync_clock: { command: 1, unitType: 90 },
  duty_check: { command: 1, unitType: 91 },
};

/** Minutes the duty room has to answer a 查岗 when the request does not say. */
export const DEFAULT_DUTY_TIMEOUT_MIN = 10;
/** Each attempt waits this long for the device's answer; then it is sent again, at most this many more times. */
export const TRANSMISSION_COMMAND_TIMEOUT_SEC = 10;
export const TRANSMISSION_COMMAND_RETRIES = 3;

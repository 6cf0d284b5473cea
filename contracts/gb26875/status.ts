// GB/T 26875.3 status words: which bit means what, for a building fire-protection system (2 bytes), one of its
// components (2 bytes) and the transmission device itself (1 byte). Bit 0 is "normal" (1) or "test" (0).

export const systemBits = {
  normal: 0, fire: 1, fault: 2, disabled: 3, supervisory: 4, started: 5, feedback: 6, delay: 7,
  mainPowerFault: 8, backupPowerFault: 9, busFault: 10, manual: 11, configChanged: 12, reset: 13,
} as const;

export const componentBits = {
  normal: 0, fire: 1, fault: 2, disabled: 3, supervisory: 4, started: 5, feedback: 6, delay: 7, powerFault: 8,
} as const;

export const deviceBits = {
  normal: 0, fire: 1, fault: 2, mainPowerFault: 3, backupPowerFault: 4, linkFault: 5, lineFault: 6,
} as const;

/** Operation flags of types 4 and 24. Bit 5 of type 24 is the duty room's answer to a 查岗. */
export const operationBits = { reset: 0, silence: 1, manualAlarm: 2, alarmCleared: 3, selfTest: 4, confirm: 5, test: 6 } as const;
export const DUTY_ANSWER_BIT = 5;

export function hasBit(status: number, bit: number): boolean {
  return ((status >>> bit) & 1) === 1;
}

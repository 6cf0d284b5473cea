// Device fault codes worded in the viewer's language. Devices send a code (and, for a panel, the loop and point);
// a code not known here shows as sent, with whatever text the device added.
import { addMessages } from '../i18n';

const tf = addMessages(
  {
    'fault.E01': '烟雾传感器故障',
    'fault.E03': '迷宫污染',
    'fault.LOOP_OPEN': '回路 {loop} 断线',
    'fault.POINT_LOST': '{loop}-{point} 探测器丢失',
    'fault.METER_COMM': '电能计量通信故障',
    'fault.RELAY_STUCK': '继电器粘连',
    'fault.FAN_STALL': '排风扇停转',
  },
  {
    'fault.E01': 'Smoke sensor fault',
    'fault.E03': 'Chamber contaminated',
    'fault.LOOP_OPEN': 'Loop {loop} open circuit',
    'fault.POINT_LOST': 'Detector {loop}-{point} missing',
    'fault.METER_COMM': 'Meter communication lost',
    'fault.RELAY_STUCK': 'Relay stuck',
    'fault.FAN_STALL': 'Exhaust fan stalled',
  },
);

/** A fault a device reported (an event's data: code, loop, point, message), as one line. */
export function faultText(data: Record<string, unknown>): string {
  const code = typeof data.code === 'string' ? data.code : '';
  const sent = typeof data.message === 'string' ? data.message : '';
  const key = `fault.${code}`;
  const worded = code ? tf(key as Parameters<typeof tf>[0], { loop: String(data.loop ?? '?'), point: String(data.point ?? '?') }) : '';
  const known = worded !== '' && worded !== key;
  // the device's own text is its data (any language): kept beside the code's words, never in their place
  return [known ? worded : code, sent].filter(Boolean).join(' ');
}

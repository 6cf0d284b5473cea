// The gateway's device directory: checks a device's secret against its stored hash, and moves a hash still in
// the old form (scrypt) to the current one at the device's first good sign-in.
import type { Logger } from 'pino';
import type { DeviceDirectory } from '../../contracts/ports.js';
import type { Store } from '../store/store.js';
import type { DeviceSecrets } from './secrets.js';

export function createDeviceDirectory(store: Store, secrets: DeviceSecrets, logger: Logger): DeviceDirectory {
  return {
    async authenticate(deviceId, secret) {
      const creds = await store.getDeviceCredentials(deviceId);
      if (!creds) return { ok: false, reason: 'unknown_device' };
      if (creds.disabled) return { ok: false, reason: 'disabled' };
      const check = await secrets.check(secret, creds.secretHash);
      if (!check.ok) return { ok: false, reason: 'bad_secret' };
      if (check.upgraded) {
        // only if the secret was not rotated meanwhile; a failure leaves the old hash, which still works
        await store.replaceDeviceSecret(deviceId, creds.secretHash, check.upgraded)
          .catch((err: unknown) => logger.warn({ err, deviceId }, 'could not upgrade a device secret hash'));
      }
      return { ok: true, device: { id: creds.id, family: creds.family, siteId: creds.siteId } };
    },
    async byGbAddress(gbAddress) {
      const device = await store.deviceByGbAddress(gbAddress);
      if (!device) return { ok: false, reason: 'unknown_address' };
      if (device.disabled) return { ok: false, reason: 'disabled' };
      return { ok: true, device: { id: device.id, family: device.family, siteId: device.siteId } };
    },
  };
}

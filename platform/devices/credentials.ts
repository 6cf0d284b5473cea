// The gateway's device directory: checks a device's secret against its stored hash.
import type { DeviceDirectory } from '../../gateway/ports.js';
import { verifySecret } from '../auth/hash.js';
import type { Store } from '../store/store.js';

export function createDeviceDirectory(store: Store): DeviceDirectory {
  return {
    async authenticate(deviceId, secret) {
      const creds = await store.getDeviceCredentials(deviceId);
      if (!creds) return { ok: false, reason: 'unknown_device' };
      if (creds.disabled) return { ok: false, reason: 'disabled' };
      if (!(await verifySecret(secret, creds.secretHash))) return { ok: false, reason: 'bad_secret' };
      return { ok: true, device: { id: creds.id, family: creds.family, siteId: creds.siteId } };
    },
  };
}

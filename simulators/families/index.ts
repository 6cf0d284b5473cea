// The device families FireNet knows, and the factory that picks one for a fleet-file entry.
import type { DeviceOptions, SimulatedDevice } from '../device.js';
import type { FleetDevice } from '../../contracts/fleet-file.js';
import { ChargingStation } from './charging-station.js';
import { FirePanel } from './fire-panel.js';
import { HazmatCabinet } from './hazmat-cabinet.js';
import { SmokeDetector } from './smoke-detector.js';

export { ChargingStation, FirePanel, HazmatCabinet, SmokeDetector };
export type { PortReading } from './charging-station.js';
export type { PanelPoint } from './fire-panel.js';

export function createDevice(spec: FleetDevice, options: DeviceOptions): SimulatedDevice {
  switch (spec.family) {
    case 'smoke_detector': return new SmokeDetector(spec, options);
    case 'fire_panel': return new FirePanel(spec, options);
    case 'charging_station': return new ChargingStation(spec, options);
    case 'hazmat_cabinet': return new HazmatCabinet(spec, options);
    // not an MQTT device: simulators/gb26875/ plays it over TCP
    case 'transmission_device': throw new Error(`${spec.id}: a transmission device speaks GB/T 26875.3, not MQTT (simulators/gb26875/)`);
  }
}

// A simulated user information transmission device (用传) with one or more panels behind it, speaking GB/T 26875.3
// over real TCP: reports status changes and waits for each confirm, sends heartbeats, answers the centre's reads,
// clock sync and 查岗 (the duty room answers after a while, as a person pressing the button would).
import { connect, type Socket } from 'node:net';
import { commands, encodeFrame, epochToTime, type Frame } from '../../contracts/gb26875/frame.js';
import { FrameReader } from '../../contracts/gb26875/reader.js';
import { decodeUnit, encodeUnit, type Unit, type UnitObject } from '../../contracts/gb26875/units.js';

export interface Panel {
  /** GB/T 26875.3 system type: 1 火灾报警系统, 10 联动控制器, ... */
  systemType: number;
  systemAddress: number;
}

export interface TransmissionDeviceOptions {
  host: string;
  port: number;
  /** 12 hex digits, most significant first (the provisioned gbAddress). */
  gbAddress: string;
  centre?: string;
  panels?: Panel[];
  /** How long the simulated duty room takes to answer a 查岗; null: nobody answers. */
  dutyAnswerMs?: number | null;
  /** How long to wait for the centre's confirm of a frame. */
  confirmTimeoutMs?: number;
  /** Answers none of the centre's requests (a device whose downlink is broken). */
  deaf?: boolean;
  now?: () => number;
}

export const COMPONENT_FIRE = 0x0003; // normal + fire
export const COMPONENT_NORMAL = 0x0001;
export const SYSTEM_BUS_FAULT = 0x0401; // normal + bus fault

export class TransmissionDevice {
  readonly frames: Frame[] = [];
  /** Serials the centre confirmed. */
  readonly confirmed: number[] = [];
  readonly denied: number[] = [];
  private socket: Socket | null = null;
  private readonly reader = new FrameReader();
  private serial = 0;
  private readonly waiting = new Map<number, { resolve: (f: Frame) => void; reject: (e: Error) => void; timer: NodeJS.Timeout }>();
  private closedResolve: (() => void) | null = null;
  readonly closed: Promise<void>;
  readonly panels: Panel[];
  status = 0x01; // the device itself: normal

  constructor(private readonly options: TransmissionDeviceOptions) {
    this.panels = options.panels ?? [{ systemType: 1, systemAddress: 1 }];
    this.closed = new Promise((resolve) => { this.closedResolve = resolve; });
  }

  private get now(): number {
    return (this.options.now ?? Date.now)();
  }

  private get centre(): string {
    return this.options.centre ?? '000000015B38';
  }

  connect(): Promise<void> {
    return new Promise((resolve, reject) => {
      const socket = connect({ host: this.options.host, port: this.options.port }, () => resolve());
      socket.setNoDelay(true);
      socket.once('error', reject);
      socket.on('data', (chunk) => this.onData(chunk));
      socket.on('close', () => {
        for (const w of this.waiting.values()) { clearTimeout(w.timer); w.reject(new Error('connection closed')); }
        this.waiting.clear();
        this.closedResolve?.();
      });
      this.socket = socket;
    });
  }

  get connected(): boolean {
    return Boolean(this.socket && !this.socket.destroyed);
  }

  /** A frame to the centre with the next serial (or `serial`), as bytes. */
  frame(command: number, unit: Unit | null, serial = this.nextSerial()): Frame {
    return {
      serial, version: 0x0101, time: epochToTime(this.now), source: this.options.gbAddress, destination: this.centre,
      command: command as Frame['command'], data: unit ? encodeUnit(unit) : new Uint8Array(0),
    };
  }

  private nextSerial(): number {
    this.serial = this.serial >= 0xffff ? 1 : this.serial + 1;
    return this.serial;
  }

  writeRaw(bytes: Uint8Array): void {
    this.socket!.write(bytes);
  }

  /** Sends a frame and resolves with the centre's confirm (rejects on a deny, a close or the timeout). */
  send(frame: Frame): Promise<Frame> {
    const answered = new Promise<Frame>((resolve, reject) => {
      const timer = setTimeout(() => { this.waiting.delete(frame.serial); reject(new Error(`no confirm of serial ${frame.serial}`)); }, this.options.confirmTimeoutMs ?? 10_000);
      this.waiting.set(frame.serial, { resolve, reject, timer });
    });
    this.socket!.write(encodeFrame(frame));
    return answered;
  }

  heartbeat(): Promise<Frame> {
    return this.send(this.frame(commands.send, null));
  }

  /** A component's new status on one of the panels (type 2), e.g. COMPONENT_FIRE with its description. */
  componentStatus(objects: { panel?: Panel; componentType: number; componentAddress: number; status: number; description: string }[]): Promise<Frame> {
    const time = epochToTime(this.now);
    return this.send(this.frame(commands.send, {
      type: 2,
      objects: objects.map((o) => ({ type: 2, ...(o.panel ?? this.panels[0]!), componentType: o.componentType, componentAddress: o.componentAddress, status: o.status, description: o.description, time })),
    }));
  }

  systemStatus(status: number, panel: Panel = this.panels[0]!): Promise<Frame> {
    return this.send(this.frame(commands.send, { type: 1, objects: [{ type: 1, ...panel, status, time: epochToTime(this.now) }] }));
  }

  analog(analogType: number, value: number, componentAddress = 1, panel: Panel = this.panels[0]!): Promise<Frame> {
    return this.send(this.frame(commands.send, {
      type: 3, objects: [{ type: 3, ...panel, componentType: 85, componentAddress, analogType, value, time: epochToTime(this.now) }],
    }));
  }

  deviceStatus(status: number): Promise<Frame> {
    this.status = status;
    return this.send(this.frame(commands.send, { type: 21, objects: [{ type: 21, status, time: epochToTime(this.now) }] }));
  }

  private onData(chunk: Buffer): void {
    for (const read of this.reader.push(chunk)) {
      if (read.kind !== 'frame') continue;
      const frame = read.frame;
      this.frames.push(frame);
      if (frame.command === commands.confirm || frame.command === commands.deny) {
        (frame.command === commands.confirm ? this.confirmed : this.denied).push(frame.serial);
        const w = this.waiting.get(frame.serial);
        if (!w) continue;
        this.waiting.delete(frame.serial);
        clearTimeout(w.timer);
        if (frame.command === commands.confirm) w.resolve(frame);
        else w.reject(new Error(`serial ${frame.serial} denied`));
        continue;
      }
      this.answer(frame);
    }
  }

  /** Answers the centre's requests (reads: a response with the same serial) and controls (a confirm). */
  private answer(request: Frame): void {
    const unit = decodeUnit(request.data);
    if (!unit.ok || !this.socket || this.options.deaf) return;
    const respond = (command: number, objects: UnitObject[] | null) => this.socket?.write(encodeFrame({
      ...this.frame(command, objects && objects.length ? { type: objects[0]!.type, objects } : null, request.serial),
    }));
    const time = epochToTime(this.now);
    switch (unit.unit.type) {
      case 81: return void respond(commands.response, [{ type: 21, status: this.status, time }]);
      case 85: return void respond(commands.response, [{ type: 25, major: 1, minor: 1 }]);
      case 88: return void respond(commands.response, [{ type: 28, time }]);
      case 90: return void respond(commands.confirm, null);
      case 91: {
        respond(commands.confirm, null);
        if (this.options.dutyAnswerMs === null) return;
        // the duty room presses 查岗应答: a device operation (type 24, bit 5) reported with the 查岗's serial
        setTimeout(() => {
          if (!this.connected) return;
          void this.send(this.frame(commands.send, { type: 24, objects: [{ type: 24, operation: 0x20, operator: 1, time: epochToTime(this.now) }] }, request.serial)).catch(() => undefined);
        }, this.options.dutyAnswerMs ?? 2000).unref();
        return;
      }
      default: return void respond(commands.deny, null);
    }
  }

  close(): Promise<void> {
    this.socket?.end();
    return this.closed;
  }

  destroy(): void {
    this.socket?.destroy();
  }
}

// The duty room's alarm sound: a WebAudio beep (no file to load), with a mute switch that is remembered.
// Browsers keep audio blocked until the page has seen a click or a key; until then `blocked` is true and
// the desk asks for one click. The first gesture anywhere unlocks it.
import { readonly, ref } from 'vue';

const MUTE_KEY = 'firenet.desk.muted';

const muted = ref(readMuted());
const blocked = ref(false);
let context: AudioContext | null = null;

function audio(): AudioContext | null {
  if (context) return context;
  const Ctor = window.AudioContext ?? (window as unknown as { webkitAudioContext?: typeof AudioContext }).webkitAudioContext;
  if (!Ctor) return null;
  try {
    context = new Ctor();
  } catch {
    return null;
  }
  return context;
}

function unlock(): void {
  const ctx = audio();
  if (!ctx) return;
  if (ctx.state === 'suspended') {
    void ctx.resume().then(() => (blocked.value = ctx.state !== 'running'), () => undefined);
  } else {
    blocked.value = false;
  }
}

let listening = false;
function listenForGesture(): void {
  if (listening) return;
  listening = true;
  for (const type of ['pointerdown', 'keydown'] as const) window.addEventListener(type, unlock, { capture: true, passive: true });
}

/** Two-tone pulses, about a second: loud enough for a duty room, short enough to repeat. */
function play(ctx: AudioContext): void {
  const start = ctx.currentTime + 0.02;
  const gain = ctx.createGain();
  gain.connect(ctx.destination);
  gain.gain.setValueAtTime(0, start);
  for (let i = 0; i < 3; i++) {
    const at = start + i * 0.32;
    const osc = ctx.createOscillator();
    osc.type = 'square';
    osc.frequency.setValueAtTime(i % 2 === 0 ? 880 : 660, at);
    osc.connect(gain);
    gain.gain.setValueAtTime(0.0001, at);
    gain.gain.exponentialRampToValueAtTime(0.18, at + 0.02);
    gain.gain.setValueAtTime(0.18, at + 0.22);
    gain.gain.exponentialRampToValueAtTime(0.0001, at + 0.26);
    osc.start(at);
    osc.stop(at + 0.28);
  }
  setTimeout(() => gain.disconnect(), 1500);
}

/** Sounds the alarm unless muted; marks the sound blocked when the browser still refuses audio. */
export function beep(): void {
  listenForGesture();
  if (muted.value) return;
  const ctx = audio();
  if (!ctx) return;
  if (ctx.state !== 'running') {
    blocked.value = true;
    void ctx.resume().then(() => {
      if (ctx.state === 'running') {
        blocked.value = false;
        play(ctx);
      }
    }, () => undefined);
    return;
  }
  blocked.value = false;
  play(ctx);
}

export function setMuted(value: boolean): void {
  muted.value = value;
  try {
    localStorage.setItem(MUTE_KEY, value ? '1' : '0');
  } catch {
    /* remembered for the page only */
  }
  if (!value) unlock();
}

export function useAlarmSound() {
  listenForGesture();
  return { muted: readonly(muted), blocked: readonly(blocked), beep, setMuted, unlock };
}

function readMuted(): boolean {
  try {
    return localStorage.getItem(MUTE_KEY) === '1';
  } catch {
    return false;
  }
}

import { onScopeDispose, ref, type Ref } from 'vue';

/** The current time in ms, ticking every `everyMs` while the calling component lives: countdowns and "time open". */
export function useNow(everyMs = 1000): Readonly<Ref<number>> {
  const now = ref(Date.now());
  const timer = setInterval(() => (now.value = Date.now()), everyMs);
  onScopeDispose(() => clearInterval(timer));
  return now;
}

const clock = ref(Date.now());
let subscribers = 0;
let clockTimer: ReturnType<typeof setInterval> | undefined;

/**
 * One shared clock ticking each second, for the many countdowns of a screen: one timer however many rows,
 * and every row sees the same second.
 */
export function useClock(): Readonly<Ref<number>> {
  if (subscribers++ === 0) {
    clock.value = Date.now();
    clockTimer = setInterval(() => (clock.value = Date.now()), 1000);
  }
  onScopeDispose(() => {
    if (--subscribers === 0) clearInterval(clockTimer);
  });
  return clock;
}

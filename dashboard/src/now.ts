import { onScopeDispose, ref, type Ref } from 'vue';

/** The current time in ms, ticking every `everyMs` while the calling component lives: countdowns and "time open". */
export function useNow(everyMs = 1000): Readonly<Ref<number>> {
  const now = ref(Date.now());
  const timer = setInterval(() => (now.value = Date.now()), everyMs);
  onScopeDispose(() => clearInterval(timer));
  return now;
}

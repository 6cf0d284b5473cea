// The desk's steps on an alarm: acknowledge, confirm (fire / false alarm / test), close, one at a time per alarm; a
// real fire is asked once more (FireConfirm). Someone faster (409, 404): the alarm is shown as it stands now.
import { reactive, ref, type Ref } from 'vue';
import type { AlarmStep } from '../../alarms';
import { api, ApiError } from '../../api';
import type { Alarm } from '../../types';

export function useAlarmSteps(put: (alarm: Alarm) => void, selectedId: Ref<string | null>) {
  /** The step each alarm is busy with. */
  const busy = reactive(new Map<string, string>());
  const failure = ref<{ id: string; error: unknown } | null>(null);
  /** The alarm whose real fire waits to be confirmed once more. */
  const confirmingFire = ref<Alarm | null>(null);

  async function act(alarm: Alarm, step: AlarmStep): Promise<void> {
    if (busy.has(alarm.id)) return;
    busy.set(alarm.id, step.kind);
    failure.value = null;
    selectedId.value = alarm.id;
    const path = `/api/alarms/${encodeURIComponent(alarm.id)}/${step.kind}`;
    try {
      put(await api<Alarm>(path, { method: 'POST', body: step.kind === 'confirm' ? { outcome: step.outcome } : {} }));
    } catch (e) {
      failure.value = { id: alarm.id, error: e };
      if (e instanceof ApiError && (e.status === 409 || e.status === 404)) {
        try {
          put(await api<Alarm>(`/api/alarms/${encodeURIComponent(alarm.id)}`));
        } catch {
          /* the list catches up on the next event or reconnect */
        }
      }
    } finally {
      busy.delete(alarm.id);
    }
  }

  function request(alarm: Alarm, step: AlarmStep): void {
    if (step.kind === 'confirm' && step.outcome === 'fire') {
      selectedId.value = alarm.id;
      confirmingFire.value = alarm;
      return;
    }
    void act(alarm, step);
  }

  function fireConfirmed(): void {
    const alarm = confirmingFire.value;
    confirmingFire.value = null;
    if (alarm) void act(alarm, { kind: 'confirm', outcome: 'fire' });
  }

  return { busy, failure, confirmingFire, request, fireConfirmed };
}

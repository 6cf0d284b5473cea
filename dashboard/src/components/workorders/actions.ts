// A person's steps on work orders: assign (to oneself or someone), fix, verify, reject; one note or name typed at a
// time. The server's answer goes into the list; on a conflict (someone moved it first) the order is read again.
import { nextTick, reactive, ref } from 'vue';
import { api, ApiError } from '../../api';
import { tw } from '../../messages/workorders';
import { session } from '../../session';
import type { WorkOrder } from '../../types';

export type WorkOrderAction = 'assign' | 'fix' | 'verify' | 'reject';

export interface Editing {
  id: string;
  action: 'assign' | 'fix' | 'reject';
  text: string;
  problem: string | null;
}

export function useWorkOrderActions(show: (order: WorkOrder) => void) {
  const editing = ref<Editing | null>(null);
  const busy = reactive(new Set<string>());
  const failure = ref<{ id: string; error: unknown } | null>(null);
  /** The typing field, focused when it opens. */
  const input = ref<HTMLInputElement | null>(null);

  function open(order: WorkOrder, action: Editing['action']): void {
    editing.value = { id: order.id, action, text: '', problem: null };
    failure.value = null;
    void nextTick(() => input.value?.focus());
  }

  async function send(order: WorkOrder, action: WorkOrderAction, text?: string): Promise<void> {
    if (busy.has(order.id)) return;
    const body: Record<string, string> = { action };
    if (action === 'assign') body.assignee = text ?? '';
    else if (text) body.note = text;
    busy.add(order.id);
    failure.value = null;
    try {
      const updated = await api<WorkOrder>(`/api/workorders/${encodeURIComponent(order.id)}/transition`, { method: 'POST', body });
      if (editing.value?.id === order.id) editing.value = null;
      show(updated);
    } catch (e) {
      failure.value = { id: order.id, error: e };
      if (e instanceof ApiError && e.status === 409) {
        try {
          show(await api<WorkOrder>(`/api/workorders/${encodeURIComponent(order.id)}`));
        } catch {
          /* caught up on the next push or reconnect */
        }
      }
    } finally {
      busy.delete(order.id);
    }
  }

  function submit(order: WorkOrder): void {
    const edit = editing.value;
    if (!edit || edit.id !== order.id) return;
    const text = edit.text.trim();
    if (edit.action === 'assign' && !text) {
      edit.problem = tw('workorders.needAssignee');
      return;
    }
    if (edit.action === 'reject' && !text) {
      edit.problem = tw('workorders.needNote');
      return;
    }
    void send(order, edit.action, text || undefined);
  }

  function assignToMe(order: WorkOrder): void {
    const me = session.user?.username;
    if (me) void send(order, 'assign', me);
  }

  return { editing, busy, failure, input, open, send, submit, assignToMe };
}

export type WorkOrderActions = ReturnType<typeof useWorkOrderActions>;

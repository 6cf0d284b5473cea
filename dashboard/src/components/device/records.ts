// What a device caused (alarms, work orders, hazard tickets, commands), newest first, a page at a time with how many
// in all, kept current by the live feed.
import { computed, ref } from 'vue';
import { api } from '../../api';
import { onLive } from '../../live';
import { usePagedList } from '../../paging';
import type { Alarm, Command, TicketSummary, WorkOrder } from '../../types';

export const RECORDS_PAGE = 50;

export function useDeviceRecords(id: () => string, options: { onDeviceChange(): void }) {
  const ofDevice = () => ({ deviceId: id() });
  const alarms = usePagedList<Alarm>('/api/alarms', ofDevice, RECORDS_PAGE);
  const orders = usePagedList<WorkOrder>('/api/workorders', ofDevice, RECORDS_PAGE);
  const tickets = usePagedList<TicketSummary>('/api/tickets', ofDevice, RECORDS_PAGE);
  const commands = ref<Command[]>([]);
  const commandError = ref<unknown>(null);
  const error = computed(() => alarms.error.value ?? orders.error.value ?? tickets.error.value ?? commandError.value);

  async function load(): Promise<void> {
    const path = `/api/devices/${encodeURIComponent(id())}/commands`;
    const [c] = await Promise.allSettled([api<Command[]>(path), alarms.load(), orders.load(), tickets.load()]);
    if (c.status === 'fulfilled') commands.value = c.value.slice(0, RECORDS_PAGE);
    commandError.value = c.status === 'rejected' ? c.reason : null;
  }

  /** The institution's name as the records carry it, if any does. */
  const siteName = computed(() => alarms.items.value[0]?.siteName ?? orders.items.value[0]?.siteName ?? tickets.items.value[0]?.siteName);

  onLive('alarm', (a) => {
    if (a.deviceId !== id()) return;
    alarms.put(a);
    options.onDeviceChange();
  });
  onLive('workorder', (w) => {
    if (w.deviceId !== id()) return;
    orders.put(w);
    options.onDeviceChange();
  });
  onLive('ticket', (t) => {
    if (t.deviceId === id()) tickets.put(t);
  });
  /**
   * A command sent from the page or pushed: changed in place, or first in the list. The answer to the page's request
   * may come after the push of the device's answer (a read answered at once): a settled command stays settled.
   */
  function putCommand(c: Command): void {
    const index = commands.value.findIndex((x) => x.id === c.id);
    if (index < 0) commands.value = [c, ...commands.value].slice(0, RECORDS_PAGE);
    else if (c.state !== 'pending' || commands.value[index]!.state === 'pending') commands.value[index] = c;
  }
  onLive('command', (c) => {
    if (c.deviceId === id()) putCommand(c);
  });

  function stop(): void {
    for (const list of [alarms, orders, tickets]) list.stop();
  }

  return { alarms, orders, tickets, commands, putCommand, error, siteName, load, stop };
}

export type DeviceRecords = ReturnType<typeof useDeviceRecords>;

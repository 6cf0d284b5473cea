// The work orders of the caller's institutions, a page at a time, kept current by the socket: open ones, or all of
// them with the verified ones; a verified order stays on the open list a few seconds, so the one who verified it
// sees it happen.
import { ref } from 'vue';
import { onLive, onLiveConnect } from '../../live';
import { useLiveList } from '../../liveList';
import { usePagedList } from '../../paging';
import type { WorkOrder } from '../../types';

/** Work orders per page: the rest on request, with how many there are in all (X-Total-Count). */
export const WORK_ORDER_PAGE = 500;
/** A verified order stays on the open list this long. */
const LEAVE_MS = 5000;

function byNewest(a: WorkOrder, b: WorkOrder): number {
  return Date.parse(b.openedAt) - Date.parse(a.openedAt);
}

export function useWorkOrderList() {
  const showVerified = ref(false);
  const list = usePagedList<WorkOrder>('/api/workorders', () => ({ status: showVerified.value ? undefined : 'open' }), WORK_ORDER_PAGE);
  const { items: orders, total } = list;
  const leaving = new Map<string, ReturnType<typeof setTimeout>>();

  function apply(order: WorkOrder): void {
    const current = orders.value.find((o) => o.id === order.id);
    if (current) {
      // A replayed, older push must not undo a newer state; a verified order stays verified.
      if (Date.parse(order.lastSeenAt) < Date.parse(current.lastSeenAt)) return;
      if (current.state === 'verified' && order.state !== 'verified') return;
      orders.value = orders.value.map((o) => (o.id === order.id ? order : o));
    } else {
      if (order.state === 'verified' && !showVerified.value) return;
      orders.value = [order, ...orders.value].sort(byNewest);
      total.value++;
    }
    if (order.state === 'verified' && !showVerified.value) scheduleLeave(order.id);
  }

  function scheduleLeave(id: string): void {
    if (leaving.has(id)) return;
    leaving.set(
      id,
      setTimeout(() => {
        leaving.delete(id);
        if (showVerified.value) return;
        const before = orders.value.length;
        orders.value = orders.value.filter((o) => o.id !== id || o.state !== 'verified');
        total.value = Math.max(0, total.value - (before - orders.value.length));
      }, LEAVE_MS),
    );
  }

  // The paged list reads the pages and keeps them itself (and its own errors): the snapshot is in place once read.
  const live = useLiveList<WorkOrder, void>({ fetch: list.load, take: () => {}, apply });

  void live.refresh();
  onLiveConnect(() => void live.refresh());
  onLive('workorder', (order) => live.receive(order));

  function toggleVerified(): void {
    showVerified.value = !showVerified.value;
    void list.reset();
  }

  function stop(): void {
    live.stop();
    list.stop();
    for (const timer of leaving.values()) clearTimeout(timer);
  }

  return { list, showVerified, toggleVerified, receive: live.receive, stop };
}

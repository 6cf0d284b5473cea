// The region and the month a report page shows, kept in its URL (?region=&month=) so a link or a reload shows the
// same: absent, the user's home region and this month. The monthly report and the scorecard share them.
import { computed, type Ref } from 'vue';
import { useRoute, useRouter, type LocationQueryRaw } from 'vue-router';
import { localMonth } from '../../calendar';

export interface Period { region?: string; month?: string }

/** `home`: the region shown when the URL names none; `root`: the region the URL leaves out (the top of the picker). */
export function useRegionMonth(routeName: string, home: Ref<string | null>, root: Ref<string | null>) {
  const route = useRoute();
  const router = useRouter();
  const region = computed(() => (typeof route.query.region === 'string' && /^\d{6}$/.test(route.query.region) ? route.query.region : home.value));
  const month = computed(() => (typeof route.query.month === 'string' && /^\d{4}-(0[1-9]|1[0-2])$/.test(route.query.month) ? route.query.month : localMonth()));
  function set(patch: Period): void {
    const next: LocationQueryRaw = { ...route.query, ...patch };
    if (next.region === root.value) delete next.region;
    void router.replace({ name: routeName, query: next });
  }
  return { region, month, set };
}

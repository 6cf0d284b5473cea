// The dashboard's views, one per user's job (see DOMAIN.md); "/" opens the one a role needs first.
import { watch } from 'vue';
import { createRouter, createWebHashHistory, type RouteLocationNormalized, type RouteRecordRaw } from 'vue-router';
import { session } from './session';

declare module 'vue-router' {
  interface RouteMeta {
    /** Only these roles may open the view; anyone else is sent to their first view. */
    roles?: readonly string[];
  }
}

const home: Record<string, string> = { bureau: '/overview', admin: '/overview', operator: '/desk', logistics: '/workorders', safety_manager: '/tickets' };
const homeOf = (role: string | undefined) => home[role ?? ''] ?? '/desk';

const routes: RouteRecordRaw[] = [
  { path: '/', redirect: () => homeOf(session.user?.role) },
  { path: '/overview', name: 'overview', component: () => import('./views/OverviewView.vue') },
  { path: '/desk', name: 'desk', component: () => import('./views/AlarmDeskView.vue') },
  { path: '/workorders', name: 'workorders', component: () => import('./views/WorkOrdersView.vue') },
  { path: '/tickets', name: 'tickets', component: () => import('./views/TicketsView.vue') },
  { path: '/tickets/:id', name: 'ticket', component: () => import('./views/TicketDetailView.vue'), props: true },
  { path: '/devices/:id', name: 'device', component: () => import('./views/DeviceDetailView.vue'), props: true },
  { path: '/reports', name: 'reports', component: () => import('./views/ReportView.vue') },
  { path: '/rules', name: 'rules', component: () => import('./views/RulesView.vue') },
  { path: '/admin', name: 'admin', component: () => import('./views/AdminView.vue'), meta: { roles: ['admin', 'bureau'] } },
];

export const router = createRouter({ history: createWebHashHistory(), routes });

/** Signed out, every route is allowed: the login form shows, and the route is checked once someone signs in. */
function allowed(route: RouteLocationNormalized): boolean {
  const role = session.user?.role;
  return !role || !route.meta.roles || route.meta.roles.includes(role);
}

router.beforeEach((to) => (allowed(to) ? true : homeOf(session.user?.role)));
// A page opened while signed out (a bookmark) is checked against the role that signs in.
watch(
  () => session.user?.role,
  () => {
    const current = router.currentRoute.value;
    if (!allowed(current)) void router.replace(homeOf(session.user?.role));
  },
);

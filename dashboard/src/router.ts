// The dashboard's views, one per user's job (see DOMAIN.md); "/" opens the one a role needs first.
import { watch } from 'vue';
import { createRouter, createWebHashHistory, type RouteLocationNormalized, type RouteRecordRaw } from 'vue-router';
import { mayOpen, viewsOf, type ViewKey } from './access';
import { session } from './session';

declare module 'vue-router' {
  interface RouteMeta {
    /** The view this page belongs to: only roles with the view may open it (access.ts); anyone else is sent to their first view. */
    view?: ViewKey;
  }
}

const homeOf = (role: string | undefined) => `/${viewsOf(role)[0] ?? 'desk'}`;

const routes: RouteRecordRaw[] = [
  { path: '/', redirect: () => homeOf(session.user?.role) },
  { path: '/overview', name: 'overview', component: () => import('./views/OverviewView.vue'), meta: { view: 'overview' } },
  { path: '/desk', name: 'desk', component: () => import('./views/AlarmDeskView.vue'), meta: { view: 'desk' } },
  { path: '/workorders', name: 'workorders', component: () => import('./views/WorkOrdersView.vue'), meta: { view: 'workorders' } },
  { path: '/tickets', name: 'tickets', component: () => import('./views/TicketsView.vue'), meta: { view: 'tickets' } },
  { path: '/tickets/:id', name: 'ticket', component: () => import('./views/TicketDetailView.vue'), props: true, meta: { view: 'tickets' } },
  // A device's and an institution's own pages: anyone whose scope holds them (the server answers 404 otherwise).
  { path: '/devices/:id', name: 'device', component: () => import('./views/DeviceDetailView.vue'), props: true },
  { path: '/sites/:id', name: 'site', component: () => import('./views/SiteView.vue'), props: true },
  { path: '/sites/:id/checks', name: 'siteChecks', component: () => import('./views/ChecksView.vue'), props: true },
  { path: '/reports', name: 'reports', component: () => import('./views/ReportView.vue'), meta: { view: 'reports' } },
  // the scorecard belongs to the report's view (from its header): the navigation stays on one line
  { path: '/scorecard', name: 'scorecard', component: () => import('./views/ScorecardView.vue'), meta: { view: 'reports' } },
  { path: '/rules', name: 'rules', component: () => import('./views/RulesView.vue'), meta: { view: 'rules' } },
  { path: '/risks', name: 'risks', component: () => import('./views/RisksView.vue'), meta: { view: 'risks' } },
  { path: '/control-room', name: 'control-room', component: () => import('./views/ControlRoomView.vue'), meta: { view: 'control-room' } },
  { path: '/preparedness', name: 'preparedness', component: () => import('./views/PreparednessView.vue'), meta: { view: 'preparedness' } },
  // 通报与约谈 belong with the hazards a bureau supervises: a page of the tickets view, linked from its list.
  { path: '/supervision', name: 'supervision', component: () => import('./views/SupervisionView.vue'), meta: { view: 'tickets' } },
  { path: '/admin', name: 'admin', component: () => import('./views/AdminView.vue'), meta: { view: 'admin' } },
  // An unknown address: the user's first view.
  { path: '/:rest(.*)*', redirect: () => homeOf(session.user?.role) },
];

export const router = createRouter({ history: createWebHashHistory(), routes });

/** Signed out, every route is allowed: the login form shows, and the route is checked once someone signs in. */
function allowed(route: RouteLocationNormalized): boolean {
  const role = session.user?.role;
  return !role || !route.meta.view || mayOpen(role, route.meta.view);
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

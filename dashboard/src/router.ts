// The dashboard's views, one per user's job (see DOMAIN.md); "/" opens the one a role needs first.
import { createRouter, createWebHashHistory, type RouteRecordRaw } from 'vue-router';
import { session } from './session';

const home: Record<string, string> = { bureau: '/overview', admin: '/overview', operator: '/desk', logistics: '/workorders', safety_manager: '/tickets' };

const routes: RouteRecordRaw[] = [
  { path: '/', redirect: () => home[session.user?.role ?? ''] ?? '/desk' },
  { path: '/overview', name: 'overview', component: () => import('./views/OverviewView.vue') },
  { path: '/desk', name: 'desk', component: () => import('./views/AlarmDeskView.vue') },
  { path: '/workorders', name: 'workorders', component: () => import('./views/WorkOrdersView.vue') },
  { path: '/tickets', name: 'tickets', component: () => import('./views/TicketsView.vue') },
  { path: '/tickets/:id', name: 'ticket', component: () => import('./views/TicketDetailView.vue'), props: true },
  { path: '/devices/:id', name: 'device', component: () => import('./views/DeviceDetailView.vue'), props: true },
  { path: '/reports', name: 'reports', component: () => import('./views/ReportView.vue') },
  { path: '/rules', name: 'rules', component: () => import('./views/RulesView.vue') },
];

export const router = createRouter({ history: createWebHashHistory(), routes });

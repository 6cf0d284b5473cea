// Which views of the dashboard each role works in (see DOMAIN.md): one table for the dashboard's navigation and
// router and for the API routes that serve one view only (the overview), so a view a role has no use for is
// neither offered, nor opened by its URL, nor answered by the API. What a view shows is cut to the scope. Pure.

export const viewKeys = ['overview', 'desk', 'workorders', 'tickets', 'reports', 'rules', 'admin', 'risks', 'control-room', 'preparedness'] as const;
export type ViewKey = (typeof viewKeys)[number];

/** Each role's views, its first view first: the order of its navigation. */
export const viewsByRole: Record<string, readonly ViewKey[]> = {
  admin: ['overview', 'tickets', 'reports', 'rules', 'admin'],
  bureau: ['overview', 'tickets', 'risks', 'control-room', 'preparedness', 'reports', 'admin'],
  operator: ['desk', 'control-room', 'tickets'],
  logistics: ['workorders', 'tickets', 'preparedness'],
  safety_manager: ['tickets', 'desk', 'workorders', 'risks', 'control-room', 'preparedness', 'reports'],
};

/** The views of a role (an unknown one: the desk, read-only). */
export function viewsOf(role: string | undefined): readonly ViewKey[] {
  return viewsByRole[role ?? ''] ?? ['desk'];
}

/** Admins may open every view, also those their navigation leaves out (the desk, the work orders). */
export function mayOpen(role: string | undefined, view: ViewKey): boolean {
  return role === 'admin' || viewsOf(role).includes(view);
}

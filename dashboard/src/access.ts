// Which views each role works in: the platform's table (contracts/views.ts), which the API enforces too, so the
// navigation, the router and the server never disagree about who has a view.
export { mayOpen, viewKeys, viewsByRole, viewsOf, type ViewKey } from '../../contracts/views.js';

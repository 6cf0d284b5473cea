// FireNet's layers, lowest first: each may import only from itself and the layers below it (docs/architecture.md).
// A file belongs to the first layer, in this order, whose patterns match its path (relative to the repository).
// Imports that break a rule today are listed in .dependency-cruiser-known-violations.json, for the work that removes
// them; a new one fails `tests/unit/layers.test.ts` and `npx depcruise --ignore-known ...`. Stricter than the layers:
// the store takes nothing from the decide layer (only contracts), and the edges reach the store only through the
// owners, but for the accepted exceptions below.
const layers = [
  {
    name: 'contracts',
    comment: 'zod schemas and the types everyone shares: device API, records, HTTP bodies; imports nothing of FireNet above it',
    path: [
      '^contracts/',
      '^platform/(times|errors)\\.ts$',
    ],
  },
  {
    name: 'decide',
    comment: 'pure decisions over plain data: the rules engine, the lifecycles, scope, report figures; no database, wire or clock',
    path: [
      '^platform/rules/(?!runner\\.ts$)',
      '^platform/[^/]+/lifecycle\\.ts$',
      '^platform/reports/(figures|calendar|submission-rules)\\.ts$',
      '^platform/scorecard/score\\.ts$',
      '^platform/auth/(permissions|scope)\\.ts$',
      '^platform/risks/assessment\\.ts$',
      '^platform/control-room/decisions\\.ts$',
      '^platform/preparedness/requirements\\.ts$',
      '^platform/duties/(periods|completion|figures)\\.ts$',
      '^platform/tickets/(deadlines|supervision)\\.ts$',
      '^platform/cluster/partitions\\.ts$',
    ],
  },
  {
    name: 'store',
    comment: 'the SQL port and its two adapters',
    path: ['^platform/store/'],
  },
  {
    name: 'owners',
    comment: "each record's owner: applies decisions inside a transaction, publishes after the commit",
    path: [
      '^platform/(alarms|workorders|tickets|commands|effects|devices|notify|registry|reports|telemetry|auth|risks|control-room|preparedness|duties|scorecard)/',
      '^platform/rules/runner\\.ts$',
      '^platform/realtime/publisher\\.ts$',
      '^platform/cluster/(lease|partition-keeper|rule-inputs|forwarding)\\.ts$',
    ],
  },
  {
    name: 'edges',
    comment: 'MQTT, HTTP, sockets and scheduled jobs: parse at the edge, hand to the owners',
    path: ['^gateway/', '^platform/api/', '^platform/realtime/', '^platform/(schedule|metrics)\\.ts$', '^platform/cluster/bus\\.ts$'],
  },
  {
    name: 'app',
    comment: 'the composition root: the one place that wires everything (and the storm rehearsal, a throwaway copy of the event path)',
    path: ['^platform/app\\.ts$', '^platform/rehearsal\\.ts$', '^platform/demo/', '^platform/(config|logger)\\.ts$', '^platform/cluster/local/'],
  },
  {
    name: 'main',
    comment: 'the entry point of `npm start`, outside platform/: hands the platform the demo fleet (simulators/)',
    path: ['^main\\.ts$'],
  },
];

// Edges that still reach into the store past the owners, accepted for now (docs/architecture.md, "Accepted"): the
// request context hands every route the store (context.ts: most routes read through services.store, and moving the
// reads to the owners is its own piece of work); and the audit entry is written in the transaction of the request it
// records (audit.ts), which the store opens.
const edgesReachingTheStore = [
  '^platform/api/context\\.ts$',
  '^platform/api/audit\\.ts$',
];

const below = (i) => layers.slice(0, i + 1).flatMap((l) => l.path);
const above = (i) => layers.slice(i + 1).flatMap((l) => l.path);

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    ...layers.slice(0, -1).map((layer, i) => ({
      name: `${layer.name}-imports-upward`,
      comment: `${layer.name} (${layer.comment}) imports only from ${layers.slice(0, i + 1).map((l) => l.name).join(', ')}`,
      severity: 'error',
      from: i === 0 ? { path: layer.path } : { path: layer.path, pathNot: below(i - 1) },
      to: { path: above(i), pathNot: below(i) },
    })),
    {
      name: 'store-knows-sql-and-contracts',
      comment: 'the store (the SQL port and its adapters) takes its types from the contracts, never from a decision of the layer below it',
      severity: 'error',
      from: { path: '^platform/store/' },
      to: { path: layers[1].path },
    },
    {
      name: 'edges-through-owners',
      comment: "an HTTP route or the socket server asks the records' owners, not the store",
      severity: 'error',
      from: { path: ['^platform/api/', '^platform/realtime/socket\\.ts$'], pathNot: edgesReachingTheStore },
      to: { path: '^platform/store/' },
    },
    {
      name: 'contracts-stand-alone',
      comment: 'contracts/ is the bottom of the house: it imports nothing of FireNet outside contracts/ (zod, yes)',
      severity: 'error',
      from: { path: '^contracts/' },
      to: { path: '^(main\\.ts$|platform/|gateway/|simulators/|dashboard/)' },
    },
    {
      name: 'no-simulators-in-product',
      comment: 'the demo fleet is wired from outside: nothing in platform/ or gateway/ imports simulators/',
      severity: 'error',
      from: { path: '^(platform|gateway)/' },
      to: { path: '^simulators/' },
    },
    {
      name: 'simulators-speak-the-device-api',
      comment: 'a simulated device knows the device API (the contracts) and nothing else of FireNet',
      severity: 'error',
      from: { path: '^simulators/' },
      to: { path: '^(platform|gateway|contracts)/', pathNot: layers[0].path },
    },
    {
      name: 'no-circular',
      comment: 'modules that import each other cannot be read, tested or moved one at a time',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    {
      name: 'not-to-unresolvable',
      comment: 'an import that does not resolve to a file',
      severity: 'error',
      from: {},
      to: { couldNotResolve: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(node_modules|dist|dashboard|tests)/' },
    // type-only imports count: a type from a higher layer ties the lower one to it as much as a value does
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default', 'types'] },
  },
};

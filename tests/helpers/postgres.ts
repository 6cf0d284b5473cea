// The throwaway PostgreSQL server the tests start: the one `npm run cluster` starts (platform/cluster/local/).
export * from '../../platform/cluster/local/postgres.js';

// The throwaway Redis server the cluster tests start: the one `npm run cluster` starts (platform/cluster/local/).
export * from '../../platform/cluster/local/redis.js';

/**
 * The read programs the read pool runs off the main thread (platform/db/read-pool.ts): every
 * report, export page and search that reads more than a few rows. The worker (read-worker.ts)
 * and the inline pool of an in-memory database run these same functions.
 */
import { statusStatistics } from './agents/status-statistics-query.js';
import { searchHistory } from './calls/history-search.js';
import { groupStatsReport } from './queues/group-stats.js';
import { queueLogPage } from './queues/queue-log.js';

export const readPrograms = {
  groupStats: groupStatsReport,
  statusStatistics,
  historySearch: searchHistory,
  queueLogPage,
};

export type AppReadPrograms = typeof readPrograms;

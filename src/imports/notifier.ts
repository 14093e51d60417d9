/**
 * The `imports` topic: how an upload's job is getting on (import_progress: rows done of the
 * total, while its rows are read and again while they are written) and its end (import_finished,
 * with the counts; the full report is GET /imports/{id}). A job is seen by the one who uploaded
 * it and by those with csv_upload.view_all.
 */
import type { Principal } from '../platform/http/auth.js';
import type { Hub } from '../platform/realtime/hub.js';
import { typedTopic } from '../platform/realtime/typed-topic.js';
import type { ImportStatus } from './schema.js';

export const IMPORTS_VIEW_ALL = 'csv_upload.view_all';

export interface ImportOwner {
  principalKind: 'agent' | 'api_key';
  principalId: number;
}

export interface ImportProgressWire {
  jobId: number;
  kind: string;
  /** Reading (and checking) the rows, then writing the good ones. */
  phase: 'reading' | 'writing';
  done: number;
  total: number;
}

export interface ImportFinishedWire {
  jobId: number;
  kind: string;
  status: ImportStatus;
  total: number;
  applied: number;
  skipped: number;
}

export interface ImportEvents {
  import_progress: ImportProgressWire;
  import_finished: ImportFinishedWire;
}

export const ownsJob = (principal: Principal, owner: ImportOwner): boolean =>
  principal.kind === owner.principalKind && principal.id === owner.principalId;

export const seesJob = (principal: Principal, owner: ImportOwner): boolean =>
  ownsJob(principal, owner) || principal.permissions.has(IMPORTS_VIEW_ALL);

export interface ImportNotifier {
  progress: (owner: ImportOwner, data: ImportProgressWire) => void;
  finished: (owner: ImportOwner, data: ImportFinishedWire) => void;
}

/** `running`: the jobs under way, for the snapshot a new subscriber starts from. */
export function createImportNotifier(
  hub: Hub,
  running: (principal: Principal) => ImportProgressWire[],
): ImportNotifier {
  hub.defineTopic('imports', {
    canSubscribe: (p) => p.permissions.has('csv_upload.view'),
    snapshot: (p) => ({ running: running(p) }),
  });
  const topic = typedTopic<ImportEvents>(hub, 'imports');
  return {
    progress: (owner, data) => topic.publish('import_progress', data, (p) => seesJob(p, owner)),
    finished: (owner, data) => topic.publish('import_finished', data, (p) => seesJob(p, owner)),
  };
}

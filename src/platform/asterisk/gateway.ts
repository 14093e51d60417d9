/**
 * The Asterisk the server talks to, as one object: the ARI and AMI ports, and in managed mode
 * the Asterisk process itself. Its `status()` feeds /readyz and the `system` realtime topic.
 */
import type { AsteriskSettings } from '../../config.js';
import type { Logger } from '../logger.js';
import { createAmiConnection, type AmiPort } from './ami.js';
import { createAriConnection, type AriPort, type LinkState } from './ari.js';
import { createManagedAsterisk, type ManagedAsterisk, type ManagedState } from './managed.js';

export interface AsteriskStatus {
  mode: 'managed' | 'external';
  ari: LinkState;
  ami: LinkState;
  /** The managed Asterisk process; absent in external mode. */
  process?: ManagedState;
  /** Why the last link went down, if it did. */
  reason?: string;
}

export interface AsteriskGateway {
  readonly ari: AriPort;
  readonly ami: AmiPort;
  readonly managed: ManagedAsterisk | undefined;
  status(): AsteriskStatus;
  onStatusChange(listener: (status: AsteriskStatus) => void): () => void;
  /** Connects (and in managed mode starts Asterisk) in the background; never throws. */
  start(): void;
  stop(): Promise<void>;
}

export interface GatewayOptions {
  settings: AsteriskSettings;
  log: Logger;
  /** Default managed runtime directory for a host installation (next to the database). */
  defaultRuntimeDir?: string;
}

export function createAsteriskGateway({
  settings,
  log,
  defaultRuntimeDir,
}: GatewayOptions): AsteriskGateway {
  const managed =
    settings.mode === 'managed'
      ? createManagedAsterisk({
          settings: settings.managed,
          stasisApp: settings.stasisApp,
          log: log.child({ component: 'managed-asterisk' }),
          ...(defaultRuntimeDir !== undefined && { defaultRuntimeDir }),
        })
      : undefined;
  const endpoints = managed?.endpoints() ?? (settings.mode === 'external' ? settings : undefined);
  if (endpoints === undefined) throw new Error('no Asterisk endpoints');

  const ari = createAriConnection(
    { ...endpoints.ari, app: settings.stasisApp },
    log.child({ component: 'ari' }),
  );
  const ami = createAmiConnection(endpoints.ami, log.child({ component: 'ami' }));
  const listeners = new Set<(status: AsteriskStatus) => void>();
  let reason: string | undefined;

  function status(): AsteriskStatus {
    return {
      mode: settings.mode,
      ari: ari.state(),
      ami: ami.state(),
      ...(managed !== undefined && { process: managed.state() }),
      ...(reason !== undefined && { reason }),
    };
  }

  function changed(why?: string): void {
    if (why !== undefined) reason = why;
    // Once both links are up again, the last failure is history, not a reason.
    if (ari.state() === 'connected' && ami.state() === 'connected') reason = undefined;
    const current = status();
    for (const listener of listeners) listener(current);
  }

  ari.onStateChange((_state, why) => changed(why && `ARI: ${why}`));
  ami.onStateChange((_state, why) => changed(why && `AMI: ${why}`));
  managed?.onStateChange((_state, why) => changed(why && `Asterisk: ${why}`));

  return {
    ari,
    ami,
    managed,
    status,
    onStatusChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    start() {
      managed?.start().catch((err: unknown) => {
        log.error({ err }, 'managed Asterisk did not start');
        changed(`Asterisk: ${err instanceof Error ? err.message : String(err)}`);
      });
      ari.start();
      ami.start();
    },
    async stop() {
      await ari.stop();
      await ami.stop();
      await managed?.stop();
    },
  };
}

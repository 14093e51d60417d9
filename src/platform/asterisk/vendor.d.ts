// The slice of the untyped client libraries that the ports use. Nothing outside
// src/platform/asterisk imports these modules (enforced by ESLint).

declare module 'ari-client' {
  import type { EventEmitter } from 'node:events';

  type Operation = (params?: Record<string, unknown>) => Promise<unknown>;

  export interface Client extends EventEmitter {
    start(apps: string | string[], subscribeAll?: boolean): Promise<void>;
    stop(): void;
    ping(): void;
    [resource: string]: unknown;
  }

  export type Resource = Record<string, Operation>;

  export function connect(url: string, user: string, password: string): Promise<Client>;
}

declare module 'asterisk-manager' {
  import type { EventEmitter } from 'node:events';

  export type AmiMessage = Record<string, string | string[] | Record<string, string> | undefined>;

  export interface Manager extends EventEmitter {
    options: { port: number; host: string; username: string; password: string; events: boolean };
    connect(port: number, host: string, callback?: (err: Error | null) => void): void;
    login(callback: (err?: AmiMessage) => void): void;
    action(
      action: Record<string, string>,
      callback: (err: AmiMessage | undefined, res: AmiMessage) => void,
    ): string;
    disconnect(callback?: () => void): void;
    isConnected(): boolean;
  }

  function AsteriskManager(
    port: number,
    host: string,
    username: string,
    password: string,
    events: boolean,
  ): Manager;

  export default AsteriskManager;
}

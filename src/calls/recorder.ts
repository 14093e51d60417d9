/**
 * The call recorder: MixMonitor on the customer's channel, over AMI (ARI has no MixMonitor).
 *
 * A recording on a channel follows it through every bridge it will be in — hold, transfer, park,
 * conference — where an ARI bridge recording would stop at the first move. The file goes into
 * the spool's recording directory, reached from MixMonitor's own monitor directory so that no
 * path of the Asterisk's is needed, and ARI serves it as the stored recording `<name>`.
 */
import type { AmiPort } from '../platform/asterisk/ami.js';
import type { Logger } from '../platform/logger.js';

export interface Recorder {
  /** Starts recording a channel (by name) as `name`; null when it could not start. */
  start(channelName: string, name: string): Promise<string | null>;
}

export function createMixMonitorRecorder(ami: AmiPort, log: Logger): Recorder {
  return {
    async start(channelName, name) {
      try {
        await ami.action({
          Action: 'MixMonitor',
          Channel: channelName,
          File: `../recording/${name}.wav`,
        });
        return name;
      } catch (err) {
        log.error({ err, channelName }, 'recording did not start');
        return null;
      }
    },
  };
}

/** For a server configured not to record. */
export const NO_RECORDER: Recorder = { start: () => Promise.resolve(null) };

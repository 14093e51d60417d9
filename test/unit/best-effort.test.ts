import t from 'tap';
import { AriError } from '../../src/platform/asterisk/ari-errors.js';
import { quietlyWith } from '../../src/platform/asterisk/best-effort.js';
import type { Logger } from '../../src/platform/logger.js';

function recordingLog() {
  const warnings: string[] = [];
  const log = { warn: (_fields: unknown, message: string) => warnings.push(message) };
  return { log: log as unknown as Logger, warnings };
}

t.test(
  'a step whose channel is gone is silent; other failures are logged, never thrown',
  async (t) => {
    const { log, warnings } = recordingLog();
    const quietly = quietlyWith(log, 'step failed');
    await quietly(() => Promise.resolve('done'));
    await quietly(() =>
      Promise.reject(new AriError('not_found', 'channels.hangup', 'Channel not found')),
    );
    await quietly(() =>
      Promise.reject(
        new AriError('not_in_stasis', 'channels.play', 'Channel not in Stasis application'),
      ),
    );
    t.same(warnings, [], 'a party who hung up meanwhile is how calls end');
    await quietly(() =>
      Promise.reject(new AriError('invalid', 'bridges.addChannel', 'bad request')),
    );
    await quietly(() => Promise.reject(new Error('boom')));
    t.same(warnings, ['step failed', 'step failed'], 'a real failure leaves a trace');
  },
);

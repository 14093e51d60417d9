import t from 'tap';
import { AriError, classifyAriError } from '../../src/platform/asterisk/ari.js';

t.test('ARI error messages are classified into kinds', async (t) => {
  const kind = (message: string) => classifyAriError('op', new Error(message)).kind;
  t.equal(kind('{"message":"Channel not found"}'), 'not_found');
  t.equal(kind('{"message":"Bridge not found"}'), 'not_found');
  t.equal(kind('{"message":"Channel not in Stasis application"}'), 'not_in_stasis');
  t.equal(kind('{"message":"Bridge with id already exists"}'), 'conflict');
  t.equal(kind('{"message":"Channel not in a bridge"}'), 'conflict');
  t.equal(kind('{"message":"Invalid media URI"}'), 'invalid');
  t.equal(kind('connect ECONNREFUSED 127.0.0.1:8088'), 'unavailable');
  t.equal(kind('{"message":"Allocation failed"}'), 'failed');
  const err = classifyAriError('channels.answer', new Error('{"message":"Channel not found"}'));
  t.match(err.message, 'ARI channels.answer: Channel not found');
  const same = new AriError('timeout', 'x', 'y');
  t.equal(classifyAriError('z', same), same);
});

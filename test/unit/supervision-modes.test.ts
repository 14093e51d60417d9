import t from 'tap';
import {
  MODE_KEYS,
  codesProblem,
  mayUse,
  permissionsFor,
  snoopFor,
  supervisionDialled,
} from '../../src/supervision/modes.js';

const CODES = { listen: '995', whisper: '994', barge: '996' };

t.test('a dialled code: the mode and the extension after it', async (t) => {
  t.same(supervisionDialled(CODES, '995201'), { mode: 'listen', extension: '201' });
  t.same(supervisionDialled(CODES, '994201'), { mode: 'whisper', extension: '201' });
  t.same(supervisionDialled(CODES, '99612345'), { mode: 'barge', extension: '12345' });
  t.equal(supervisionDialled(CODES, '995'), undefined, 'no extension');
  t.equal(supervisionDialled(CODES, '9952'), undefined, 'an extension of one digit');
  t.equal(supervisionDialled(CODES, '995*01'), undefined, 'not digits');
  t.equal(supervisionDialled(CODES, '993201'), undefined, 'another code');
  t.equal(supervisionDialled(CODES, '201'), undefined);
  t.same(supervisionDialled({ ...CODES, listen: '*51' }, '*51201'), {
    mode: 'listen',
    extension: '201',
  });
});

t.test('permissions: listen monitor, whisper whisper, barge both', async (t) => {
  t.same(permissionsFor('listen'), ['call_features.monitor']);
  t.same(permissionsFor('whisper'), ['call_features.whisper']);
  t.same(permissionsFor('barge'), ['call_features.monitor', 'call_features.whisper']);
  const monitorOnly = new Set(['call_features.monitor']);
  t.ok(mayUse(monitorOnly, 'listen'));
  t.notOk(mayUse(monitorOnly, 'whisper'));
  t.notOk(mayUse(monitorOnly, 'barge'));
  t.ok(mayUse(new Set(['call_features.monitor', 'call_features.whisper']), 'barge'));
  t.notOk(mayUse(new Set(), 'listen'), 'an agent role');
});

t.test('the snoop: always hears both; speaks to nobody, the agent, both', async (t) => {
  t.same(snoopFor('listen'), { spy: 'both', whisper: 'none' });
  t.same(snoopFor('whisper'), { spy: 'both', whisper: 'out' });
  t.same(snoopFor('barge'), { spy: 'both', whisper: 'both' });
});

t.test('keys during a session: the last digit of each default code', async (t) => {
  t.same(MODE_KEYS, { '4': 'whisper', '5': 'listen', '6': 'barge' });
  t.equal(MODE_KEYS['7'], undefined);
});

t.test('codes: distinct, none the beginning of another', async (t) => {
  t.equal(codesProblem(CODES), null);
  t.match(codesProblem({ ...CODES, barge: '995' }), /beginning|same code/);
  t.match(codesProblem({ ...CODES, barge: '9951' }), /995 is the beginning of 9951/);
  t.match(codesProblem({ ...CODES, barge: '' }), /1 to 6 digits/);
  t.match(codesProblem({ ...CODES, barge: '99a' }), /1 to 6 digits/);
});

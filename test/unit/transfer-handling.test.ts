/**
 * Which Asterisk gets a phone's REFER handed to the server (ari-only), and which refuses it.
 */
import t from 'tap';
import {
  handsTransfersToApplication,
  transferFields,
} from '../../src/platform/asterisk/transfer-handling.js';

t.test('the releases that hand REFERs to the application safely', async (t) => {
  const cases: [version: string | undefined, ours: boolean][] = [
    ['22.10.1', true],
    ['22.7.0', true],
    ['22.6.0', false],
    ['22.3.0', false],
    ['21.12.0', true],
    ['21.11.2', false],
    ['20.17.0', true],
    ['20.16.1', false],
    ['23.0.0', true],
    ['24.1.0-rc1', true],
    ['18.26.4', false],
    ['16.28.0', false],
    ['16.28.0~dfsg-0+deb11u4', false],
    ['certified-20.7-cert5', false],
    ['GIT-master-0a1b2c3', false],
    ['', false],
    [undefined, false],
  ];
  for (const [version, ours] of cases)
    t.equal(handsTransfersToApplication(version), ours, String(version));
});

t.test('the endpoint fields either way', async (t) => {
  t.same(transferFields(true), {
    allow_transfer: 'yes',
    set_var: 'PJSIP_TRANSFER_HANDLING()=ari-only',
  });
  t.same(transferFields(false), { allow_transfer: 'no' });
});

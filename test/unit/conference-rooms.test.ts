import t from 'tap';
import { isRoom, membershipTag, parseMembershipTag, roomsOf } from '../../src/conferences/rooms.js';

t.test('CONFERENCE_ROOMS: a range or a list', async (t) => {
  t.same(roomsOf('9201-9203'), ['9201', '9202', '9203'], 'the manual’s three rooms');
  t.same(roomsOf('0801-0802'), ['0801', '0802'], 'leading zeros kept');
  t.same(roomsOf('9201, 9205,9300'), ['9201', '9205', '9300'], 'a list');
  t.same(roomsOf('9201'), ['9201'], 'one room');
  t.match(roomsOf('9203-9201'), { problem: /upwards/ });
  t.match(roomsOf('920-9201'), { problem: /same length/ });
  t.match(roomsOf('1000-1200'), { problem: /at most 100/ });
  t.match(roomsOf(''), { problem: /at least one/ });
  t.match(roomsOf('9201,abc'), { problem: /2 to 6 digits/ });
  t.match(roomsOf('9201,9201'), { problem: /twice/ });
});

t.test('isRoom: exactly the configured numbers', async (t) => {
  const settings = { rooms: ['9201', '9202'] };
  t.ok(isRoom(settings, '9201'));
  t.notOk(isRoom(settings, '9203'));
  t.notOk(isRoom(settings, '92010'));
  t.notOk(isRoom(settings, ''));
});

t.test('the CC_CONFERENCE tag round-trips; a broken one is refused', async (t) => {
  const m = { room: '9202', joinedAt: new Date('2026-12-01T10:00:00.123Z'), muted: true };
  t.equal(membershipTag(m), '9202:1796119200123:1');
  t.same(parseMembershipTag(membershipTag(m)), m);
  t.same(parseMembershipTag('9202:1796119200123:0'), { ...m, muted: false });
  t.equal(parseMembershipTag(''), undefined);
  t.equal(parseMembershipTag('9202:soon:0'), undefined);
  t.equal(parseMembershipTag('room:1:0'), undefined);
  t.equal(parseMembershipTag('9202::0'), undefined);
});

/**
 * The supervisor's floor screens in one browser, with a real Asterisk and SIPp phones:
 * - パーク保留: a call the agent parks (POST /calls/{id}/park, as the phone panel does; #72 is
 *   park.test.ts's) is listed with its caller and who parked it; the supervisor's pickup rings the supervisor's own phone and reconnects the
 *   caller;
 * - 会議室: two phones in room 9201 are listed; muting one from the screen shows on the feed
 *   (and GET), removing the other hangs up its phone (Asterisk's BYE);
 * - 座席レイアウト: the supervisor creates a layout, adds two seats and a wall, drags them and
 *   saves; GET has them where they were dropped; the live view shows each seat's agent, and the
 *   agent's status change recolours their seat at once.
 */
import { join } from 'node:path';
import t from 'tap';
import { createAgent } from '../support/app.js';
import { buildWebApp, launchBrowser, loggedInPage, SCREENSHOTS } from '../support/browser.js';
import {
  agentWithPhone,
  answer,
  callOutWith,
  carrier,
  dial,
  did,
  phoneFor,
  until,
} from '../support/floor.js';
import { startTelephonyServer } from '../support/telephony.js';

const CUSTOMER = '0399997777';
const ROOM = '9201';
const BREAK_COLOUR = '#6a1b9a';

interface Item {
  kind: string;
  terminalId?: number;
  x: number;
  y: number;
}

t.test('the supervisor’s parked calls, conference rooms and seat layouts', async (t) => {
  await buildWebApp();
  const server = await startTelephonyServer();
  t.teardown(server.stop);
  const admin = { token: server.adminToken };
  const op1 = await agentWithPhone(server, 'op1', '201', { password: 'Operator1' });
  const svId = await createAgent(server, {
    loginId: 'sv1',
    password: 'Supervis1',
    role: 'supervisor',
    extension: '209',
  });
  const svPhone = await phoneFor(server, svId, '209', 'desk209');
  const guests = [
    await phoneFor(server, null, null, 'guest1'),
    await phoneFor(server, null, null, 'guest2'),
  ];
  const trunk = await carrier(server);
  await callOutWith(server, op1.agentId ?? 0, await did(server, '0312340000'));
  const breakStatus = await server.request('POST', '/api/v1/agent-statuses', {
    ...admin,
    body: { name: '休憩', backgroundColor: BREAK_COLOUR },
  });
  const breakId = (breakStatus.json() as { id: number }).id;

  const browser = await launchBrowser();
  t.teardown(() => browser.close());
  const sv = await loggedInPage(browser, server.baseUrl, {
    loginId: 'sv1',
    password: 'Supervis1',
  });

  await t.test('a parked call: listed live, picked up to the supervisor’s phone', async (t) => {
    await sv.click('[data-tab=supervisor]');
    await sv.click('a[href="#/supervisor/parked"]');
    await sv.locator('[data-testid=parked-calls]').waitFor();

    const customer = await trunk.answer({ timeoutSeconds: 90 });
    const parker = await dial(server, op1, CUSTOMER, 'caller.xml', {
      vars: { hold: 40_000 },
      timeoutSeconds: 90,
    });
    const op1Token = ((await server.login('op1', 'Operator1')).json() as { token: string }).token;
    let callId = '';
    await until(
      async () => {
        const res = await server.request('GET', '/api/v1/calls', { token: op1Token });
        const up = (res.json() as { items: { id: string; state: string }[] }).items.find(
          (c) => c.state === 'up',
        );
        callId = up?.id ?? '';
        return up !== undefined;
      },
      15_000,
      'op1’s call to the customer to be answered',
    );
    const parked = await server.request('POST', `/api/v1/calls/${callId}/park`, {
      token: op1Token,
    });
    t.equal(parked.statusCode, 201, 'op1 parks it');
    const row = sv.locator('[data-testid=park-list] tr[data-slot="9001"]');
    await row.waitFor({ timeout: 20_000 });
    t.match(await row.textContent(), CUSTOMER, 'the caller');
    t.equal(await row.locator('.parker').textContent(), '201 Name op1', 'who parked it');
    t.equal((await parker.done).code, 0, 'the agent’s phone was let go once parked');
    const since = row.locator('[data-col=since]');
    const first = await since.textContent();
    await until(async () => (await since.textContent()) !== first, 3000, 'the wait to tick');
    t.pass(`the time parked ticks (${first ?? ''} → ${(await since.textContent()) ?? ''})`);
    await sv.screenshot({ path: join(SCREENSHOTS, 'floor-parked-ja.png'), fullPage: true });

    const parkedCallId = (
      (await server.request('GET', '/api/v1/parked-calls', admin)).json() as {
        items: { callId: string }[];
      }
    ).items[0]?.callId;
    const ringing = await answer(svPhone, 'phone-answer.xml', {
      vars: { answer_delay: 500, hangup_after: 2500 },
    });
    await sv.click('[data-testid=pick-up-9001]');
    await row.waitFor({ state: 'detached', timeout: 15_000 });
    await until(
      async () => {
        const res = await server.request('GET', '/api/v1/calls', admin);
        const calls = (res.json() as { items: { id: string; state: string; agentIds: number[] }[] })
          .items;
        return calls.some(
          (c) => c.id === parkedCallId && c.state === 'up' && c.agentIds.includes(svId),
        );
      },
      10_000,
      'the parked call to be the supervisor’s',
    );
    t.pass('the caller is connected to the supervisor');
    const picked = await ringing.done;
    t.equal(picked.code, 0, 'the supervisor’s phone rang, answered, then hung up');
    t.match(picked.messages, /INVITE sip:/, 'it got the INVITE');
    t.equal((await customer.done).code, 0, 'the customer talked, then got the BYE');
  });

  await t.test('a conference room: its participants, mute and remove', async (t) => {
    await sv.click('a[href="#/supervisor/conferences"]');
    await sv.locator('[data-testid=conferences]').waitFor();
    const calls = [];
    for (const guest of guests)
      calls.push(
        await dial(server, guest, ROOM, 'caller.xml', {
          vars: { hold: 60_000 },
          timeoutSeconds: 90,
        }),
      );
    const room = sv.locator(`[data-room="${ROOM}"]`);
    const rows = room.locator('tr[data-participant]');
    await until(async () => (await rows.count()) === 2, 20_000, 'two participants listed');
    const [one, two] = [rows.nth(0), rows.nth(1)];
    const numbers = [await one.getAttribute('data-number'), await two.getAttribute('data-number')];
    t.same(numbers.sort(), ['guest1', 'guest2'], 'both phones are listed');
    const oneId = (await one.getAttribute('data-participant')) ?? '';
    const twoNumber = (await two.getAttribute('data-number')) ?? '';

    await one.locator('[data-testid=toggle-mute]').click();
    await one.locator('[data-testid=mute-state]', { hasText: 'ミュート中' }).waitFor({
      timeout: 5000,
    });
    const listed = (await server.request('GET', `/api/v1/conferences/${ROOM}`, admin)).json() as {
      participants: { id: string; muted: boolean }[];
    };
    t.same(
      listed.participants.map((p) => [p.id === oneId, p.muted]).sort(),
      [
        [false, false],
        [true, true],
      ],
      'the one muted from the screen is muted, the other not',
    );
    await sv.screenshot({ path: join(SCREENSHOTS, 'floor-conference-ja.png'), fullPage: true });

    await two.locator('[data-testid=kick]').click();
    const kicked = await calls[guests.findIndex((g) => g.sipUser === twoNumber)]?.done;
    t.equal(kicked?.code, 0, 'the removed phone’s call ended');
    t.match(kicked?.messages, /BYE sip:/, 'Asterisk hung it up');
    await until(async () => (await rows.count()) === 1, 5000, 'one participant left');
    t.pass('the screen lists one participant');

    await rows.first().locator('[data-testid=kick]').click();
    await sv.locator('[data-testid=conferences] .notice').waitFor({ timeout: 5000 });
    t.pass('the room is gone from the screen once empty');
    for (const call of calls) await call.done;
  });

  await t.test('a seat layout: built in the editor, stored, live', async (t) => {
    const terminalId = async (sipUser: string) =>
      (
        (await server.request('GET', `/api/v1/terminals?sipUser=${sipUser}`, admin)).json() as {
          items: { id: number }[];
        }
      ).items[0]?.id ?? 0;
    const op1Terminal = await terminalId(op1.sipUser);
    const svTerminal = await terminalId(svPhone.sipUser);

    await sv.click('a[href="#/supervisor/seat-layouts"]');
    await sv.fill('input[name=layoutName]', '1F 東');
    await sv.fill('input[name=layoutWidth]', '700');
    await sv.fill('input[name=layoutHeight]', '450');
    await sv.click('[data-testid=create-layout]');
    const editor = sv.locator('[data-testid=seat-layout-editor]');
    await editor.waitFor();
    const layoutId = Number(/seat-layouts\/(\d+)\/edit/.exec(sv.url())?.[1]);

    for (const id of [op1Terminal, svTerminal]) {
      await sv.selectOption('select[name=terminal]', String(id));
      await sv.click('[data-testid=add-seat]');
    }
    await sv.selectOption('select[name=objectKind]', 'wall');
    await sv.click('[data-testid=add-object]');
    const plan = sv.locator('[data-testid=seat-plan-editor]');
    t.equal(await plan.locator('.plan-item').count(), 3, 'two seats and a wall on the plan');

    /** Drags from a point of the plan (canvas = screen pixels at this width) by dx, dy. */
    async function drag(x: number, y: number, dx: number, dy: number) {
      const box = await plan.boundingBox();
      if (box === null) throw new Error('no plan');
      // Inside the 2 px border.
      const at = { x: box.x + 2 + x, y: box.y + 2 + y };
      await sv.mouse.move(at.x, at.y);
      await sv.mouse.down();
      await sv.mouse.move(at.x + dx / 2, at.y + dy / 2, { steps: 4 });
      await sv.mouse.move(at.x + dx, at.y + dy, { steps: 4 });
      await sv.mouse.up();
    }
    // The first seat is at (20, 20), the second at (40, 40), the wall at (60, 60).
    await drag(25, 25, 300, 200);
    await drag(200, 65, 0, 350);
    await sv.screenshot({ path: join(SCREENSHOTS, 'floor-seat-editor-ja.png'), fullPage: true });
    await sv.click('[data-testid=save-layout]');
    await sv.locator('text=変更を保存しました').waitFor({ timeout: 5000 });

    const stored = (
      await server.request('GET', `/api/v1/seat-layouts/${layoutId}`, admin)
    ).json() as { name: string; terminalCount: number; objectCount: number; items: Item[] };
    t.match(stored, { name: '1F 東', terminalCount: 2, objectCount: 1 });
    t.same(
      stored.items.map((i) => ({ kind: i.kind, terminalId: i.terminalId, x: i.x, y: i.y })),
      [
        { kind: 'seat', terminalId: op1Terminal, x: 320, y: 220 },
        { kind: 'seat', terminalId: svTerminal, x: 40, y: 40 },
        { kind: 'wall', terminalId: undefined, x: 60, y: 410 },
      ],
      'stored where they were dropped',
    );

    await sv.click(`a[href="#/supervisor/seat-layouts/${layoutId}"]`);
    const seat = sv.locator(`[data-testid=seat-plan] .seat[data-terminal="${op1Terminal}"]`);
    await seat.locator('.status', { hasText: '待機' }).waitFor({ timeout: 5000 });
    t.match(await seat.locator('.seat-agent').textContent(), '201 op1', 'the seat’s agent');
    await server.request('PUT', `/api/v1/agents/${op1.agentId}/status`, {
      ...admin,
      body: { status: 'paused', customStatusId: breakId },
    });
    await seat.locator('.status', { hasText: '休憩' }).waitFor({ timeout: 5000 });
    t.equal(
      await seat.evaluate(
        (el) => (el as unknown as { style: { background: string } }).style.background,
      ),
      'rgb(106, 27, 154)',
      'the seat takes the custom status’s colour at once',
    );
    await sv.screenshot({ path: join(SCREENSHOTS, 'floor-seat-layout-ja.png'), fullPage: true });
    await sv.click('a[href="#/supervisor/seat-layouts"]');
    const listed = sv.locator(`[data-testid=seat-layout-list] tr[data-layout="${layoutId}"]`);
    t.equal(await listed.locator('[data-col=terminals]').textContent(), '2', '端末数');
    t.equal(await listed.locator('[data-col=objects]').textContent(), '1', 'オブジェクト数');
    await sv.screenshot({ path: join(SCREENSHOTS, 'floor-seat-layouts-ja.png'), fullPage: true });
  });
});

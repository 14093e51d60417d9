/**
 * A call in an IVR (§11-3), in Stasis: the schedule first — the first rule that covers now
 * (schedule.ts) sends the caller to its destination —, else the button menu — the prompt plays,
 * a key interrupts it at once (barge-in, digit-reader.ts) and sends the caller to that key's
 * destination, an invalid key or none replays it (menu.ts) —, else the default routing.
 *
 * Every IVR passed and how the caller left it is kept on the call's history row (path.ts). A
 * loop that a later edit created (saves refuse the ones they can see) is stopped at run time:
 * a call that has entered IVRs more than IVR_MAX_HOPS times is ended.
 */
import type { DigitReaders } from '../calls/digit-reader.js';
import type { Call, Leg } from '../calls/model.js';
import type { EndReason } from '../calls/outcomes.js';
import type { Destination } from '../destinations/destination.js';
import type { Clock } from '../platform/clock.js';
import type { Logger } from '../platform/logger.js';
import type { PromptName } from '../prompts/catalogue.js';
import { decideMenu, firstMenuState, type MenuKey, type MenuSettings } from './menu.js';
import type { IvrExit, IvrStep } from './path.js';
import { matchingRule, type ScheduleRule } from './schedule.js';

/** An IVR as the runner needs it. */
export interface IvrDefinition {
  id: number;
  name: string;
  defaultRoute: Destination | null;
  schedule: { enabled: boolean; rules: (ScheduleRule & { destination: Destination })[] };
  /** Whether a `YYYY-MM-DD` is one of its specified dates (its own or its holiday calendar's). */
  isSpecifiedDate: (date: string) => boolean;
  buttons: {
    enabled: boolean;
    menuAudioFileId: number | null;
    keys: Partial<Record<MenuKey, Destination>>;
    noInputSeconds: number;
    attempts: number;
  };
}

export interface IvrRunnerDeps {
  clock: Clock;
  log: Logger;
  timeZone: string;
  maxHops: number;
  engine: {
    answer(call: Call, leg: Leg): Promise<void>;
    playToEnd(channelId: string, media: string, playbackId: string): Promise<void>;
    finish(call: Call, reason: EndReason, cause?: number | null): void;
    refuse(call: Call, reason: EndReason, cause?: number | null): void;
    onEnded(listener: (call: Call) => void): () => void;
  };
  readers: Pick<DigitReaders, 'open'>;
  history: { tookIvrPath(callId: string, path: readonly IvrStep[]): void };
  findIvr(id: number): IvrDefinition | undefined;
  /** The media URI of an audio file, or null when it is gone. */
  mediaOfFile(audioFileId: number): string | null;
  /** A system prompt in the language of the call's DID. */
  prompt(name: PromptName, call: Call): string[];
  /** Sends the caller on (routing.deliver); `visited` as routing keeps it against group loops. */
  deliver(
    call: Call,
    caller: Leg,
    destination: Destination,
    visited: ReadonlySet<number>,
  ): Promise<void>;
}

export function createIvrRunner(deps: IvrRunnerDeps) {
  const { clock, log, engine, readers } = deps;
  const paths = new Map<string, IvrStep[]>();
  let sequence = 0;
  engine.onEnded((call) => paths.delete(call.id));

  const isEnded = (call: Call) => call.state === 'ended';

  /** Ends the call of a caller we cannot send anywhere. */
  function endHere(call: Call, caller: Leg, reason: EndReason): void {
    if (caller.state === 'up')
      engine.finish(call, reason === 'unknown_number' ? 'completed' : reason);
    else engine.refuse(call, reason);
  }

  async function say(call: Call, caller: Leg, media: readonly string[]): Promise<void> {
    for (const item of media) {
      if (isEnded(call)) return;
      sequence += 1;
      await engine
        .playToEnd(caller.channelId, item, `${caller.channelId}-ivr-${sequence}`)
        .catch((err: unknown) => log.debug({ err, callId: call.id }, 'IVR prompt not played'));
    }
  }

  function left(call: Call, ivr: IvrDefinition, exit: IvrExit): void {
    const path = paths.get(call.id) ?? [];
    path.push({ ivrId: ivr.id, name: ivr.name, ...exit });
    paths.set(call.id, path);
    deps.history.tookIvrPath(call.id, path);
  }

  /** The menu, heard up to `attempts` times: where the caller goes, and how they chose it. */
  async function menu(
    call: Call,
    caller: Leg,
    ivr: IvrDefinition,
    prompt: string,
  ): Promise<{ destination: Destination | null; exit: IvrExit } | null> {
    await engine.answer(call, caller);
    const settings: MenuSettings<Destination | null> = {
      keys: ivr.buttons.keys,
      attempts: ivr.buttons.attempts,
    };
    const reader = readers.open(call, caller);
    try {
      let state = firstMenuState();
      for (;;) {
        const input = await reader.read(
          {
            maxDigits: 1,
            terminator: null,
            firstDigitMs: ivr.buttons.noInputSeconds * 1000,
            interDigitMs: ivr.buttons.noInputSeconds * 1000,
          },
          prompt,
        );
        if (input.end === 'hangup' || isEnded(call)) return null;
        const decided = decideMenu(
          { ...state, phase: 'waiting' },
          input.digits === ''
            ? { type: 'no_input_timeout' }
            : { type: 'digit', digit: input.digits },
          settings,
          ivr.defaultRoute,
        );
        state = decided.state;
        const step = decided.step;
        if (step.type === 'route') {
          const exit: IvrExit =
            'key' in step.via
              ? { via: 'key', key: step.via.key }
              : { via: 'default', reason: step.via.default };
          return { destination: step.destination, exit };
        }
        if (step.type === 'replay')
          await say(
            call,
            caller,
            deps.prompt(step.reason === 'invalid' ? 'ivr_invalid' : 'ivr_no_input', call),
          );
      }
    } finally {
      reader.close();
    }
  }

  /** The caller enters the IVR `ivrId`; `visited` is routing's, passed on to where they go. */
  async function enter(
    call: Call,
    caller: Leg,
    ivrId: number,
    visited: ReadonlySet<number>,
  ): Promise<void> {
    const hops = (paths.get(call.id)?.length ?? 0) + 1;
    if (hops > deps.maxHops) {
      log.warn(
        { callId: call.id, path: paths.get(call.id)?.map((s) => s.name) },
        'IVR loop: the call passed IVR_MAX_HOPS IVRs and is ended',
      );
      return endHere(call, caller, 'failed');
    }
    const ivr = deps.findIvr(ivrId);
    if (ivr === undefined) {
      log.warn({ callId: call.id, ivrId }, 'the IVR a call was sent to no longer exists');
      return endHere(call, caller, 'unknown_number');
    }

    let chosen: { destination: Destination | null; exit: IvrExit } | null = null;
    if (ivr.schedule.enabled) {
      const index = matchingRule(
        ivr.schedule.rules,
        clock.now(),
        deps.timeZone,
        ivr.isSpecifiedDate,
      );
      const rule = index === null ? undefined : ivr.schedule.rules[index];
      if (index !== null && rule !== undefined)
        chosen = { destination: rule.destination, exit: { via: 'rule', rule: index + 1 } };
    }
    if (chosen === null && ivr.buttons.enabled) {
      const prompt =
        ivr.buttons.menuAudioFileId === null ? null : deps.mediaOfFile(ivr.buttons.menuAudioFileId);
      if (prompt !== null) {
        chosen = await menu(call, caller, ivr, prompt);
        if (chosen === null) return;
      }
    }
    chosen ??= {
      destination: ivr.defaultRoute,
      exit: { via: 'default', reason: ivr.schedule.enabled ? 'no_rule' : 'no_menu' },
    };
    if (isEnded(call)) return;
    left(call, ivr, chosen.exit);
    if (chosen.destination === null) return endHere(call, caller, 'unknown_number');
    return deps.deliver(call, caller, chosen.destination, visited);
  }

  return {
    enter,
    /** The IVRs the call has gone through so far. */
    pathOf: (callId: string): readonly IvrStep[] => paths.get(callId) ?? [],
  };
}

export type IvrRunner = ReturnType<typeof createIvrRunner>;

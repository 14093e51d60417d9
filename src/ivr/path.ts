/**
 * The way a caller took through IVRs, kept on the call and shown on its history row (§9-1):
 * each IVR passed and how the caller left it — a schedule rule (its number, from 1), a key, or
 * the default routing (why: no rule, an invalid key or no key after the last attempt).
 */
export type IvrExit =
  | { via: 'rule'; rule: number }
  | { via: 'key'; key: string }
  | { via: 'default'; reason: 'no_rule' | 'invalid' | 'no_input' | 'no_menu' };

export type IvrStep = { ivrId: number; name: string } & IvrExit;

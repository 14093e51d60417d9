/**
 * The telephone keypad, 1–9, *, 0, #, as every phone lays it out. Both phones of the desk use it:
 * the phone panel (REST: dial or send DTMF on the agent's call) and the browser phone (SIP INFO /
 * RFC 4733 from the page); what a key does is theirs to say.
 */

export const KEYS = ['1', '2', '3', '4', '5', '6', '7', '8', '9', '*', '0', '#'] as const;
export type Key = (typeof KEYS)[number];

/** A key's name where * and # cannot go (test ids, CSS). */
export const keyName = (key: Key) => (key === '*' ? 'star' : key === '#' ? 'hash' : key);

export function Keypad(props: {
  label: string;
  onKey: (key: Key) => void;
  disabled?: boolean;
  /** Prefix of each key's data-testid, e.g. `phone-key` → `phone-key-star`. */
  testId?: string;
}) {
  return (
    <div class="keypad" role="group" aria-label={props.label}>
      {KEYS.map((key) => (
        <button
          type="button"
          key={key}
          data-key={key}
          data-testid={props.testId === undefined ? undefined : `${props.testId}-${keyName(key)}`}
          disabled={props.disabled === true}
          onClick={() => props.onKey(key)}
        >
          {key}
        </button>
      ))}
    </div>
  );
}

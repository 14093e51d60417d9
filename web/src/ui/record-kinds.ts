/**
 * A record named in a refusal's details (`{kind, name}`: who uses an audio file, the IVRs and
 * groups of a loop), in the interface's words: 「IVR 受付」, 「電話番号 0501110000」.
 */
import type { Translate, Words } from '../i18n';

const KINDS = new Set(['ivr', 'group', 'phone_number', 'system_prompt', 'campaign']);

export function recordText(t: Translate, record: { kind: string; name: string }): string {
  const kind = KINDS.has(record.kind) ? t(`user_${record.kind}` as keyof Words) : record.kind;
  return `${kind} ${record.name}`;
}

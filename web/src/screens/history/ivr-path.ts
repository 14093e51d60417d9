/**
 * A call's way through IVRs as the history shows it (§9-1): 「IVR 受付 → キー2」, 「IVR 時間外 →
 * ルール1」, 「IVR 受付 → 標準ルーティング(入力なし)」; several IVRs one after the other.
 */
import type { ItemOf } from '../../api/client';
import type { Translate, Words } from '../../i18n';

export type IvrStep = ItemOf<'/api/v1/call-history'>['ivrPath'][number];

export function ivrStepText(t: Translate, step: IvrStep): string {
  const name = step.name;
  if (step.via === 'key') return t('ivrVia_key', { name, key: step.key ?? '' });
  if (step.via === 'rule') return t('ivrVia_rule', { name, rule: step.rule ?? '' });
  if (step.reason === undefined) return t('ivrVia_defaultPlain', { name });
  return t('ivrVia_default', { name, reason: t(`ivrReason_${step.reason}` as keyof Words) });
}

export const ivrPathText = (t: Translate, path: readonly IvrStep[]) =>
  path.map((step) => ivrStepText(t, step)).join(' → ');

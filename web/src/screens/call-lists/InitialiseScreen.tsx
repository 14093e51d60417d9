/**
 * データ初期化 (A.21): "作成したデータを初期化します。物理削除した場合、データは復旧できません。";
 * 対象データ (顧客データ と コールリストデータ / コールリストデータ), 物理削除 "しない" (ticked: a
 * soft delete), and [初期化] after a question — a second, sterner one for a physical deletion.
 */
import { useState } from 'preact/hooks';
import { problemOf } from '../../api/client';
import { useSession } from '../../session';
import { useToast } from '../../ui/toast';
import { FormRow } from './FormRow';
import { useCallListWords } from './words';

type Target = 'customers_and_lists' | 'lists';

export function InitialiseScreen() {
  const w = useCallListWords();
  const { api } = useSession();
  const toast = useToast();
  const [target, setTarget] = useState<Target>('customers_and_lists');
  const [softOnly, setSoftOnly] = useState(true);
  const [confirming, setConfirming] = useState(false);

  async function initialise() {
    setConfirming(false);
    try {
      const done = await api.call('post', '/api/v1/call-lists/initialise', {
        body: { target, hardDelete: !softOnly },
      });
      toast.done(w('initialised', done));
    } catch (err) {
      toast.problem(problemOf(err));
    }
  }

  return (
    <section class="screen call-list-initialise" data-testid="call-list-initialise">
      <h2>{w('initialise')}</h2>
      <p>{w('initialiseText')}</p>
      <div class="resource-form">
        <FormRow label={w('target')} role="radiogroup">
          {(['customers_and_lists', 'lists'] as const).map((v) => (
            <label key={v}>
              <input
                type="radio"
                name="target"
                value={v}
                checked={target === v}
                onChange={() => setTarget(v)}
              />
              {w(`target_${v}`)}
            </label>
          ))}
        </FormRow>
        <FormRow label={w('physicalDelete')}>
          <label>
            <input
              type="checkbox"
              name="softOnly"
              checked={softOnly}
              onChange={(e) => setSoftOnly(e.currentTarget.checked)}
            />
            {w('physicalDeleteNo')}
          </label>
        </FormRow>
        <div class="toolbar">
          <button
            type="button"
            class="danger"
            data-testid="initialise"
            onClick={() => setConfirming(true)}
          >
            {w('initialiseButton')}
          </button>
        </div>
      </div>
      {confirming && (
        <div class="confirm card" role="alertdialog" data-testid="confirm">
          <p>{w('initialiseConfirm', { target: w(`target_${target}`) })}</p>
          {!softOnly && <p class="problem">{w('initialiseConfirmHard')}</p>}
          <button
            type="button"
            class="danger"
            data-testid="confirm-yes"
            onClick={() => void initialise()}
          >
            {w('initialiseButton')}
          </button>
          <button type="button" onClick={() => setConfirming(false)}>
            {w('cancel')}
          </button>
        </div>
      )}
    </section>
  );
}

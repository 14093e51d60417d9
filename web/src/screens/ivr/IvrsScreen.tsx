/** IVR一覧 (§11-3): 名称, 予約 ON / OFF, ボタン ON / OFF, 更新; a new one from 新規作成. */
import { navigate } from '../../app/router';
import { useWords } from '../../i18n';
import { useDateTime } from '../../ui/time';
import { useSession } from '../../session';
import { useLoad } from '../../ui/resource';

export function IvrsScreen() {
  const { t } = useWords();
  const { api, can } = useSession();
  const page = useLoad(() => api.call('get', '/api/v1/ivrs', { query: { limit: '500' } }), [api]);
  const when = useDateTime('short');
  const rows = page.data?.items ?? [];
  return (
    <section class="screen ivrs">
      <h2>{t('ivrs')}</h2>
      {can('ivrs.update') && (
        <div class="toolbar">
          <button
            type="button"
            class="primary"
            data-testid="create"
            onClick={() => navigate('/admin/ivrs/new')}
          >
            {t('create')}
          </button>
        </div>
      )}
      <table class="grid" data-testid="ivrs">
        <thead>
          <tr>
            <th>{t('name')}</th>
            <th>{t('scheduleColumn')}</th>
            <th>{t('buttonsColumn')}</th>
            <th>{t('updatedAt')}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((ivr) => (
            <tr key={ivr.id} data-ivr={ivr.id}>
              <td data-col="name">
                <a href={`#/admin/ivrs/${ivr.id}`}>{ivr.name}</a>
              </td>
              <td data-col="schedule">{ivr.scheduleEnabled ? t('on') : t('off')}</td>
              <td data-col="buttons">{ivr.buttonsEnabled ? t('on') : t('off')}</td>
              <td data-col="updatedAt">{when.format(new Date(ivr.updatedAt))}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {page.data !== undefined && rows.length === 0 && <p class="empty">{t('noIvrs')}</p>}
    </section>
  );
}

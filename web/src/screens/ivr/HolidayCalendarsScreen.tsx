/** 休日カレンダー: the list (名称, 日数, 更新); a new one from 新規作成. */
import { navigate } from '../../app/router';
import { useWords } from '../../i18n';
import { useDateTime } from '../../ui/time';
import { useSession } from '../../session';
import { useLoad } from '../../ui/resource';

export function HolidayCalendarsScreen() {
  const { t } = useWords();
  const { api, can } = useSession();
  const page = useLoad(
    () => api.call('get', '/api/v1/holiday-calendars', { query: { limit: '500' } }),
    [api],
  );
  const when = useDateTime('short');
  const rows = page.data?.items ?? [];
  return (
    <section class="screen holiday-calendars">
      <h2>{t('holidayCalendars')}</h2>
      {can('ivrs.update') && (
        <div class="toolbar">
          <button
            type="button"
            class="primary"
            data-testid="create"
            onClick={() => navigate('/admin/holiday-calendars/new')}
          >
            {t('create')}
          </button>
        </div>
      )}
      <table class="grid" data-testid="holiday-calendars">
        <thead>
          <tr>
            <th>{t('name')}</th>
            <th>{t('dateCount')}</th>
            <th>{t('updatedAt')}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((c) => (
            <tr key={c.id} data-calendar={c.id}>
              <td data-col="name">
                <a href={`#/admin/holiday-calendars/${c.id}`}>{c.name}</a>
              </td>
              <td data-col="dates">{c.dates.length}</td>
              <td data-col="updatedAt">{when.format(new Date(c.updatedAt))}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {page.data !== undefined && rows.length === 0 && <p class="empty">{t('noCalendars')}</p>}
    </section>
  );
}

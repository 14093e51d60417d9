/**
 * The chart of キャンペーン統計: per row (day, hour or agent) one stacked bar of its entries by
 * final result, in counts or in % of 件数 as the table shows. Each result keeps its colour
 * whatever the search; results nobody reached are left out of the legend.
 */
import type { ChartConfiguration } from 'chart.js';
import type { Answer } from '../../api/client';

export type CampaignReport = Answer<'/api/v1/stats/campaigns', 'get'>;
export type CampaignColumn = CampaignReport['columns'][number];

/** The campaign's own results, by their position. */
const CAMPAIGN_COLOURS = [
  '#2e7d32',
  '#1565c0',
  '#f9a825',
  '#6a1b9a',
  '#00838f',
  '#ad1457',
  '#558b2f',
  '#4527a0',
  '#ef6c00',
  '#37474f',
];

/** The system results: greys and reds, apart from the campaign's colours. */
const SYSTEM_COLOURS: Readonly<Record<string, string>> = {
  waiting: '#90a4ae',
  busy: '#c62828',
  no_entry: '#bcaaa4',
  cancelled: '#8d6e63',
  timeout: '#ff8a65',
  channel_limit: '#7e57c2',
  error: '#b71c1c',
  restricted: '#455a64',
  stopped: '#616161',
};

export function colourOf(column: CampaignColumn, columns: readonly CampaignColumn[]): string {
  if (column.kind === 'system') return SYSTEM_COLOURS[column.result] ?? '#9e9e9e';
  const position = columns.filter((c) => c.kind === 'campaign').indexOf(column);
  return CAMPAIGN_COLOURS[position % CAMPAIGN_COLOURS.length] ?? '#9e9e9e';
}

export function campaignChartOf(
  report: CampaignReport,
  percent: boolean,
  labelOf: (column: CampaignColumn) => string,
  rowLabelOf: (row: CampaignReport['rows'][number]) => string,
): ChartConfiguration {
  const valueOf = (row: CampaignReport['rows'][number], c: CampaignColumn) =>
    row.results[c.result] ?? 0;
  const reached = report.columns.filter((c) => report.rows.some((r) => valueOf(r, c) > 0));
  return {
    type: 'bar',
    data: {
      labels: report.rows.map(rowLabelOf),
      datasets: reached.map((c) => ({
        label: labelOf(c),
        data: report.rows.map((r) => valueOf(r, c)),
        backgroundColor: colourOf(c, report.columns),
        stack: 'entries',
      })),
    },
    options: {
      maintainAspectRatio: false,
      animation: false,
      scales: {
        x: { stacked: true },
        y: percent
          ? { stacked: true, min: 0, max: 100, ticks: { callback: (v) => `${String(v)}%` } }
          : { stacked: true, beginAtZero: true, ticks: { precision: 0 } },
      },
    },
  };
}

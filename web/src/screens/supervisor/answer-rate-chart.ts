/**
 * The group detail's answer-rate chart (§10-1 "5分間ごとの応答率") drawn with Chart.js, loaded the
 * first time a chart is drawn (`import('chart.js')`), so the main bundle does not carry it. Its
 * buckets and how they stay live: answer-buckets.ts.
 */
import type { Chart } from 'chart.js';
import type { Bucket } from './answer-buckets';

type ChartJs = typeof import('chart.js');
let chartJs: Promise<ChartJs> | null = null;

/** Chart.js, loaded and registered once. */
export function loadChartJs(): Promise<ChartJs> {
  chartJs ??= import('chart.js').then((m) => {
    m.Chart.register(...m.registerables);
    return m;
  });
  return chartJs;
}

export interface ChartLabels {
  answered: string;
  abandoned: string;
  answerRate: string;
}

const clock = (iso: string) =>
  new Date(iso).toLocaleTimeString('ja-JP', { hour: '2-digit', minute: '2-digit', hour12: false });

function fill(chart: Chart, buckets: Bucket[], labels: ChartLabels): void {
  chart.data.labels = buckets.map((b) => clock(b.start));
  chart.data.datasets = [
    {
      type: 'bar',
      label: labels.answered,
      data: buckets.map((b) => b.answered),
      backgroundColor: '#2e7d32',
      yAxisID: 'calls',
    },
    {
      type: 'bar',
      label: labels.abandoned,
      data: buckets.map((b) => b.abandoned),
      backgroundColor: '#c62828',
      yAxisID: 'calls',
    },
    {
      type: 'line',
      label: labels.answerRate,
      data: buckets.map((b) => b.answerRate),
      borderColor: '#1565c0',
      backgroundColor: '#1565c0',
      spanGaps: true,
      yAxisID: 'rate',
    },
  ];
}

/** Draws the buckets on the canvas: answered and abandoned calls as bars, the rate as a line. */
export async function drawAnswerRate(
  canvas: HTMLCanvasElement,
  buckets: Bucket[],
  labels: ChartLabels,
): Promise<Chart> {
  const { Chart } = await loadChartJs();
  const chart = new Chart(canvas, {
    type: 'bar',
    data: { labels: [], datasets: [] },
    options: {
      animation: false,
      maintainAspectRatio: false,
      scales: {
        calls: { type: 'linear', position: 'left', beginAtZero: true, ticks: { precision: 0 } },
        rate: {
          type: 'linear',
          position: 'right',
          min: 0,
          max: 100,
          grid: { drawOnChartArea: false },
        },
      },
    },
  });
  fill(chart, buckets, labels);
  chart.update();
  return chart;
}

export function redraw(chart: Chart, buckets: Bucket[], labels: ChartLabels): void {
  fill(chart, buckets, labels);
  chart.update('none');
}

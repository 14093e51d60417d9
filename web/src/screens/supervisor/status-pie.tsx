/**
 * The group's agents by status now (§10-1's pie chart), live from the `agents` topic: a doughnut
 * drawn with Chart.js (loaded lazily) and the same counts as a legend beside it.
 */
import type { Chart } from 'chart.js';
import { useEffect, useRef } from 'preact/hooks';
import type { AgentStatus } from '../../feed/topics';
import { useWords, type Words } from '../../i18n';
import type { CustomStatus } from '../desk/custom-statuses';
import { loadChartJs } from './answer-rate-chart';

export interface Slice {
  key: string;
  label: string;
  color: string;
  count: number;
}

/** Colours of the built-in statuses, as the status labels show them (styles.css). */
const COLOURS: Record<string, string> = {
  available: '#2e7d32',
  ringing: '#fb8c00',
  on_call: '#ef6c00',
  on_hold: '#ffb74d',
  paused: '#c62828',
  offline: '#9e9e9e',
  unknown: '#bdbdbd',
};

/** The agents counted by status, custom statuses by their own name and colour. */
export function slicesOf(
  statuses: (AgentStatus | undefined)[],
  custom: CustomStatus[],
  t: (key: keyof Words) => string,
): Slice[] {
  const slices = new Map<string, Slice>();
  for (const s of statuses) {
    const own = custom.find((c) => c.id === s?.customStatusId);
    const name = s === undefined || !(s.status in COLOURS) ? 'offline' : s.status;
    const key = own === undefined ? name : `custom:${own.id}`;
    const slice = slices.get(key) ?? {
      key,
      label: own?.name ?? t(`status_${name}` as keyof Words),
      color: own?.backgroundColor ?? COLOURS[name] ?? '#9e9e9e',
      count: 0,
    };
    slices.set(key, { ...slice, count: slice.count + 1 });
  }
  return [...slices.values()];
}

export function StatusPie(props: { slices: Slice[]; title: string; empty: string }) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const chart = useRef<Chart<'doughnut'> | null>(null);
  const { language } = useWords();
  const { slices } = props;
  const latest = useRef(slices);
  latest.current = slices;

  useEffect(() => {
    let gone = false;
    void loadChartJs().then(({ Chart: ChartJs }) => {
      if (gone || canvas.current === null) return;
      chart.current = new ChartJs(canvas.current, {
        type: 'doughnut',
        data: { labels: [], datasets: [{ data: [] }] },
        options: {
          animation: false,
          maintainAspectRatio: false,
          plugins: { legend: { display: false } },
        },
      });
      draw();
    });
    return () => {
      gone = true;
      chart.current?.destroy();
    };
  }, []);

  function draw() {
    const c = chart.current;
    if (c === null) return;
    const now = latest.current;
    c.data.labels = now.map((s) => s.label);
    c.data.datasets = [{ data: now.map((s) => s.count), backgroundColor: now.map((s) => s.color) }];
    c.update('none');
  }
  useEffect(draw, [slices, language]);

  return (
    <figure class="status-pie" data-testid="status-pie">
      <figcaption>{props.title}</figcaption>
      <div class="pie-canvas">
        <canvas ref={canvas} />
      </div>
      {slices.length === 0 ? (
        <p class="notice">{props.empty}</p>
      ) : (
        <ul class="legend">
          {slices.map((s) => (
            <li key={s.key} data-slice={s.key}>
              <span class="swatch" style={{ background: s.color }} /> {s.label}{' '}
              <span class="count">{s.count}</span>
            </li>
          ))}
        </ul>
      )}
    </figure>
  );
}

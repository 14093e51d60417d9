/**
 * A chart of a statistics screen. Chart.js is loaded on first use (its own chunk, not in the main
 * bundle); the chart is drawn again whenever its configuration changes. The canvas's
 * `data-drawn` counts the renders, so a test can tell a drawn chart from an empty canvas.
 */
import type { Chart, ChartConfiguration, Plugin } from 'chart.js';
import { useEffect, useRef, useState } from 'preact/hooks';

let library: Promise<typeof Chart> | undefined;

function loadChart(): Promise<typeof Chart> {
  library ??= import('chart.js').then(({ Chart: C, registerables }) => {
    C.register(...registerables);
    return C;
  });
  return library;
}

const drawn: Plugin = {
  id: 'drawn',
  afterRender: (chart) => {
    const canvas = chart.canvas;
    canvas.dataset.drawn = String(Number(canvas.dataset.drawn ?? '0') + 1);
  },
};

export function StatsChart(props: {
  config: ChartConfiguration;
  testid: string;
  failedText: string;
}) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const [failed, setFailed] = useState(false);
  useEffect(() => {
    let chart: Chart | undefined;
    let current = true;
    loadChart().then(
      (C) => {
        const element = canvas.current;
        if (!current || element === null) return;
        chart = new C(element, {
          ...props.config,
          plugins: [...(props.config.plugins ?? []), drawn],
        });
      },
      () => current && setFailed(true),
    );
    return () => {
      current = false;
      chart?.destroy();
    };
  }, [props.config]);
  if (failed) return <p class="problem">{props.failedText}</p>;
  return (
    <div class="stats-chart">
      <canvas ref={canvas} data-testid={props.testid} />
    </div>
  );
}

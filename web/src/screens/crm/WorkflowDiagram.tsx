/**
 * The flowchart of a workflow (§11-11: "フローチャートを見ながら"): its steps as boxes in their
 * colours (§11-12 色), one row per distance from the first step, an arrow for each button labelled
 * with it, and the end (未設定/終了) as a node of its own. Arrows back up the chart (loops) curve
 * round the right-hand side. A case's detail passes the step it is on, drawn highlighted; a
 * workflow's detail passes `onStep`, and a click on a box opens that step.
 */
import { useCrmWords } from './words';

export interface DiagramStep {
  id: number;
  name: string;
  color: string;
  buttons: { label: string; nextStepId: number | null }[];
}

const BOX_W = 150;
const BOX_H = 44;
const GAP_X = 50;
const GAP_Y = 76;
const MARGIN = 24;
/** Room on the right for the arrows that loop back. */
const LOOP_ROOM = 110;
const END = -1;

/** Black or white, whichever reads better on a box of this colour. */
export function inkOn(color: string): string {
  const m = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(color);
  if (m === null) return '#000';
  const [r, g, b] = [m[1], m[2], m[3]].map((h) => parseInt(h ?? '0', 16));
  return 0.299 * (r ?? 0) + 0.587 * (g ?? 0) + 0.114 * (b ?? 0) > 150 ? '#000' : '#fff';
}

/**
 * Each step's row: its distance from the first step along the buttons (breadth first); steps no
 * button reaches follow in rows of their own, and the end comes last.
 */
function rowsOf(steps: readonly DiagramStep[], firstStepId: number | null): number[][] {
  const byId = new Map(steps.map((s) => [s.id, s]));
  const level = new Map<number, number>();
  const queue: number[] = [];
  const start = firstStepId !== null && byId.has(firstStepId) ? firstStepId : steps[0]?.id;
  if (start !== undefined) {
    level.set(start, 0);
    queue.push(start);
  }
  while (queue.length > 0) {
    const id = queue.shift() ?? 0;
    for (const b of byId.get(id)?.buttons ?? []) {
      if (b.nextStepId === null || level.has(b.nextStepId) || !byId.has(b.nextStepId)) continue;
      level.set(b.nextStepId, (level.get(id) ?? 0) + 1);
      queue.push(b.nextStepId);
    }
  }
  let deepest = Math.max(-1, ...level.values());
  for (const s of steps) if (!level.has(s.id)) level.set(s.id, ++deepest);
  const rows: number[][] = [];
  for (const s of steps) {
    const l = level.get(s.id) ?? 0;
    (rows[l] ??= []).push(s.id);
  }
  return [...rows.filter((r) => r.length > 0), [END]];
}

interface Placed {
  x: number;
  y: number;
  row: number;
}

export function WorkflowDiagram(props: {
  steps: readonly DiagramStep[];
  firstStepId: number | null;
  /** The step a case is on (highlighted); null — the case is at the end. */
  currentStepId?: number | null;
  onStep?: (stepId: number) => void;
}) {
  const w = useCrmWords();
  const rows = rowsOf(props.steps, props.firstStepId);
  const widest = Math.max(1, ...rows.map((r) => r.length));
  const chartWidth = widest * BOX_W + (widest - 1) * GAP_X;
  const width = MARGIN * 2 + chartWidth + LOOP_ROOM;
  const height = MARGIN * 2 + rows.length * BOX_H + (rows.length - 1) * GAP_Y;
  const at = new Map<number, Placed>();
  rows.forEach((row, r) => {
    const rowWidth = row.length * BOX_W + (row.length - 1) * GAP_X;
    row.forEach((id, i) =>
      at.set(id, {
        x: MARGIN + (chartWidth - rowWidth) / 2 + i * (BOX_W + GAP_X),
        y: MARGIN + r * (BOX_H + GAP_Y),
        row: r,
      }),
    );
  });
  const highlighted = props.currentStepId === undefined ? undefined : (props.currentStepId ?? END);

  const edges = props.steps.flatMap((s) => {
    const from = at.get(s.id);
    if (from === undefined) return [];
    return s.buttons.map((b, i) => {
      const target = b.nextStepId ?? END;
      const to = at.get(target) ?? at.get(END);
      if (to === undefined) return null;
      // The arrows leave the box's bottom spread out, one per button.
      const sx = from.x + (BOX_W * (i + 1)) / (s.buttons.length + 1);
      let path: string;
      let label: { x: number; y: number };
      if (to.row > from.row) {
        const sy = from.y + BOX_H;
        const tx = to.x + BOX_W / 2;
        const ty = to.y;
        path = `M${sx},${sy} L${tx},${ty - 2}`;
        label = { x: (sx + tx) / 2, y: (sy + ty) / 2 };
      } else {
        // Back up the chart, across a row or to itself: round the right-hand side.
        const sy = from.y + BOX_H / 2 + (i - 1.5) * 6;
        const ty = to.y + BOX_H / 2;
        const side = MARGIN + chartWidth + 20 + i * 18;
        const fx = from.x + BOX_W;
        const tx = to.x + BOX_W;
        path = `M${fx},${sy} C${side + 40},${sy} ${side + 40},${ty} ${tx + 2},${ty}`;
        label = { x: side + 20, y: (sy + ty) / 2 - (from.row === to.row ? 14 : 0) };
      }
      const toName =
        target === END ? w('end') : (props.steps.find((x) => x.id === target)?.name ?? '');
      return (
        <g
          key={`${s.id}-${i}`}
          class="diagram-edge"
          data-edge={`${s.name}→${toName}`}
          data-button={i + 1}
        >
          <path d={path} fill="none" stroke="#555" stroke-width={1.5} marker-end="url(#wf-arrow)" />
          <text
            x={label.x}
            y={label.y}
            text-anchor="middle"
            dominant-baseline="middle"
            font-size={12}
            paint-order="stroke"
            stroke="#fff"
            stroke-width={4}
            fill="#222"
          >
            {b.label}
          </text>
        </g>
      );
    });
  });

  const end = at.get(END);
  return (
    <svg
      class="workflow-diagram"
      data-testid="workflow-diagram"
      role="img"
      aria-label={w('flowchart')}
      width={width}
      height={height}
      viewBox={`0 0 ${width} ${height}`}
    >
      <defs>
        <marker
          id="wf-arrow"
          viewBox="0 0 10 10"
          refX={9}
          refY={5}
          markerWidth={8}
          markerHeight={8}
          orient="auto-start-reverse"
        >
          <path d="M0,0 L10,5 L0,10 z" fill="#555" />
        </marker>
      </defs>
      {props.steps.map((s) => {
        const p = at.get(s.id);
        if (p === undefined) return null;
        const current = highlighted === s.id;
        const first = s.id === props.firstStepId;
        return (
          <g
            key={s.id}
            class={`diagram-step${current ? ' current' : ''}`}
            data-step={s.name}
            data-current={current ? 'true' : undefined}
            style={props.onStep === undefined ? undefined : { cursor: 'pointer' }}
            onClick={() => props.onStep?.(s.id)}
          >
            {current && (
              <rect
                x={p.x - 6}
                y={p.y - 6}
                width={BOX_W + 12}
                height={BOX_H + 12}
                rx={10}
                fill="none"
                stroke="#d32f2f"
                stroke-width={3}
                stroke-dasharray="6 3"
              />
            )}
            <rect
              class="step-box"
              x={p.x}
              y={p.y}
              width={BOX_W}
              height={BOX_H}
              rx={6}
              fill={s.color}
              stroke={current ? '#d32f2f' : '#333'}
              stroke-width={current ? 3 : 1}
            />
            <text
              x={p.x + BOX_W / 2}
              y={p.y + BOX_H / 2}
              text-anchor="middle"
              dominant-baseline="middle"
              font-size={14}
              font-weight={current ? 700 : 400}
              fill={inkOn(s.color)}
            >
              {s.name}
            </text>
            {first && (
              <text x={p.x + 4} y={p.y - 4} font-size={11} fill="#555">
                {w('firstMark')}
              </text>
            )}
          </g>
        );
      })}
      {end !== undefined && (
        <g
          class={`diagram-end${highlighted === END ? ' current' : ''}`}
          data-step={w('end')}
          data-current={highlighted === END ? 'true' : undefined}
        >
          <rect
            x={end.x + BOX_W / 4}
            y={end.y + 4}
            width={BOX_W / 2}
            height={BOX_H - 8}
            rx={(BOX_H - 8) / 2}
            fill="#eee"
            stroke={highlighted === END ? '#d32f2f' : '#333'}
            stroke-width={highlighted === END ? 3 : 1}
          />
          <text
            x={end.x + BOX_W / 2}
            y={end.y + BOX_H / 2}
            text-anchor="middle"
            dominant-baseline="middle"
            font-size={13}
          >
            {w('end')}
          </text>
        </g>
      )}
      {edges}
    </svg>
  );
}

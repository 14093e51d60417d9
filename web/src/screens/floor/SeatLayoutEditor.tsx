/**
 * The seat-layout editor (§10-7, seat_layouts.update): the name and canvas size, terminals
 * (端末の追加) and objects — walls, pillars, desks, labels (オブジェクトの追加) — placed freely by
 * dragging them on the plan, sized and turned in the side panel, saved all at once (更新).
 */
import { useEffect, useState } from 'preact/hooks';
import { ApiError, problemOf } from '../../api/client';
import { navigate } from '../../app/router';
import type { ScreenProps } from '../../app/screens';
import { useWords } from '../../i18n';
import { useSession } from '../../session';
import { ConfirmDelete } from '../../ui/confirm-delete';
import { useLoad } from '../../ui/resource';
import { useToast } from '../../ui/toast';
import { Plan, placeStyle, useFit, type ItemIn, type ItemKind, type LayoutItem } from './seat-plan';
import { useFloorWords, type FloorWords } from './words';
import './floor.css';

/** An item being edited: what PUT …/items takes, a key of its own, and its terminal's name. */
type Editable = ItemIn & { key: number; terminalName?: string };

const GRID = 10;
const snap = (n: number) => Math.round(n / GRID) * GRID;
const clamp = (n: number, low: number, high: number) => Math.max(low, Math.min(high, n));

const SIZES: Record<ItemKind, { width: number; height: number }> = {
  seat: { width: 90, height: 70 },
  wall: { width: 200, height: 10 },
  pillar: { width: 30, height: 30 },
  desk: { width: 120, height: 60 },
  label: { width: 120, height: 24 },
};
const OBJECT_KINDS = ['wall', 'pillar', 'desk', 'label'] as const;

let nextKey = 1;

function editable(item: LayoutItem): Editable {
  const place = {
    x: item.x,
    y: item.y,
    width: item.width,
    height: item.height,
    rotation: item.rotation,
    key: nextKey++,
  };
  if (item.kind === 'seat')
    return {
      kind: 'seat',
      terminalId: item.terminalId,
      terminalName: item.terminal.name,
      ...place,
    };
  if (item.kind === 'label') return { kind: 'label', label: item.label, ...place };
  return { kind: item.kind, ...place };
}

/** What PUT …/items takes for an item (without the editor's own fields). */
function wire(item: Editable): ItemIn {
  const place = {
    x: item.x,
    y: item.y,
    width: item.width,
    height: item.height,
    rotation: item.rotation ?? 0,
  };
  if (item.kind === 'seat') return { kind: 'seat', terminalId: item.terminalId, ...place };
  if (item.kind === 'label') return { kind: 'label', label: item.label, ...place };
  return { kind: item.kind, ...place };
}

function NumberField(props: {
  label: string;
  name: string;
  value: number;
  min: number;
  max: number;
  onValue: (n: number) => void;
}) {
  return (
    <label>
      {props.label}{' '}
      <input
        type="number"
        name={props.name}
        min={props.min}
        max={props.max}
        value={props.value}
        onInput={(e) => {
          const n = Number(e.currentTarget.value);
          if (Number.isInteger(n)) props.onValue(n);
        }}
      />
    </label>
  );
}

export function SeatLayoutEditor({ params }: ScreenProps) {
  const { t } = useWords();
  const w = useFloorWords();
  const { api, can } = useSession();
  const toast = useToast();
  const id = Number(params.id);
  const { data: layout } = useLoad(
    () => api.call('get', '/api/v1/seat-layouts/{id}', { path: { id } }),
    [api, id],
  );
  const { data: terminals } = useLoad(
    async () =>
      can('terminals.view')
        ? (await api.call('get', '/api/v1/terminals', { query: { limit: '500' } })).items
        : [],
    [api],
  );
  const [items, setItems] = useState<Editable[]>([]);
  const [canvas, setCanvas] = useState({ name: '', width: 800, height: 500 });
  const [selected, setSelected] = useState<number | null>(null);
  const [issues, setIssues] = useState<Set<number>>(new Set());
  const [terminalId, setTerminalId] = useState('');
  const [objectKind, setObjectKind] = useState<(typeof OBJECT_KINDS)[number]>('wall');
  const [labelText, setLabelText] = useState('');
  const [drag, setDrag] = useState<{
    key: number;
    fromX: number;
    fromY: number;
    x: number;
    y: number;
  } | null>(null);
  const [confirming, setConfirming] = useState(false);
  const { frame, scale } = useFit(canvas.width);

  useEffect(() => {
    if (layout === undefined) return;
    setItems(layout.items.map(editable));
    setCanvas({ name: layout.name, width: layout.width, height: layout.height });
  }, [layout]);

  if (layout === undefined) return <section class="screen" />;
  const placed = new Set(items.flatMap((i) => (i.kind === 'seat' ? [i.terminalId] : [])));
  const free = (terminals ?? []).filter((tm) => !placed.has(tm.id));
  const change = (key: number, fields: Partial<Editable>) =>
    setItems((all) => all.map((i) => (i.key === key ? ({ ...i, ...fields } as Editable) : i)));
  const chosen = items.find((i) => i.key === selected);

  function add(item: Editable) {
    setItems((all) => [...all, item]);
    setSelected(item.key);
  }

  /** A new item near the top left, each a little further so they do not hide each other. */
  function spot(kind: ItemKind) {
    const size = SIZES[kind];
    const step = items.length * 20;
    return {
      ...size,
      x: clamp(snap(20 + step), 0, Math.max(0, canvas.width - size.width)),
      y: clamp(snap(20 + step), 0, Math.max(0, canvas.height - size.height)),
      rotation: 0,
      key: nextKey++,
    };
  }

  function addSeat() {
    const terminal = free.find((tm) => tm.id === Number(terminalId));
    if (terminal === undefined) return;
    add({ kind: 'seat', terminalId: terminal.id, terminalName: terminal.name, ...spot('seat') });
    setTerminalId('');
  }

  function addObject() {
    if (objectKind === 'label') add({ kind: 'label', label: labelText || '—', ...spot('label') });
    else add({ kind: objectKind, ...spot(objectKind) });
  }

  function moveTo(e: PointerEvent) {
    if (drag === null) return;
    const item = items.find((i) => i.key === drag.key);
    if (item === undefined) return;
    change(drag.key, {
      x: clamp(snap(drag.x + (e.clientX - drag.fromX) / scale), 0, canvas.width - item.width),
      y: clamp(snap(drag.y + (e.clientY - drag.fromY) / scale), 0, canvas.height - item.height),
    });
  }

  async function save() {
    try {
      if (
        canvas.name !== layout?.name ||
        canvas.width !== layout.width ||
        canvas.height !== layout.height
      )
        await api.call('patch', '/api/v1/seat-layouts/{id}', { path: { id }, body: canvas });
      const saved = await api.call('put', '/api/v1/seat-layouts/{id}/items', {
        path: { id },
        body: { items: items.map(wire) },
      });
      setItems(saved.items.map(editable));
      setIssues(new Set());
      setSelected(null);
      toast.done(t('saved'));
    } catch (err) {
      if (err instanceof ApiError && Array.isArray(err.details))
        setIssues(
          new Set(
            (err.details as { index?: unknown }[]).flatMap((d) =>
              typeof d.index === 'number' ? [items[d.index]?.key ?? -1] : [],
            ),
          ),
        );
      toast.problem(problemOf(err));
    }
  }

  async function remove() {
    try {
      await api.call('delete', '/api/v1/seat-layouts/{id}', { path: { id } });
      navigate('/supervisor/seat-layouts');
    } catch (err) {
      toast.problem(problemOf(err));
    }
  }

  const name = (i: Editable) =>
    i.kind === 'seat'
      ? (i.terminalName ?? `#${i.terminalId}`)
      : i.kind === 'label'
        ? `${w('kind_label')}: ${i.label}`
        : w(`kind_${i.kind}` as keyof FloorWords);

  const entry = (i: Editable) => (
    <li key={i.key} class={i.key === selected ? 'chosen' : ''}>
      <button type="button" class="link" onClick={() => setSelected(i.key)}>
        {name(i)}
      </button>{' '}
      <span class="notice">
        ({i.x}, {i.y})
      </span>
    </li>
  );

  return (
    <section class="screen floor-editor" data-testid="seat-layout-editor">
      <div class="toolbar">
        <h2>{layout.name}</h2>
        <a href="#/supervisor/seat-layouts">{w('back')}</a>
        <a href={`#/supervisor/seat-layouts/${id}`}>{w('view')}</a>
      </div>
      <div class="toolbar">
        <label>
          {w('name')}{' '}
          <input
            name="layoutName"
            maxLength={64}
            value={canvas.name}
            onInput={(e) => setCanvas({ ...canvas, name: e.currentTarget.value })}
          />
        </label>
        <NumberField
          label={w('width')}
          name="layoutWidth"
          value={canvas.width}
          min={1}
          max={10000}
          onValue={(width) => setCanvas({ ...canvas, width })}
        />
        <NumberField
          label={w('height')}
          name="layoutHeight"
          value={canvas.height}
          min={1}
          max={10000}
          onValue={(height) => setCanvas({ ...canvas, height })}
        />
        <button type="button" class="primary" data-testid="save-layout" onClick={() => void save()}>
          {w('save')}
        </button>
        {can('seat_layouts.delete') && (
          <button type="button" class="danger" onClick={() => setConfirming(true)}>
            {w('deleteLayout')}
          </button>
        )}
      </div>
      {confirming && (
        <ConfirmDelete
          count={1}
          onDelete={() => void remove()}
          onCancel={() => setConfirming(false)}
        />
      )}
      <div class="editor-tools">
        <fieldset>
          <legend>{w('addSeat')}</legend>
          <select
            name="terminal"
            value={terminalId}
            onChange={(e) => setTerminalId(e.currentTarget.value)}
          >
            <option value="">{w('chooseTerminal')}</option>
            {free.map((tm) => (
              <option key={tm.id} value={tm.id}>
                {tm.name} ({tm.sipUser})
              </option>
            ))}
          </select>{' '}
          <button
            type="button"
            data-testid="add-seat"
            disabled={terminalId === ''}
            onClick={addSeat}
          >
            {w('addSeat')}
          </button>
        </fieldset>
        <fieldset>
          <legend>{w('addObject')}</legend>
          <select
            name="objectKind"
            value={objectKind}
            onChange={(e) => setObjectKind(e.currentTarget.value as typeof objectKind)}
          >
            {OBJECT_KINDS.map((k) => (
              <option key={k} value={k}>
                {w(`kind_${k}`)}
              </option>
            ))}
          </select>{' '}
          {objectKind === 'label' && (
            <input
              name="labelText"
              placeholder={w('labelText')}
              maxLength={64}
              value={labelText}
              onInput={(e) => setLabelText(e.currentTarget.value)}
            />
          )}
          <button type="button" data-testid="add-object" onClick={addObject}>
            {w('addObject')}
          </button>
        </fieldset>
        {chosen !== undefined && (
          <fieldset data-testid="chosen-item">
            <legend>{name(chosen)}</legend>
            <NumberField
              label={w('width')}
              name="itemWidth"
              value={chosen.width}
              min={1}
              max={canvas.width}
              onValue={(width) => change(chosen.key, { width })}
            />
            <NumberField
              label={w('height')}
              name="itemHeight"
              value={chosen.height}
              min={1}
              max={canvas.height}
              onValue={(height) => change(chosen.key, { height })}
            />
            <NumberField
              label={w('rotation')}
              name="itemRotation"
              value={chosen.rotation ?? 0}
              min={0}
              max={359}
              onValue={(rotation) => change(chosen.key, { rotation })}
            />
            <button
              type="button"
              class="danger"
              onClick={() => {
                setItems((all) => all.filter((i) => i.key !== chosen.key));
                setSelected(null);
              }}
            >
              {w('remove')}
            </button>
          </fieldset>
        )}
      </div>
      <div class="plan-frame" ref={frame}>
        <p class="notice">{w('dragHint')}</p>
        <Plan width={canvas.width} height={canvas.height} scale={scale} testid="seat-plan-editor">
          {items.map((i) => (
            <div
              key={i.key}
              class={[
                'plan-item',
                i.kind === 'seat' ? 'seat' : `object kind-${i.kind}`,
                i.key === selected ? 'chosen' : '',
                issues.has(i.key) ? 'issue' : '',
              ].join(' ')}
              data-key={i.key}
              data-kind={i.kind}
              data-terminal={i.kind === 'seat' ? i.terminalId : undefined}
              style={{
                ...placeStyle({ ...i, rotation: i.rotation ?? 0 }, scale),
                cursor: 'move',
                touchAction: 'none',
              }}
              onPointerDown={(e) => {
                e.preventDefault();
                e.currentTarget.setPointerCapture(e.pointerId);
                setSelected(i.key);
                setDrag({ key: i.key, fromX: e.clientX, fromY: e.clientY, x: i.x, y: i.y });
              }}
              onPointerMove={moveTo}
              onPointerUp={() => setDrag(null)}
              onPointerCancel={() => setDrag(null)}
            >
              {i.kind === 'seat' ? name(i) : i.kind === 'label' ? i.label : ''}
            </div>
          ))}
        </Plan>
      </div>
      <div class="editor-items">
        <h3>{w('seats')}</h3>
        <ul class="item-list" data-testid="seat-items">
          {items.filter((i) => i.kind === 'seat').map(entry)}
        </ul>
        <h3>{w('objectsSection')}</h3>
        <ul class="item-list" data-testid="object-items">
          {items.filter((i) => i.kind !== 'seat').map(entry)}
        </ul>
      </div>
    </section>
  );
}

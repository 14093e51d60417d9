/** A tag as it shows on a record (§10-10): its name in its font colour on its background colour. */
export function TagChip(props: {
  tag: { id: number; name: string; fontColor: string; backgroundColor: string };
  onRemove?: () => void;
}) {
  const { tag } = props;
  return (
    <span
      class="tag-chip"
      data-tag={tag.id}
      style={{ color: tag.fontColor, background: tag.backgroundColor }}
    >
      {tag.name}
      {props.onRemove !== undefined && (
        <button type="button" aria-label={`× ${tag.name}`} onClick={props.onRemove}>
          ×
        </button>
      )}
    </span>
  );
}

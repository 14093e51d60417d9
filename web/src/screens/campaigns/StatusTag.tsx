/** The campaign's colours as the tag at the top of its agents' screens shows them (色, §10-8). */
export function ColourTag(props: { name: string; textColor: string; backgroundColor: string }) {
  return (
    <span
      class="campaign-colour-tag"
      data-testid="colour-tag"
      style={{ color: props.textColor, backgroundColor: props.backgroundColor }}
    >
      {props.name}
    </span>
  );
}

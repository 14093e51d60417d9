/**
 * The input of one business-format field on the customer form (§11-8 属性): a text box of the
 * type's kind, a text area, a list, radio buttons or check buttons from its options. Checkbox
 * values are the ticked options; every other value is text.
 */
import type { FormatField } from './FormatFields';

export type FieldValue = string | string[];

export function CustomerFieldInput(props: {
  field: FormatField;
  value: FieldValue | undefined;
  onChange: (v: FieldValue) => void;
  disabled?: boolean;
}) {
  const { field, value, onChange } = props;
  const name = `field.${field.id}`;
  const text = typeof value === 'string' ? value : '';
  switch (field.type) {
    case 'long_text':
      return (
        <textarea
          name={name}
          value={text}
          disabled={props.disabled}
          onInput={(e) => onChange(e.currentTarget.value)}
        />
      );
    case 'list':
      return (
        <select
          name={name}
          value={text}
          disabled={props.disabled}
          onChange={(e) => onChange(e.currentTarget.value)}
        >
          <option value="" />
          {field.options.map((o) => (
            <option key={o} value={o}>
              {o}
            </option>
          ))}
        </select>
      );
    case 'radio':
      return (
        <span class="choices" data-field={field.id}>
          {field.options.map((o) => (
            <label key={o}>
              <input
                type="radio"
                name={name}
                value={o}
                checked={text === o}
                disabled={props.disabled}
                onChange={() => onChange(o)}
              />
              {o}
            </label>
          ))}
        </span>
      );
    case 'checkbox': {
      const ticked = new Set(Array.isArray(value) ? value : []);
      return (
        <span class="choices" data-field={field.id}>
          {field.options.map((o) => (
            <label key={o}>
              <input
                type="checkbox"
                name={`${name}.${o}`}
                checked={ticked.has(o)}
                disabled={props.disabled}
                onChange={(e) => {
                  const next = new Set(ticked);
                  if (e.currentTarget.checked) next.add(o);
                  else next.delete(o);
                  // In the options' order, as the server keeps them.
                  onChange(field.options.filter((x) => next.has(x)));
                }}
              />
              {o}
            </label>
          ))}
        </span>
      );
    }
    case 'date':
      return (
        <input
          name={name}
          type="date"
          value={text}
          disabled={props.disabled}
          onInput={(e) => onChange(e.currentTarget.value)}
        />
      );
    default: {
      const shared = {
        name,
        value: text,
        disabled: props.disabled,
        onInput: (e: { currentTarget: HTMLInputElement }) => onChange(e.currentTarget.value),
      };
      if (field.type === 'email') return <input type="email" {...shared} />;
      if (field.type === 'phone') return <input type="tel" {...shared} />;
      const numeric = field.type === 'number' || field.type === 'postal_code';
      return <input type="text" {...(numeric && { inputMode: 'numeric' })} {...shared} />;
    }
  }
}

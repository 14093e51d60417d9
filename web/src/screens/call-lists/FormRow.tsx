/**
 * One row of a `.resource-form` grid whose control is more than one element (radios, a hint under
 * an input): the label in the first column, the controls together in the second.
 */
import type { ComponentChildren } from 'preact';

export function FormRow(props: {
  label: string;
  children: ComponentChildren;
  role?: 'radiogroup';
  setting?: string;
}) {
  return (
    <>
      <span class="field-label">{props.label}</span>
      <div class="field-control" role={props.role} data-setting={props.setting}>
        {props.children}
      </div>
    </>
  );
}

/** A segmented control built from native radio buttons, so arrow keys and screen readers work as usual. */
export function Segmented<T extends string>({ name, legend, options, value, onChange }: {
  name: string;
  legend: string;
  options: readonly { value: T; label: string }[];
  value: T;
  onChange: (value: T) => void;
}) {
  return (
    <fieldset class="hw-seg">
      <legend class="hw-sr-only">{legend}</legend>
      {options.map((option) => (
        <label key={option.value} class="hw-seg-option">
          <input type="radio" name={name} value={option.value} checked={option.value === value} onChange={() => onChange(option.value)} />
          <span>{option.label}</span>
        </label>
      ))}
    </fieldset>
  );
}

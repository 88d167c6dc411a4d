/** A collapsible, pretty-printed JSON value (tool inputs and outputs, product specs). */
export function JsonView({ label, value, open = false }: { label: string; value: unknown; open?: boolean }) {
  const text = value === undefined ? 'undefined' : JSON.stringify(value, null, 2);
  const size = text.length > 1024 ? ` · ${Math.round(text.length / 1024)} KB` : '';
  return (
    <details className="json" open={open}>
      <summary>
        {label}
        <span className="json-size">{size}</span>
      </summary>
      <pre>{text}</pre>
    </details>
  );
}

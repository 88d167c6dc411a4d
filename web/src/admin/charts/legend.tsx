/** Colour keys for a chart's series. */
export function Legend({ items }: { items: { name: string; tone: string }[] }) {
  return (
    <ul className="legend">
      {items.map((item) => (
        <li key={item.name}>
          <svg width="10" height="10" aria-hidden="true">
            <rect className={item.tone} width="10" height="10" rx="2" />
          </svg>
          {item.name}
        </li>
      ))}
    </ul>
  );
}

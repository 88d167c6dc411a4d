/** A thumbs up or down (a positive or negative rating), or a dash when unrated. */
export function Rating({ rating }: { rating: number | null }) {
  if (rating === null || rating === 0) return <span className="muted">—</span>;
  return rating > 0 ? (
    <span className="rating rating-up" title="Thumbs up">
      ▲ up
    </span>
  ) : (
    <span className="rating rating-down" title="Thumbs down">
      ▼ down
    </span>
  );
}

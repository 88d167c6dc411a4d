import { useEffect, useState } from 'react';

/** A search box that reports its text after the user pauses typing. */
export function SearchField({
  placeholder,
  onSearch,
  testId,
}: {
  placeholder: string;
  onSearch: (text: string) => void;
  testId?: string;
}) {
  const [text, setText] = useState('');
  useEffect(() => {
    const timer = window.setTimeout(() => onSearch(text.trim()), 250);
    return () => window.clearTimeout(timer);
    // onSearch is a state setter from the caller; only the text matters.
  }, [text]);
  return (
    <input
      type="search"
      className="input search-field"
      placeholder={placeholder}
      value={text}
      onChange={(event) => setText(event.target.value)}
      aria-label={placeholder}
      data-testid={testId}
    />
  );
}

import { type AnchorHTMLAttributes, type MouseEvent, useSyncExternalStore } from 'react';

// The console lives under /admin with history routing; the server answers every /admin/* path with the app.
const base = '/admin';
const changeEvent = 'parley:navigate';

function subscribe(onChange: () => void): () => void {
  window.addEventListener('popstate', onChange);
  window.addEventListener(changeEvent, onChange);
  return () => {
    window.removeEventListener('popstate', onChange);
    window.removeEventListener(changeEvent, onChange);
  };
}

const currentPath = () => window.location.pathname;

/** The console path as segments after /admin, e.g. `/admin/conversations/abc` → `['conversations', 'abc']`. */
export function useRoute(): string[] {
  const path = useSyncExternalStore(subscribe, currentPath);
  const rest = path.startsWith(base) ? path.slice(base.length) : '';
  return rest.split('/').filter(Boolean).map(decodeURIComponent);
}

/** The full URL of a console path, e.g. `href('conversations', id)`. */
export function href(...segments: string[]): string {
  return [base, ...segments.map(encodeURIComponent)].join('/');
}

export function navigate(to: string, replace = false): void {
  if (to === window.location.pathname) return;
  if (replace) window.history.replaceState(null, '', to);
  else window.history.pushState(null, '', to);
  window.dispatchEvent(new Event(changeEvent));
  window.scrollTo(0, 0);
}

/** An anchor that navigates inside the console without reloading; modified clicks still open new tabs. */
export function Link({ to, onClick, ...rest }: { to: string } & AnchorHTMLAttributes<HTMLAnchorElement>) {
  const follow = (event: MouseEvent<HTMLAnchorElement>) => {
    onClick?.(event);
    if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey)
      return;
    event.preventDefault();
    navigate(to);
  };
  return <a href={to} onClick={follow} {...rest} />;
}

/** Escapes text for HTML element content and attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);
}

/** A small self-contained page (no external assets), used for server-rendered views. */
export function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>
  body { font: 16px/1.55 system-ui, sans-serif; color: #1f2430; max-width: 860px; margin: 2rem auto; padding: 0 1rem; }
  h1 { font-size: 1.5rem; margin-bottom: .25rem; } h2 { font-size: 1.15rem; margin-top: 2rem; }
  .meta { color: #5b6170; font-size: .9rem; } code, pre { background: #f3f4f7; border-radius: 4px; }
  pre { padding: .75rem; overflow-x: auto; white-space: pre-wrap; }
  mark { background: #fff2b3; padding: .1rem 0; } .passage { border-left: 4px solid #3d63dd; padding: .25rem 1rem; background: #f6f8ff; }
  table { border-collapse: collapse; } td, th { border: 1px solid #dde; padding: .3rem .5rem; text-align: left; vertical-align: top; }
  .method { font-weight: 600; text-transform: uppercase; font-size: .8rem; padding: .1rem .35rem; border-radius: 3px; background: #e7ecff; }
</style></head><body>${body}</body></html>`;
}

import { type FormEvent, useState } from 'react';
import { adminApi } from '../api.ts';
import { formatDateTime } from '../components/format.ts';
import { ErrorNote, Loading } from '../components/status.tsx';
import { href, Link } from '../router.tsx';
import type { ProductInput, ProductView } from '../../../../src/contracts/products.ts';
import { useAction, useLoad } from '../use-api.ts';

interface Draft {
  name: string;
  description: string;
  price: string;
  specs: string;
}

const draftOf = (p: ProductView): Draft => ({
  name: p.name,
  description: p.description,
  price: p.price === null ? '' : String(p.price),
  specs: JSON.stringify(p.specs, null, 2),
});

/** The input to send, or what is wrong with the draft. */
function inputOf(draft: Draft): ProductInput | string {
  if (!draft.name.trim()) return 'The name is required.';
  const price = draft.price.trim() === '' ? null : Number(draft.price);
  if (price !== null && (!Number.isFinite(price) || price < 0))
    return 'The price must be a number of 0 or more.';
  let specs: unknown;
  try {
    specs = draft.specs.trim() ? JSON.parse(draft.specs) : {};
  } catch {
    return 'The specifications are not valid JSON.';
  }
  if (typeof specs !== 'object' || specs === null || Array.isArray(specs)) {
    return 'The specifications must be a JSON object, e.g. {"battery": "5000 mAh"}.';
  }
  return {
    name: draft.name.trim(),
    description: draft.description,
    price,
    specs: specs as Record<string, unknown>,
  };
}

function ProductForm({ product, onSaved }: { product: ProductView; onSaved: (p: ProductView) => void }) {
  const [draft, setDraft] = useState(() => draftOf(product));
  const [problem, setProblem] = useState<string>();
  const [saved, setSaved] = useState(false);
  const save = useAction((input: ProductInput) => adminApi.products.save(product.sku, input));

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setSaved(false);
    const input = inputOf(draft);
    if (typeof input === 'string') {
      setProblem(input);
      return;
    }
    setProblem(undefined);
    const next = await save.run(input);
    if (next) {
      setDraft(draftOf(next));
      setSaved(true);
      onSaved(next);
    }
  };

  const edit = (patch: Partial<Draft>) => {
    setSaved(false);
    setDraft({ ...draft, ...patch });
  };

  return (
    <form className="card form" onSubmit={submit} data-testid="product-form">
      <label className="field">
        <span>Name</span>
        <input
          className="input"
          value={draft.name}
          onChange={(e) => edit({ name: e.target.value })}
          data-testid="product-name"
        />
      </label>
      <label className="field field-narrow">
        <span>Price</span>
        <input
          className="input"
          inputMode="decimal"
          value={draft.price}
          placeholder="none"
          onChange={(e) => edit({ price: e.target.value })}
          data-testid="product-price"
        />
      </label>
      <label className="field">
        <span>Description</span>
        <textarea
          className="input"
          rows={5}
          value={draft.description}
          onChange={(e) => edit({ description: e.target.value })}
          data-testid="product-description"
        />
      </label>
      <label className="field">
        <span>Specifications (JSON object)</span>
        <textarea
          className="input mono"
          rows={10}
          value={draft.specs}
          onChange={(e) => edit({ specs: e.target.value })}
          spellCheck={false}
          data-testid="product-specs"
        />
      </label>
      {problem && (
        <p className="status status-error" role="alert">
          {problem}
        </p>
      )}
      <ErrorNote error={save.error} />
      <div className="form-actions">
        <button
          type="submit"
          className="button button-primary"
          disabled={save.busy}
          data-testid="product-save"
        >
          {save.busy ? 'Saving…' : 'Save product'}
        </button>
        {saved && (
          <span className="status-inline-ok" data-testid="product-saved">
            Saved.
          </span>
        )}
      </div>
    </form>
  );
}

export function ProductPage({ sku }: { sku: string }) {
  const loaded = useLoad(() => adminApi.products.show(sku), [sku]);
  const back = (
    <Link to={href('products')} className="back">
      ← Products
    </Link>
  );
  if (loaded.loading && !loaded.data) return <Loading what="Loading the product" />;
  if (!loaded.data) {
    return (
      <>
        {back}
        <ErrorNote error={loaded.error} onRetry={loaded.reload} />
      </>
    );
  }
  const product = loaded.data;
  return (
    <>
      {back}
      <header className="page-header">
        <div>
          <h1>{product.name}</h1>
          <p className="muted">
            <span className="mono">{product.sku}</span> · updated {formatDateTime(product.updatedAt)}
          </p>
        </div>
      </header>
      <ProductForm product={product} onSaved={loaded.setData} />
    </>
  );
}

import { type FormEvent, useState } from 'react';
import { adminApi } from '../api.ts';
import { formatDateTime, formatPrice } from '../components/format.ts';
import { SearchField } from '../components/search-field.tsx';
import { Empty, ErrorNote, Loading } from '../components/status.tsx';
import { href, Link, navigate } from '../router.tsx';
import { useAction, useLoad } from '../use-api.ts';

function NewProductForm({ onCancel }: { onCancel: () => void }) {
  const [sku, setSku] = useState('');
  const [name, setName] = useState('');
  const create = useAction(() =>
    adminApi.products.save(sku.trim(), { name: name.trim(), description: '', price: null, specs: {} }),
  );
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const product = await create.run();
    if (product) navigate(href('products', product.sku));
  };
  return (
    <form className="card inline-form" onSubmit={submit} data-testid="new-product-form">
      <label className="field-inline">
        SKU
        <input
          className="input"
          value={sku}
          onChange={(e) => setSku(e.target.value)}
          data-testid="new-product-sku"
        />
      </label>
      <label className="field-inline grow">
        Name
        <input
          className="input"
          value={name}
          onChange={(e) => setName(e.target.value)}
          data-testid="new-product-name"
        />
      </label>
      <button
        type="submit"
        className="button button-primary"
        disabled={!sku.trim() || !name.trim() || create.busy}
        data-testid="new-product-submit"
      >
        Create
      </button>
      <button type="button" className="button button-quiet" onClick={onCancel}>
        Cancel
      </button>
      <ErrorNote error={create.error} />
    </form>
  );
}

export function ProductsPage() {
  const [q, setQ] = useState('');
  const [adding, setAdding] = useState(false);
  const loaded = useLoad(() => adminApi.products.list(q), [q]);
  const rows = loaded.data?.products ?? [];

  return (
    <>
      <header className="page-header">
        <div>
          <h1>Products</h1>
          <p className="muted">The catalogue the agent quotes specifications and prices from.</p>
        </div>
        {!adding && (
          <button type="button" className="button" onClick={() => setAdding(true)} data-testid="new-product">
            New product
          </button>
        )}
      </header>
      {adding && <NewProductForm onCancel={() => setAdding(false)} />}
      <section className="card">
        <div className="card-header">
          <SearchField placeholder="Search by SKU or name" onSearch={setQ} testId="products-search" />
        </div>
        <ErrorNote error={loaded.error} onRetry={loaded.reload} />
        {loaded.loading && !loaded.data ? (
          <Loading what="Loading products" />
        ) : loaded.data && rows.length === 0 ? (
          <Empty title={q ? `No product matches “${q}”.` : 'No products yet.'}>
            {!q && (
              <>
                Import them with <code>parley import products file.jsonl</code>, or add one here.
              </>
            )}
          </Empty>
        ) : (
          loaded.data && (
            <div className="table-wrap">
              <table className="table" data-testid="products-table">
                <thead>
                  <tr>
                    <th>SKU</th>
                    <th>Name</th>
                    <th>Description</th>
                    <th className="num">Price</th>
                    <th>Updated</th>
                  </tr>
                </thead>
                <tbody>
                  {rows.map((p) => (
                    <tr key={p.id} data-testid="product-row">
                      <td className="mono nowrap">{p.sku}</td>
                      <td>
                        <Link to={href('products', p.sku)}>{p.name}</Link>
                      </td>
                      <td className="cell-clip">{p.description}</td>
                      <td className="num">{formatPrice(p.price)}</td>
                      <td className="nowrap">{formatDateTime(p.updatedAt)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )
        )}
      </section>
    </>
  );
}

import { useState } from 'react';
import { adminApi } from '../api.ts';
import { formatDate } from '../components/format.ts';
import { SearchField } from '../components/search-field.tsx';
import { Empty, ErrorNote, Loading } from '../components/status.tsx';
import { href, Link } from '../router.tsx';
import { useLoad } from '../use-api.ts';

export function CustomersPage() {
  const [q, setQ] = useState('');
  const loaded = useLoad(() => adminApi.customers.list(q), [q]);
  const rows = loaded.data?.customers ?? [];

  return (
    <>
      <header className="page-header">
        <div>
          <h1>Customers</h1>
          <p className="muted">The people the agent can look up orders, products and warranties for.</p>
        </div>
      </header>
      <section className="card">
        <div className="card-header">
          <SearchField
            placeholder="Search by name, email or customer id"
            onSearch={setQ}
            testId="customers-search"
          />
        </div>
        <ErrorNote error={loaded.error} onRetry={loaded.reload} />
        {loaded.loading && !loaded.data ? (
          <Loading what="Loading customers" />
        ) : loaded.data && rows.length === 0 ? (
          <Empty title={q ? `No customer matches “${q}”.` : 'No customers yet.'}>
            {!q && (
              <>
                Import them with <code>parley import customers file.jsonl</code>.
              </>
            )}
          </Empty>
        ) : (
          loaded.data && (
            <div className="table-wrap">
              <table className="table" data-testid="customers-table">
                <thead>
                  <tr>
                    <th>Name</th>
                    <th>Email</th>
                    <th>Customer id</th>
                    <th>Plan</th>
                    <th>Since</th>
                  </tr>
                </thead>
                <tbody>
                  {rows.map((c) => (
                    <tr key={c.id} data-testid="customer-row">
                      <td>
                        <Link to={href('customers', c.id)}>{c.name ?? c.externalId}</Link>
                      </td>
                      <td>{c.email ?? <span className="muted">—</span>}</td>
                      <td className="mono">{c.externalId}</td>
                      <td>{c.plan ?? <span className="muted">—</span>}</td>
                      <td className="nowrap">{formatDate(c.createdAt)}</td>
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

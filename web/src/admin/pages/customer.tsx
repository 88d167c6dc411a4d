import type { ReactNode } from 'react';
import { adminApi } from '../api.ts';
import { formatDate, formatDateTime, formatPrice } from '../components/format.ts';
import { Badge, ErrorNote, Loading, StatusBadge } from '../components/status.tsx';
import { href, Link } from '../router.tsx';
import type { CustomerDetail } from '../../../../src/contracts/customers.ts';
import { useLoad } from '../use-api.ts';

function Section({ title, count, children }: { title: string; count: number; children: ReactNode }) {
  return (
    <section className="card">
      <h2>
        {title} <span className="count">{count}</span>
      </h2>
      {count === 0 ? <p className="muted">None.</p> : children}
    </section>
  );
}

function Orders({ orders }: { orders: CustomerDetail['orders'] }) {
  return (
    <div className="table-wrap">
      <table className="table" data-testid="customer-orders">
        <thead>
          <tr>
            <th>Order</th>
            <th>Status</th>
            <th>Placed</th>
            <th>Items</th>
            <th className="num">Total</th>
            <th>Tracking</th>
          </tr>
        </thead>
        <tbody>
          {orders.map((o) => (
            <tr key={o.id}>
              <td className="mono">{o.id}</td>
              <td>
                <StatusBadge status={o.status} />
              </td>
              <td className="nowrap">{formatDate(o.placedAt)}</td>
              <td>
                {o.items.map((i) => (
                  <div key={i.sku}>
                    {i.quantity} × <Link to={href('products', i.sku)}>{i.name}</Link>
                  </div>
                ))}
              </td>
              <td className="num">{formatPrice(o.total)}</td>
              <td className="mono">{o.tracking ?? <span className="muted">—</span>}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function OwnedProducts({ products }: { products: CustomerDetail['products'] }) {
  return (
    <div className="table-wrap">
      <table className="table" data-testid="customer-products">
        <thead>
          <tr>
            <th>Product</th>
            <th>Serial</th>
            <th>Purchased</th>
            <th>Order</th>
            <th>Warranty</th>
          </tr>
        </thead>
        <tbody>
          {products.map((p, i) => (
            <tr key={`${p.sku}-${p.serialNumber ?? i}`}>
              <td>
                <Link to={href('products', p.sku)}>{p.name}</Link> <span className="muted mono">{p.sku}</span>
              </td>
              <td className="mono">{p.serialNumber ?? <span className="muted">—</span>}</td>
              <td className="nowrap">{formatDate(p.purchasedAt)}</td>
              <td className="mono">{p.orderId ?? <span className="muted">—</span>}</td>
              <td className="nowrap">
                {p.warrantyEndsAt ? (
                  <>
                    <Badge tone={p.underWarranty ? 'good' : 'neutral'}>
                      {p.underWarranty ? 'under warranty' : 'expired'}
                    </Badge>{' '}
                    <span className="muted">until {formatDate(p.warrantyEndsAt)}</span>
                  </>
                ) : (
                  <span className="muted">none</span>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export function CustomerPage({ customerId }: { customerId: string }) {
  const loaded = useLoad(() => adminApi.customers.show(customerId), [customerId]);
  const back = (
    <Link to={href('customers')} className="back">
      ← Customers
    </Link>
  );
  if (loaded.loading && !loaded.data) return <Loading what="Loading the customer" />;
  if (!loaded.data) {
    return (
      <>
        {back}
        <ErrorNote error={loaded.error} onRetry={loaded.reload} />
      </>
    );
  }
  const { customer, orders, products, preferences, conversations } = loaded.data;
  const preferenceEntries = Object.entries(preferences);

  return (
    <>
      {back}
      <header className="page-header">
        <div>
          <h1>{customer.name ?? customer.externalId}</h1>
          <p className="muted">
            <span className="mono">{customer.externalId}</span>
            {customer.email && ` · ${customer.email}`}
            {customer.plan && ` · ${customer.plan} plan`} · since {formatDate(customer.createdAt)}
          </p>
        </div>
      </header>
      <Section title="Orders" count={orders.length}>
        <Orders orders={orders} />
      </Section>
      <Section title="Products owned" count={products.length}>
        <OwnedProducts products={products} />
      </Section>
      <div className="grid-2">
        <Section title="Preferences" count={preferenceEntries.length}>
          <dl className="pairs pairs-keys" data-testid="customer-preferences">
            {preferenceEntries.map(([key, value]) => (
              <div key={key}>
                <dt>{key.replace(/_/g, ' ')}</dt>
                <dd>{value}</dd>
              </div>
            ))}
          </dl>
        </Section>
        <Section title="Conversations" count={conversations.length}>
          <ul className="link-list" data-testid="customer-conversations">
            {conversations.map((c) => (
              <li key={c.id}>
                <Link to={href('conversations', c.id)}>{c.title ?? 'Untitled conversation'}</Link>{' '}
                <StatusBadge status={c.status} /> <span className="muted">{formatDateTime(c.updatedAt)}</span>
              </li>
            ))}
          </ul>
        </Section>
      </div>
    </>
  );
}

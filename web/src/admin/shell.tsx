import { type ReactNode, useEffect } from 'react';
import { AnalyticsPage } from './pages/analytics.tsx';
import { ConversationsPage } from './pages/conversations.tsx';
import { CustomerPage } from './pages/customer.tsx';
import { CustomersPage } from './pages/customers.tsx';
import { DocumentPage } from './pages/document.tsx';
import { KnowledgePage } from './pages/knowledge.tsx';
import { ProductPage } from './pages/product.tsx';
import { ProductsPage } from './pages/products.tsx';
import { QaPage } from './pages/qa.tsx';
import { FinetunePage } from './pages/finetune.tsx';
import { InboxPage } from './pages/inbox.tsx';
import { SettingsPage } from './pages/settings.tsx';
import { SolutionsPage } from './pages/solutions.tsx';
import { SynonymsPage } from './pages/synonyms.tsx';
import { TestsPage } from './pages/tests.tsx';
import { TranscriptPage } from './pages/transcript.tsx';
import { Empty } from './components/status.tsx';
import { href, Link, useRoute } from './router.tsx';
import type { StaffView } from '../../../src/contracts/session.ts';

const sections = [
  { id: 'analytics', label: 'Analytics' },
  { id: 'inbox', label: 'Inbox' },
  { id: 'conversations', label: 'Conversations' },
  { id: 'solutions', label: 'Solutions' },
  { id: 'qa', label: 'Q&A pairs' },
  { id: 'finetune', label: 'Fine-tuning' },
  { id: 'tests', label: 'Tests' },
  { id: 'knowledge', label: 'Knowledge' },
  { id: 'synonyms', label: 'Synonyms' },
  { id: 'customers', label: 'Customers' },
  { id: 'products', label: 'Products' },
  { id: 'settings', label: 'Settings' },
] as const;

function page(route: string[]): ReactNode {
  const [section = 'analytics', item] = route;
  switch (section) {
    case 'analytics':
      return <AnalyticsPage />;
    case 'inbox':
      return <InboxPage />;
    case 'conversations':
      return item ? <TranscriptPage key={item} conversationId={item} /> : <ConversationsPage />;
    case 'solutions':
      return <SolutionsPage />;
    case 'qa':
      return <QaPage />;
    case 'finetune':
      return <FinetunePage />;
    case 'tests':
      return <TestsPage key={route.join('/')} path={route.slice(1)} />;
    case 'knowledge':
      return item ? <DocumentPage key={item} documentId={item} /> : <KnowledgePage />;
    case 'customers':
      return item ? <CustomerPage key={item} customerId={item} /> : <CustomersPage />;
    case 'products':
      return item ? <ProductPage key={item} sku={item} /> : <ProductsPage />;
    case 'synonyms':
      return <SynonymsPage />;
    case 'settings':
      return <SettingsPage />;
    default:
      return (
        <Empty title="There is no such page.">
          <Link to={href('analytics')}>Go to the dashboard</Link>
        </Empty>
      );
  }
}

/** The signed-in layout: navigation on the left, the current page on the right. */
export function Shell({
  staff,
  signingOut,
  onSignOut,
}: {
  staff: StaffView;
  signingOut: boolean;
  onSignOut: () => void;
}) {
  const route = useRoute();
  const current = route[0] ?? 'analytics';
  const label = sections.find((s) => s.id === current)?.label;

  useEffect(() => {
    document.title = label ? `${label} · Parley console` : 'Parley console';
  }, [label]);
  return (
    <div className="shell">
      <nav className="sidebar" aria-label="Console">
        <div className="brand">
          <span className="brand-mark" aria-hidden="true">
            P
          </span>
          Parley
        </div>
        <ul className="nav">
          {sections.map((s) => (
            <li key={s.id}>
              <Link
                to={href(s.id)}
                className={current === s.id ? 'nav-link active' : 'nav-link'}
                aria-current={current === s.id ? 'page' : undefined}
                data-testid={`nav-${s.id}`}
              >
                {s.label}
              </Link>
            </li>
          ))}
        </ul>
        <div className="sidebar-foot">
          <span className="muted" data-testid="staff-name">
            Signed in as {staff.name}
          </span>
          <button
            type="button"
            className="button button-small"
            onClick={onSignOut}
            disabled={signingOut}
            data-testid="sign-out"
          >
            Sign out
          </button>
        </div>
      </nav>
      <main className="content">{page(route)}</main>
    </div>
  );
}

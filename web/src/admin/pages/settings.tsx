import { type FormEvent, useState } from 'react';
import { adminApi } from '../api.ts';
import { Badge, ErrorNote, Loading } from '../components/status.tsx';
import type { CompanyProfile, Settings } from '../../../../src/contracts/settings.ts';
import { useAction, useLoad } from '../use-api.ts';
import { BusinessHoursFields, type HoursDraft, hoursDraftOf, hoursOf } from './business-hours.tsx';
import { StaffTokens } from './staff-tokens.tsx';

type EditableKey = 'name' | 'tagline' | 'tone' | 'supportHours' | 'supportEmail' | 'humanHandoff';
type Draft = Record<EditableKey, string>;

const companyFields: { key: EditableKey; label: string; rows?: number; hint?: string }[] = [
  { key: 'name', label: 'Company name' },
  { key: 'tagline', label: 'Tagline', hint: 'One line on what the company does.' },
  { key: 'tone', label: 'Tone', rows: 4, hint: 'How the agent should sound, e.g. "warm, brief, no jargon".' },
  { key: 'supportHours', label: 'Support hours', rows: 2 },
  { key: 'supportEmail', label: 'Support email' },
  {
    key: 'humanHandoff',
    label: 'Human handoff',
    rows: 4,
    hint: 'What the agent tells customers when it escalates.',
  },
];

const draftOf = (company: CompanyProfile): Draft =>
  Object.fromEntries(
    companyFields.map(({ key }) => {
      const value = company[key];
      return [key, typeof value === 'string' ? value : ''];
    }),
  ) as Draft;

/**
 * The profile to send: the fields this form does not show are passed through untouched, and emptied optional
 * fields are left out rather than sent as "".
 */
function profileOf(company: CompanyProfile, draft: Draft, hours: HoursDraft): CompanyProfile | string {
  const out: CompanyProfile = { ...company, name: draft.name.trim() };
  const structured = hoursOf(hours);
  if ('error' in structured) return structured.error;
  if (structured.hours) out.businessHours = structured.hours;
  else delete out.businessHours;
  for (const { key } of companyFields) {
    const value = draft[key].trim();
    if (key === 'name') continue;
    if (value) out[key] = value;
    else delete out[key];
  }
  return out;
}

function CompanyForm({ company }: { company: CompanyProfile }) {
  const [saved, setSaved] = useState(company);
  const [draft, setDraft] = useState(() => draftOf(company));
  const [hours, setHours] = useState(() => hoursDraftOf(company.businessHours));
  const [hoursError, setHoursError] = useState<string>();
  const [justSaved, setJustSaved] = useState(false);
  const save = useAction((profile: CompanyProfile) => adminApi.settings.saveCompany(profile));
  const otherFields = Object.keys(saved).filter(
    (key) => key !== 'businessHours' && !companyFields.some((f) => f.key === key),
  );

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const profile = profileOf(saved, draft, hours);
    setHoursError(typeof profile === 'string' ? profile : undefined);
    if (typeof profile === 'string') return;
    const next = await save.run(profile);
    if (next) {
      setSaved(next);
      setDraft(draftOf(next));
      setHours(hoursDraftOf(next.businessHours));
      setJustSaved(true);
    }
  };

  return (
    <form className="card form" onSubmit={submit} data-testid="company-form">
      <h2>Company profile</h2>
      <p className="muted">
        The agent's instructions are built from these: who it works for and how it speaks.
      </p>
      {companyFields.map((field) => {
        const props = {
          className: 'input',
          value: draft[field.key],
          onChange: (event: { target: { value: string } }) => {
            setJustSaved(false);
            setDraft({ ...draft, [field.key]: event.target.value });
          },
          'data-testid': `company-${field.key}`,
        };
        return (
          <label className="field" key={field.key}>
            <span>{field.label}</span>
            {field.rows ? <textarea rows={field.rows} {...props} /> : <input {...props} />}
            {field.hint && <small className="muted">{field.hint}</small>}
          </label>
        );
      })}
      <BusinessHoursFields
        draft={hours}
        error={hoursError}
        onChange={(next) => {
          setJustSaved(false);
          setHours(next);
        }}
      />
      {otherFields.length > 0 && (
        <p className="muted" data-testid="company-other-fields">
          Also in the profile, not edited here: {otherFields.join(', ')}.
        </p>
      )}
      <ErrorNote error={save.error} />
      <div className="form-actions">
        <button
          type="submit"
          className="button button-primary"
          disabled={save.busy || !draft.name.trim()}
          data-testid="company-save"
        >
          {save.busy ? 'Saving…' : 'Save profile'}
        </button>
        {justSaved && (
          <span className="status-inline-ok" data-testid="company-saved">
            Saved. New conversations use it at once.
          </span>
        )}
      </div>
    </form>
  );
}

function Runtime({ runtime }: { runtime: Settings['runtime'] }) {
  return (
    <section className="card" data-testid="runtime">
      <h2>This server</h2>
      <p className="muted">Set by environment variables when the server starts; read-only here.</p>
      <dl className="pairs">
        <div>
          <dt>Answer model</dt>
          <dd>
            <span className="mono">{runtime.model}</span>{' '}
            {runtime.offline && (
              <Badge tone="warn">
                <span data-testid="offline-badge">offline</span>
              </Badge>
            )}
          </dd>
        </div>
        <div>
          <dt>Embedder</dt>
          <dd className="mono">{runtime.embedder}</dd>
        </div>
        <div>
          <dt>Index built with</dt>
          <dd className="mono">
            {runtime.embeddingSpace
              ? `${runtime.embeddingSpace.model} (${runtime.embeddingSpace.dimensions} dimensions)`
              : 'nothing indexed yet'}
          </dd>
        </div>
        <div>
          <dt>Database</dt>
          <dd className="mono">{runtime.database}</dd>
        </div>
        <div>
          <dt>Version</dt>
          <dd className="mono">{runtime.version}</dd>
        </div>
        <div>
          <dt>Widget origins</dt>
          <dd>
            {runtime.widgetOrigins.length ? (
              runtime.widgetOrigins.map((o) => (
                <div key={o} className="mono">
                  {o}
                </div>
              ))
            ) : (
              <span className="muted">
                none: the chat page works wherever it is opened, but no other site may embed the widget or
                call the chat API from its pages (set PARLEY_WIDGET_ORIGINS to the sites that embed it)
              </span>
            )}
          </dd>
        </div>
        <div>
          <dt>Identity verification</dt>
          <dd>
            {runtime.identityVerification ? <Badge tone="good">on</Badge> : <Badge tone="neutral">off</Badge>}
          </dd>
        </div>
      </dl>
      {runtime.offline && (
        <p className="muted">
          The offline model answers from the knowledge base without a language model. Set OPENAI_API_KEY for
          full answers.
        </p>
      )}
    </section>
  );
}

export function SettingsPage() {
  const loaded = useLoad(() => adminApi.settings.get(), []);
  return (
    <>
      <header className="page-header">
        <div>
          <h1>Settings</h1>
        </div>
      </header>
      <ErrorNote error={loaded.error} onRetry={loaded.reload} />
      {loaded.loading && !loaded.data && <Loading what="Loading settings" />}
      {loaded.data && (
        <div className="grid-2 grid-top">
          <CompanyForm company={loaded.data.company} />
          <Runtime runtime={loaded.data.runtime} />
        </div>
      )}
      <StaffTokens />
    </>
  );
}

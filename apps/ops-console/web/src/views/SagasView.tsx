import { useCallback, useEffect, useState } from 'react';
import { api, traceLink, type ConsoleConfig, type Page } from '../api';

interface Saga {
  id: string;
  type: string;
  correlationId: string;
  state: string;
  step: string;
  data: { orderId?: string } | null;
  attempts: number;
  lastError: string | null;
  updatedAt: string;
}
interface SagaDetail extends Saga {
  history: {
    seq: number;
    at: string;
    fromState: string | null;
    toState: string;
    step: string;
    event: string;
    detail: string | null;
  }[];
}

const FOLLOW_MS = 2_000;
const STATES = ['NEEDS_ATTENTION', 'RUNNING', 'COMPENSATING', 'COMPLETED', 'FAILED', 'RESOLVED', ''];

/** Sagas (invoice service): those needing attention first; history, retry and resolve with a note. */
export function SagasView({ config, openOrder }: { config: ConsoleConfig; openOrder: (id: string) => void }) {
  const [state, setState] = useState('NEEDS_ATTENTION');
  const [page, setPage] = useState<Page<Saga> | null>(null);
  const [selected, setSelected] = useState<SagaDetail | null>(null);
  const [note, setNote] = useState('');
  const [error, setError] = useState<string | null>(null);

  const load = useCallback(async () => {
    try {
      setPage(await api<Page<Saga>>(`invoice/v1/sagas?pageSize=100${state ? `&state=${state}` : ''}`));
      setError(null);
    } catch (failure) {
      setError(String(failure));
    }
  }, [state]);
  useEffect(() => {
    void load();
  }, [load]);

  const open = async (id: string) => setSelected(await api<SagaDetail>(`invoice/v1/sagas/${id}`));
  // A saga that is moving (after a retry, say) is followed until it settles.
  const moving = selected?.state === 'RUNNING' || selected?.state === 'COMPENSATING';
  useEffect(() => {
    if (!moving || !selected) return;
    const timer = setInterval(() => void open(selected.id).catch(() => undefined), FOLLOW_MS);
    return () => clearInterval(timer);
  }, [moving, selected?.id]);
  const act = async (action: 'retry' | 'resolve') => {
    if (!selected) return;
    try {
      const body = note.trim() ? { note: note.trim() } : action === 'retry' ? undefined : { note: '' };
      setSelected(
        await api<SagaDetail>(`invoice/v1/sagas/${selected.id}/${action}`, { method: 'POST', body }),
      );
      setNote('');
      setError(null);
      await load();
    } catch (failure) {
      setError(String(failure));
    }
  };
  const orderId = selected?.data?.orderId;
  const trace = orderId ? traceLink(config, orderId) : null;

  return (
    <>
      <section>
        <div className="row">
          <h3 style={{ margin: 0 }}>Sagas</h3>
          <select data-testid="saga-state" value={state} onChange={(e) => setState(e.target.value)}>
            {STATES.map((s) => (
              <option key={s} value={s}>
                {s || 'any state'}
              </option>
            ))}
          </select>
          <button onClick={() => void load()}>Refresh</button>
          {page && <span>{page.total} saga(s)</span>}
        </div>
        {error && (
          <p className="error" data-testid="error">
            {error}
          </p>
        )}
        <table data-testid="sagas">
          <thead>
            <tr>
              <th>Saga</th>
              <th>Type</th>
              <th>State</th>
              <th>Step</th>
              <th>Attempts</th>
              <th>Last error</th>
              <th>Updated</th>
            </tr>
          </thead>
          <tbody>
            {page?.items.map((saga) => (
              <tr
                key={saga.id}
                className={`clickable ${selected?.id === saga.id ? 'selected' : ''}`}
                onClick={() => void open(saga.id)}
                data-saga={saga.id}
              >
                <td>
                  <code>{saga.id}</code>
                </td>
                <td>{saga.type}</td>
                <td className={`state state-${saga.state}`}>{saga.state}</td>
                <td>{saga.step}</td>
                <td>{saga.attempts}</td>
                <td>{saga.lastError}</td>
                <td>{saga.updatedAt}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
      {selected && (
        <section data-testid="saga-detail">
          <h3>
            {selected.type} <code>{selected.id}</code> —{' '}
            <span className={`state state-${selected.state}`} data-testid="saga-state-value">
              {selected.state}
            </span>
          </h3>
          <div className="row">
            {orderId && <button onClick={() => openOrder(orderId)}>Order {orderId}</button>}
            {trace && (
              <a href={trace} target="_blank" rel="noreferrer" data-testid="trace-link">
                Trace in Jaeger
              </a>
            )}
            <button onClick={() => void open(selected.id)} data-testid="saga-refresh">
              Refresh
            </button>
          </div>
          {selected.state === 'NEEDS_ATTENTION' && (
            <div className="row" style={{ marginTop: '0.6rem' }}>
              <input
                data-testid="saga-note"
                placeholder="note for the history (required to resolve)"
                size={50}
                value={note}
                onChange={(e) => setNote(e.target.value)}
              />
              <button className="primary" data-testid="saga-retry" onClick={() => void act('retry')}>
                Retry
              </button>
              <button data-testid="saga-resolve" onClick={() => void act('resolve')}>
                Resolve (fixed by hand)
              </button>
            </div>
          )}
          <h4>History</h4>
          <table data-testid="saga-history">
            <thead>
              <tr>
                <th>#</th>
                <th>At</th>
                <th>From → to</th>
                <th>Step</th>
                <th>Event</th>
                <th>Detail</th>
              </tr>
            </thead>
            <tbody>
              {selected.history.map((entry) => (
                <tr key={entry.seq}>
                  <td>{entry.seq}</td>
                  <td>{entry.at}</td>
                  <td>
                    {entry.fromState ?? '∅'} → {entry.toState}
                  </td>
                  <td>{entry.step}</td>
                  <td>{entry.event}</td>
                  <td>{entry.detail}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <h4>Data</h4>
          <pre>{JSON.stringify(selected.data, null, 2)}</pre>
        </section>
      )}
    </>
  );
}

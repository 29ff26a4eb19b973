import { useCallback, useEffect, useState } from 'react';
import { api, type Page } from '../api';

interface DeadLetter {
  id: string;
  topic: string;
  sourceTopic: string;
  messageId: string | null;
  messageType: string | null;
  tenantId: string | null;
  key: string | null;
  errorCode: string;
  errorReason: string;
  deadLetteredAt: string;
  state: string;
  redriveId: string | null;
}
interface DeadLetterDetail extends DeadLetter {
  headers: Record<string, string>;
  envelope: unknown;
  redrive: { id: string; clientId: string; redrivenAt: string } | null;
}
interface RedriveResult {
  dryRun: boolean;
  redriveId: string | null;
  count: number;
}

/** The services that consume messages: each keeps and redrives its own dead letters. */
const CONSUMERS = ['order', 'invoice', 'tax-bridge', 'reconciliation'];

/** Dead letters per consuming service and topic: reason, masked payload (as the API returns it), redrive. */
export function DeadLettersView({ openOrder }: { openOrder: (id: string) => void }) {
  const [service, setService] = useState('order');
  const [state, setState] = useState('DEAD');
  const [errorCode, setErrorCode] = useState('');
  const [page, setPage] = useState<Page<DeadLetter> | null>(null);
  const [selected, setSelected] = useState<DeadLetterDetail | null>(null);
  const [result, setResult] = useState<RedriveResult | null>(null);
  const [error, setError] = useState<string | null>(null);

  const load = useCallback(async () => {
    const query = new URLSearchParams({ state, pageSize: '100', ...(errorCode ? { errorCode } : {}) });
    try {
      setPage(await api<Page<DeadLetter>>(`${service}/v1/dead-letters?${query}`));
      setError(null);
    } catch (failure) {
      setError(String(failure));
    }
  }, [service, state, errorCode]);
  useEffect(() => {
    void load();
  }, [load]);

  const open = async (id: string) => {
    setResult(null);
    setSelected(await api<DeadLetterDetail>(`${service}/v1/dead-letters/${id}`));
  };
  const redrive = async (dryRun: boolean) => {
    if (!selected) return;
    try {
      setResult(
        await api<RedriveResult>(`${service}/v1/dead-letters/redrive`, {
          method: 'POST',
          body: { ids: [selected.id], dryRun, limit: 1 },
        }),
      );
      if (!dryRun) {
        await open(selected.id);
        await load();
      }
    } catch (failure) {
      setError(String(failure));
    }
  };
  const orderId = orderIdOf(selected?.envelope);

  return (
    <>
      <section>
        <div className="row">
          <h3 style={{ margin: 0 }}>Dead letters</h3>
          <select data-testid="dl-service" value={service} onChange={(e) => setService(e.target.value)}>
            {CONSUMERS.map((name) => (
              <option key={name}>{name}</option>
            ))}
          </select>
          <select value={state} onChange={(e) => setState(e.target.value)}>
            {['DEAD', 'REDRIVEN', 'all'].map((s) => (
              <option key={s}>{s}</option>
            ))}
          </select>
          <input placeholder="error code" value={errorCode} onChange={(e) => setErrorCode(e.target.value)} />
          <button onClick={() => void load()} data-testid="dl-refresh">
            Refresh
          </button>
          {page && <span>{page.total} dead letter(s)</span>}
        </div>
        {error && (
          <p className="error" data-testid="error">
            {error}
          </p>
        )}
        <table data-testid="dead-letters">
          <thead>
            <tr>
              <th>Dead-lettered</th>
              <th>Topic</th>
              <th>Type</th>
              <th>Tenant</th>
              <th>Error</th>
              <th>Reason</th>
              <th>State</th>
            </tr>
          </thead>
          <tbody>
            {page?.items.map((row) => (
              <tr
                key={row.id}
                className={`clickable ${selected?.id === row.id ? 'selected' : ''}`}
                onClick={() => void open(row.id)}
                data-dead-letter={row.id}
              >
                <td>{row.deadLetteredAt}</td>
                <td>{row.sourceTopic}</td>
                <td>{row.messageType}</td>
                <td>
                  <code>{row.tenantId}</code>
                </td>
                <td>
                  <code>{row.errorCode}</code>
                </td>
                <td>{row.errorReason}</td>
                <td className={`state state-${row.state}`}>{row.state}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
      {selected && (
        <section data-testid="dead-letter-detail">
          <h3>
            {selected.messageType ?? 'unreadable message'} <code>{selected.messageId}</code> —{' '}
            <span className={`state state-${selected.state}`} data-testid="dl-state">
              {selected.state}
            </span>
          </h3>
          <p>
            <code>{selected.errorCode}</code>: {selected.errorReason}
          </p>
          <div className="row">
            {orderId && (
              <button onClick={() => openOrder(orderId)} data-testid="dl-order">
                Order {orderId}
              </button>
            )}
            {selected.state === 'DEAD' && (
              <>
                <button onClick={() => void redrive(true)} data-testid="dl-dry-run">
                  Dry run
                </button>
                <button className="primary" onClick={() => void redrive(false)} data-testid="dl-redrive">
                  Redrive
                </button>
              </>
            )}
            {result && (
              <span data-testid="dl-result">
                {result.dryRun
                  ? `would redrive ${result.count}`
                  : `redrove ${result.count} (audit ${result.redriveId})`}
              </span>
            )}
          </div>
          {selected.redrive && (
            <p>
              Redriven by <code>{selected.redrive.clientId}</code> at {selected.redrive.redrivenAt}
            </p>
          )}
          <h4>Message (personal data masked)</h4>
          <pre data-testid="dl-payload">{JSON.stringify(selected.envelope, null, 2)}</pre>
          <h4>Headers</h4>
          <pre>{JSON.stringify(selected.headers, null, 2)}</pre>
        </section>
      )}
    </>
  );
}

/** The order a message is about, when its payload names one. */
function orderIdOf(envelope: unknown): string | null {
  const payload = (envelope as { payload?: { orderId?: unknown } } | null)?.payload;
  return typeof payload?.orderId === 'string' ? payload.orderId : null;
}

import { useCallback, useEffect, useState } from 'react';
import { api, type Page } from '../api';

interface Discrepancy {
  id: string;
  orderId: string;
  type: string;
  detail: string;
  detectedAt: string;
  resolvedAt: string | null;
}

/** Reconciliation's discrepancies; an order opens its reconciliation, order state and trace. */
export function DiscrepanciesView({ openOrder }: { openOrder: (id: string) => void }) {
  const [page, setPage] = useState<Page<Discrepancy> | null>(null);
  const [error, setError] = useState<string | null>(null);
  const load = useCallback(async () => {
    try {
      setPage(await api<Page<Discrepancy>>('reconciliation/v1/reconciliation/discrepancies?pageSize=100'));
      setError(null);
    } catch (failure) {
      setError(String(failure));
    }
  }, []);
  useEffect(() => {
    void load();
  }, [load]);
  return (
    <section>
      <div className="row">
        <h3 style={{ margin: 0 }}>Discrepancies</h3>
        <button onClick={() => void load()}>Refresh</button>
        {page && <span>{page.total} discrepancy(ies)</span>}
      </div>
      {error && <p className="error">{error}</p>}
      <table data-testid="discrepancies">
        <thead>
          <tr>
            <th>Detected</th>
            <th>Order</th>
            <th>Type</th>
            <th>Detail</th>
            <th>Resolved</th>
          </tr>
        </thead>
        <tbody>
          {page?.items.map((row) => (
            <tr key={row.id} className="clickable" onClick={() => openOrder(row.orderId)}>
              <td>{row.detectedAt}</td>
              <td>
                <code>{row.orderId}</code>
              </td>
              <td>{row.type}</td>
              <td>{row.detail}</td>
              <td>{row.resolvedAt ?? '—'}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

import { useCallback, useEffect, useState } from 'react';
import { api, traceLink, type ConsoleConfig } from '../api';

/** One order: its state (order service), its reconciliation, and the link to its trace. */
export function OrderView({
  config,
  orderId,
  setOrderId,
}: {
  config: ConsoleConfig;
  orderId: string;
  setOrderId: (id: string) => void;
}) {
  const [order, setOrder] = useState<{ status: string } | null>(null);
  const [recon, setRecon] = useState<unknown>(null);
  const [error, setError] = useState<string | null>(null);
  const load = useCallback(async () => {
    if (!orderId) return;
    setError(null);
    const [orderResult, reconResult] = await Promise.allSettled([
      api<{ status: string }>(`order/v1/orders/${orderId}`),
      api<unknown>(`reconciliation/v1/reconciliation/orders/${orderId}`),
    ]);
    setOrder(orderResult.status === 'fulfilled' ? orderResult.value : null);
    setRecon(reconResult.status === 'fulfilled' ? reconResult.value : null);
    const failed = [orderResult, reconResult].filter((r) => r.status === 'rejected');
    if (failed.length) setError(failed.map((r) => String((r as PromiseRejectedResult).reason)).join('; '));
  }, [orderId]);
  useEffect(() => {
    void load();
  }, [load]);
  const trace = orderId ? traceLink(config, orderId) : null;
  return (
    <section>
      <div className="row">
        <h3 style={{ margin: 0 }}>Order</h3>
        <input
          data-testid="order-id"
          size={40}
          placeholder="order id"
          value={orderId}
          onChange={(e) => setOrderId(e.target.value.trim())}
        />
        <button onClick={() => void load()} data-testid="order-refresh">
          Refresh
        </button>
        {trace && (
          <a href={trace} target="_blank" rel="noreferrer" data-testid="order-trace">
            Trace in Jaeger
          </a>
        )}
      </div>
      {error && <p className="error">{error}</p>}
      {order && (
        <>
          <p>
            Status:{' '}
            <span className={`state state-${order.status}`} data-testid="order-status">
              {order.status}
            </span>
          </p>
          <pre>{JSON.stringify(order, null, 2)}</pre>
        </>
      )}
      {recon !== null && (
        <>
          <h4>Reconciliation</h4>
          <pre data-testid="order-reconciliation">{JSON.stringify(recon, null, 2)}</pre>
        </>
      )}
    </section>
  );
}

import { useEffect, useState } from 'react';
import { api } from '../api';

interface AuthorityStatus {
  circuit: { state: string; openedAt: string | null };
  paused: { reason: string; until: string; message: string } | null;
  queue: { depth: number; unknown: number; oldestQueuedAgeSeconds: number | null };
  nextMaintenanceWindow: { start: string; end: string } | null;
  lastError: { at: string; message: string } | null;
  lastSuccessAt: string | null;
}
interface Sample {
  at: number;
  depth: number;
  circuit: string;
}

const POLL_MS = 5_000;
/** Ten minutes of samples: the time series lives in the page only, as long as it stays open. */
const KEEP = 120;

/** tax-bridge's view of the authority, polled; queue depth over time as a small in-page chart. */
export function AuthorityView() {
  const [status, setStatus] = useState<AuthorityStatus | null>(null);
  const [samples, setSamples] = useState<Sample[]>([]);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    const poll = async () => {
      try {
        const next = await api<AuthorityStatus>('tax-bridge/v1/authority/status');
        setStatus(next);
        setSamples((old) =>
          [...old, { at: Date.now(), depth: next.queue.depth, circuit: next.circuit.state }].slice(-KEEP),
        );
        setError(null);
      } catch (failure) {
        setError(String(failure));
      }
    };
    void poll();
    const timer = setInterval(() => void poll(), POLL_MS);
    return () => clearInterval(timer);
  }, []);
  return (
    <section>
      <h3>Tax authority</h3>
      {error && <p className="error">{error}</p>}
      {status && (
        <div className="row" style={{ gap: '2rem' }}>
          <div>
            Circuit:{' '}
            <span className={`state state-${status.circuit.state}`} data-testid="circuit">
              {status.circuit.state}
            </span>
          </div>
          <div>
            Queue: {status.queue.depth} ({status.queue.unknown} unknown outcome)
          </div>
          <div>Oldest: {status.queue.oldestQueuedAgeSeconds ?? 0} s</div>
          <div>Paused: {status.paused ? `${status.paused.reason} until ${status.paused.until}` : 'no'}</div>
          <div>
            Next maintenance:{' '}
            {status.nextMaintenanceWindow
              ? `${status.nextMaintenanceWindow.start} – ${status.nextMaintenanceWindow.end}`
              : 'none'}
          </div>
          <div>Last success: {status.lastSuccessAt ?? '—'}</div>
        </div>
      )}
      {status?.lastError && (
        <p className="error">
          Last error {status.lastError.at}: {status.lastError.message}
        </p>
      )}
      <h4>Queue depth, last {Math.round((KEEP * POLL_MS) / 60_000)} minutes (circuit open in red)</h4>
      <QueueChart samples={samples} />
    </section>
  );
}

function QueueChart({ samples }: { samples: Sample[] }) {
  const width = 600;
  const height = 120;
  const max = Math.max(1, ...samples.map((s) => s.depth));
  const x = (i: number) => (i / Math.max(1, KEEP - 1)) * width;
  const y = (depth: number) => height - (depth / max) * (height - 10);
  const points = samples.map((s, i) => `${x(i)},${y(s.depth)}`).join(' ');
  return (
    <svg width={width} height={height} style={{ background: '#f0f2f5' }} data-testid="queue-chart">
      {samples.map((s, i) =>
        s.circuit === 'closed' ? null : (
          <rect key={s.at} x={x(i)} y={0} width={width / KEEP} height={height} fill="#f5b7b1" />
        ),
      )}
      <polyline points={points} fill="none" stroke="#2d5be3" strokeWidth={2} />
      {samples.map((s, i) => (
        <circle key={`p${s.at}`} cx={x(i)} cy={y(s.depth)} r={2.5} fill="#2d5be3" />
      ))}
      <text x={4} y={12} fontSize={11}>
        max {max}
      </text>
    </svg>
  );
}

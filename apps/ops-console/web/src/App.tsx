import { useEffect, useState } from 'react';
import { claimsOf, session, type ConsoleConfig } from './api';
import { AuthorityView } from './views/AuthorityView';
import { DeadLettersView } from './views/DeadLettersView';
import { DiscrepanciesView } from './views/DiscrepanciesView';
import { LoginView } from './views/LoginView';
import { OrderView } from './views/OrderView';
import { SagasView } from './views/SagasView';

const TABS = ['Sagas', 'Dead letters', 'Discrepancies', 'Authority', 'Order'] as const;
type Tab = (typeof TABS)[number];

export function App() {
  const [token, setToken] = useState(session.token());
  const [tab, setTab] = useState<Tab>('Sagas');
  const [orderId, setOrderId] = useState('');
  const [config, setConfig] = useState<ConsoleConfig>({ jaegerUiUrl: null });
  useEffect(() => {
    void fetch('/config.json')
      .then((response) => response.json() as Promise<ConsoleConfig>)
      .then(setConfig, () => undefined);
  }, []);

  if (!token)
    return (
      <LoginView
        onToken={(value) => {
          session.save(value);
          setToken(value);
        }}
      />
    );
  const claims = claimsOf(token);
  const openOrder = (id: string) => {
    setOrderId(id);
    setTab('Order');
  };
  return (
    <>
      <header>
        <strong>fapiao ops</strong>
        <nav>
          {TABS.map((name) => (
            <button key={name} className={name === tab ? 'active' : ''} onClick={() => setTab(name)}>
              {name}
            </button>
          ))}
        </nav>
        <span className="who" data-testid="who" title={claims.scope}>
          {claims.sub} · tenant {claims.tid} · {claims.scope}
        </span>
        <button
          onClick={() => {
            session.clear();
            setToken(null);
          }}
        >
          Log out
        </button>
      </header>
      <main>
        {tab === 'Sagas' && <SagasView config={config} openOrder={openOrder} />}
        {tab === 'Dead letters' && <DeadLettersView openOrder={openOrder} />}
        {tab === 'Discrepancies' && <DiscrepanciesView openOrder={openOrder} />}
        {tab === 'Authority' && <AuthorityView />}
        {tab === 'Order' && <OrderView config={config} orderId={orderId} setOrderId={setOrderId} />}
      </main>
    </>
  );
}

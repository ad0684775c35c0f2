/**
 * Renderer entry. The desktop app's screens are a later issue; today the window shows a case summary through the
 * contract (window.api), which proves the wiring end to end. Layer: renderer (no Node, no Electron).
 */
import { StrictMode, useState } from 'react';
import { createRoot } from 'react-dom/client';
import type { CaseInfo } from '../../shared/case.js';
import { api } from './host.js';

function App() {
  const [dir, setDir] = useState('');
  const [info, setInfo] = useState<CaseInfo | null>(null);
  const [error, setError] = useState<string | null>(null);
  const open = async () => {
    setError(null);
    try {
      setInfo(await api.invoke('case.info', { dir }));
    } catch (e) {
      setInfo(null);
      setError((e as Error).message);
    }
  };
  return (
    <main style={{ fontFamily: 'system-ui, sans-serif', margin: '2rem' }}>
      <h1>Evidence Workbench</h1>
      <label>
        Case folder <input data-testid="case-dir" value={dir} onChange={(e) => setDir(e.target.value)} size={60} />
      </label>{' '}
      <button data-testid="open-case" onClick={() => void open()}>
        Open
      </button>
      {error && <p role="alert">{error}</p>}
      {info && (
        <section data-testid="case-summary">
          <h2>
            {info.meta.name} — {info.meta.org}
          </h2>
          <p>
            Period {info.meta.periodStart} – {info.meta.periodEnd}; {info.totals.events.toLocaleString()} events, {info.totals.rejects.toLocaleString()} rejects
          </p>
          <table>
            <thead>
              <tr>
                <th>Source</th>
                <th>Events</th>
                <th>First</th>
                <th>Last</th>
              </tr>
            </thead>
            <tbody>
              {info.sources.map((s) => (
                <tr key={s.sourceFamily + s.sourceFormat}>
                  <td>
                    {s.sourceFamily}/{s.sourceFormat}
                  </td>
                  <td>{s.events}</td>
                  <td>{s.firstTime}</td>
                  <td>{s.lastTime}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      )}
    </main>
  );
}

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);

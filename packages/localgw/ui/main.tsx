// The request inspector (issue 20): a list of requests as they arrive and, for the one opened,
// the story of what the gateway did with it, in the pipeline's order. Preact, bundled by esbuild
// at build time (scripts/build-ui.mjs); no network but the admin server's own.
import { render } from 'preact';
import { useCallback, useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { api, toCurl, type FunctionStats, type ReloadRecord, type RouteTable, type Summary, type Trace } from './api.js';

type View = 'requests' | 'routes' | 'reloads' | 'functions';
const VIEWS: Array<{ id: View; label: string }> = [
  { id: 'requests', label: 'Requests' },
  { id: 'routes', label: 'Routes' },
  { id: 'reloads', label: 'Reloads' },
  { id: 'functions', label: 'Functions' },
];

function App() {
  const [view, setView] = useState<View>('requests');
  const [info, setInfo] = useState<{ apiUrl?: string }>({});
  useEffect(() => {
    void fetch('/inspector/api/info')
      .then((r) => r.json())
      .then(setInfo, () => {});
  }, []);
  const onTabKey = (event: KeyboardEvent) => {
    const at = VIEWS.findIndex((v) => v.id === view);
    const next = event.key === 'ArrowRight' ? at + 1 : event.key === 'ArrowLeft' ? at - 1 : undefined;
    if (next === undefined) return;
    event.preventDefault();
    const target = VIEWS[(next + VIEWS.length) % VIEWS.length]!;
    setView(target.id);
    document.getElementById(`tab-${target.id}`)?.focus();
  };
  return (
    <>
      <header>
        <h1>localgw inspector</h1>
        {info.apiUrl && <span class="muted">serving {info.apiUrl}</span>}
        <nav role="tablist" aria-label="Views" onKeyDown={onTabKey}>
          {VIEWS.map((v) => (
            <button
              id={`tab-${v.id}`}
              role="tab"
              type="button"
              aria-selected={view === v.id}
              aria-controls={`panel-${v.id}`}
              tabIndex={view === v.id ? 0 : -1}
              onClick={() => setView(v.id)}
            >
              {v.label}
            </button>
          ))}
        </nav>
      </header>
      <main id={`panel-${view}`} role="tabpanel" aria-labelledby={`tab-${view}`}>
        {view === 'requests' && <Requests apiUrl={info.apiUrl ?? ''} />}
        {view === 'routes' && <Routes />}
        {view === 'reloads' && <Reloads />}
        {view === 'functions' && <Functions />}
      </main>
    </>
  );
}

function Requests({ apiUrl }: { apiUrl: string }) {
  const [rows, setRows] = useState<Summary[]>([]);
  const [selected, setSelected] = useState<string | undefined>();
  const [live, setLive] = useState(false);
  const capacity = useRef(200);
  useEffect(() => {
    let closed = false;
    void api.requests().then((r) => {
      if (closed) return;
      capacity.current = r.capacity;
      setRows((now) => mergeRows(now, r.requests, r.capacity));
    });
    const source = new EventSource('/inspector/api/stream');
    source.addEventListener('hello', () => setLive(true));
    source.addEventListener('request', (event) => {
      const summary = JSON.parse((event as MessageEvent<string>).data) as Summary;
      setRows((now) => mergeRows(now, [summary], capacity.current));
    });
    source.onerror = () => setLive(false);
    return () => {
      closed = true;
      source.close();
    };
  }, []);
  const onListKey = (event: KeyboardEvent) => {
    if (event.key !== 'ArrowDown' && event.key !== 'ArrowUp') return;
    event.preventDefault();
    const at = rows.findIndex((r) => r.requestId === selected);
    const next = rows[Math.min(rows.length - 1, Math.max(0, at + (event.key === 'ArrowDown' ? 1 : -1)))];
    if (next) {
      setSelected(next.requestId);
      document.getElementById(`row-${next.requestId}`)?.focus();
    }
  };
  return (
    <div class="split">
      <section aria-label="Requests" class="list">
        <p class="muted" role="status">
          {live ? 'Live: new requests appear at the top.' : 'Connecting…'} {rows.length} request{rows.length === 1 ? '' : 's'}
        </p>
        <table>
          <thead>
            <tr>
              <th scope="col">Time</th>
              <th scope="col">Method</th>
              <th scope="col">Path</th>
              <th scope="col">Status</th>
              <th scope="col">Route</th>
              <th scope="col">ms</th>
              <th scope="col">Authorizer</th>
            </tr>
          </thead>
          <tbody onKeyDown={onListKey}>
            {rows.map((row) => (
              <tr
                id={`row-${row.requestId}`}
                key={row.requestId}
                tabIndex={0}
                aria-selected={row.requestId === selected}
                class={row.requestId === selected ? 'selected' : ''}
                onClick={() => setSelected(row.requestId)}
                onKeyDown={(e) => e.key === 'Enter' && setSelected(row.requestId)}
                data-request-id={row.requestId}
              >
                <td>{new Date(row.time).toLocaleTimeString()}</td>
                <td>{row.method}</td>
                <td class="path">{row.path}</td>
                <td class={`status s${Math.floor(row.statusCode / 100)}`}>{row.statusCode}</td>
                <td>{row.routeKey ?? <span class="muted">(no route)</span>}</td>
                <td class="num">{row.durationMs.toFixed(1)}</td>
                <td>{row.auth ?? ''}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
      <section aria-label="Request details" class="detail">
        {selected ? <Detail id={selected} apiUrl={apiUrl} onReplayed={setSelected} /> : <p class="muted">Select a request to see what the gateway did with it.</p>}
      </section>
    </div>
  );
}

/** New summaries first, no duplicates, at most `capacity`. */
function mergeRows(now: Summary[], incoming: Summary[], capacity: number): Summary[] {
  const seen = new Set(now.map((r) => r.requestId));
  const fresh = incoming.filter((r) => !seen.has(r.requestId)).sort((a, b) => b.time - a.time);
  return [...fresh, ...now].slice(0, capacity);
}

function Detail({ id, apiUrl, onReplayed }: { id: string; apiUrl: string; onReplayed: (id: string) => void }) {
  const [trace, setTrace] = useState<Trace | 'summary-only' | undefined>();
  const [message, setMessage] = useState('');
  useEffect(() => {
    setTrace(undefined);
    setMessage('');
    void api.trace(id).then(
      (t) => setTrace('detailed' in t && t.detailed === false ? 'summary-only' : (t as Trace)),
      () => setTrace('summary-only'),
    );
  }, [id]);
  const copy = useCallback(async (text: string, what: string) => {
    try {
      await navigator.clipboard.writeText(text);
      setMessage(`${what} copied`);
    } catch {
      setMessage(`${what}: copy failed (the browser refused the clipboard)`);
    }
  }, []);
  if (trace === undefined) return <p class="muted">Loading…</p>;
  if (trace === 'summary-only') return <p class="muted">This request arrived before the inspector was open: only its summary was kept. Send it again to see its story.</p>;
  const replay = async () => {
    const r = await api.replay(trace.requestId);
    setMessage(`replayed: ${r.status}`);
    if (r.requestId) onReplayed(r.requestId);
  };
  return (
    <article aria-label={`${trace.request.method} ${trace.request.rawPath}`}>
      <h2>
        {trace.request.method} {trace.request.rawPath}
        {trace.request.rawQueryString ? `?${trace.request.rawQueryString}` : ''} → {trace.response?.statusCode}
      </h2>
      <div class="actions">
        <button type="button" onClick={() => copy(toCurl(trace, apiUrl), 'curl command')}>Copy as curl</button>
        <button type="button" onClick={replay}>Replay</button>
        <span role="status" class="muted">{message}</span>
      </div>
      {trace.summary?.note && <p class="note">{trace.summary.note}</p>}
      <Section title="Request">
        <Headers pairs={pairs(trace.request.headers)} />
        <Body body={trace.request.body} />
      </Section>
      {trace.stage && (
        <Section title="Stage">
          <p>
            Stage <code>{trace.stage.name}</code>: {trace.stage.note}
          </p>
        </Section>
      )}
      {trace.route && (
        <Section title="Route selection">
          <p class="decision">{trace.route.decision}</p>
          {trace.route.candidates.length > 0 && (
            <ol class="candidates">
              {trace.route.candidates.map((c, i) => (
                <li class={i === 0 ? 'winner' : ''}>
                  <code>{c.routeKey}</code> <span class="muted">— {c.rule}</span>
                </li>
              ))}
            </ol>
          )}
          {trace.route.otherMethods.length > 0 && (
            <>
              <p class="muted">Not candidates (another method):</p>
              <ul>
                {trace.route.otherMethods.map((c) => (
                  <li>
                    <code>{c.routeKey}</code> <span class="muted">— {c.rule}</span>
                  </li>
                ))}
              </ul>
            </>
          )}
        </Section>
      )}
      {trace.cors && (
        <Section title="CORS">
          <p class="decision">{trace.cors.decision}</p>
        </Section>
      )}
      {trace.authorizer && <Authorizer a={trace.authorizer} copy={copy} />}
      {trace.integration && <Integration i={trace.integration} copy={copy} />}
      {trace.logs.length > 0 && (
        <Section title="Console output">
          <pre class="logs">{trace.logs.map((l) => `${l.level === 'log' ? '' : `[${l.level}] `}${l.text}`).join('\n')}</pre>
        </Section>
      )}
      {trace.response && (
        <Section title="Response">
          <p>
            Status <strong>{trace.response.statusCode}</strong>
            {trace.timings && <span class="muted"> in {trace.timings.totalMs.toFixed(1)} ms</span>}
          </p>
          <Headers pairs={trace.response.headers} />
          {trace.response.added.length > 0 && <Changes label="Added by the gateway" lines={trace.response.added} />}
          {trace.response.removed.length > 0 && <Changes label="Removed by the gateway" lines={trace.response.removed} />}
          <Body body={trace.response.body} />
        </Section>
      )}
    </article>
  );
}

function Authorizer({ a, copy }: { a: NonNullable<Trace['authorizer']>; copy: (text: string, what: string) => void }) {
  return (
    <Section title={`Authorizer: ${a.name} (${a.kind === 'jwt' ? 'JWT' : 'Lambda REQUEST'})`}>
      <p class={a.allowed ? 'ok' : 'bad'}>
        {a.allowed ? 'Allowed' : `Denied: ${a.statusCode}`}
        {a.kind === 'request' && <span class="muted"> — cache: {a.cache}</span>}
      </p>
      {a.reason && <p>{a.reason}</p>}
      {a.kind === 'jwt' && a.claims && (
        <>
          <p class="muted">Claims, as the event has them (§3.4):</p>
          <Json value={a.claims} copy={copy} what="claims" />
        </>
      )}
      {a.kind === 'request' && a.event !== undefined && (
        <>
          <p class="muted">The event sent to the authorizer:</p>
          <Json value={a.event} copy={copy} what="authorizer event" />
        </>
      )}
      {a.kind === 'request' && a.answer !== undefined && (
        <>
          <p class="muted">Its answer:</p>
          <pre>{a.answer}</pre>
        </>
      )}
    </Section>
  );
}

function Integration({ i, copy }: { i: NonNullable<Trace['integration']>; copy: (text: string, what: string) => void }) {
  if (i.kind === 'http') {
    return (
      <Section title="Integration: HTTP proxy">
        <p>
          <code>{i.url}</code> → {i.statusCode}
          {i.durationMs !== undefined && <span class="muted"> in {i.durationMs.toFixed(1)} ms</span>}
        </p>
        {i.note && <p class="note">{i.note}</p>}
      </Section>
    );
  }
  return (
    <Section title={`Integration: Lambda ${i.functionName} (payload ${i.payloadFormatVersion})`}>
      <p>
        Outcome: <strong>{i.outcome}</strong>
        {i.durationMs !== undefined && <span class="muted"> in {i.durationMs.toFixed(1)} ms</span>}
      </p>
      <p class="muted">The event the handler received:</p>
      <Json value={i.event} copy={copy} what="event" />
      {i.result !== undefined && (
        <>
          <p class="muted">What the handler returned (raw):</p>
          <pre>{i.result}</pre>
        </>
      )}
    </Section>
  );
}

function Section({ title, children }: { title: string; children: preact.ComponentChildren }) {
  return (
    <section class="step">
      <h3>{title}</h3>
      {children}
    </section>
  );
}

function Json({ value, copy, what }: { value: unknown; copy: (text: string, what: string) => void; what: string }) {
  const text = useMemo(() => JSON.stringify(value, null, 2), [value]);
  return (
    <div class="json">
      <button type="button" class="copy" onClick={() => copy(text, what)} aria-label={`Copy the ${what} as JSON`}>
        Copy
      </button>
      <pre>{text}</pre>
    </div>
  );
}

function Headers({ pairs: list }: { pairs: Array<[string, string]> }) {
  return (
    <table class="headers">
      <tbody>
        {list.map(([name, value]) => (
          <tr>
            <th scope="row">{name}</th>
            <td>{value}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function Changes({ label, lines }: { label: string; lines: string[] }) {
  return (
    <>
      <p class="muted">{label}:</p>
      <ul class="changes">
        {lines.map((l) => (
          <li>
            <code>{l}</code>
          </li>
        ))}
      </ul>
    </>
  );
}

function Body({ body }: { body: Trace['request']['body'] }) {
  if (!body) return null;
  return (
    <>
      <p class="muted">
        Body: {body.bytes} bytes{body.encoding === 'base64' ? ' (binary, shown as base64)' : ''}
        {body.truncated ? ', first 64 KB shown' : ''}
      </p>
      <pre>{body.text}</pre>
    </>
  );
}

function pairs(flat: string[]): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  for (let i = 0; i < flat.length; i += 2) out.push([flat[i]!, flat[i + 1]!]);
  return out;
}

function useLoad<T>(load: () => Promise<T>): T | undefined {
  const [value, setValue] = useState<T | undefined>();
  useEffect(() => {
    void load().then(setValue);
  }, []);
  return value;
}

function Routes() {
  const table = useLoad<RouteTable>(api.routes);
  if (!table) return <p class="muted">Loading…</p>;
  return (
    <section aria-label="Route table">
      {table.warnings.length > 0 && (
        <div class="warnings" role="note">
          <h2>Warnings (as localgw check prints them)</h2>
          <ul>
            {table.warnings.map((w) => (
              <li class={w.severity}>
                <code>{w.path}</code>: {w.message}
                {w.hint && <span class="muted"> ({w.hint})</span>}
              </li>
            ))}
          </ul>
        </div>
      )}
      {table.apis.map((apiTable) => (
        <>
          <h2>
            API <code>{apiTable.apiId}</code>, stage <code>{apiTable.stage}</code>: routes in match order
          </h2>
          <table>
            <thead>
              <tr>
                <th scope="col">Route</th>
                <th scope="col">Integration</th>
                <th scope="col">Authorizer</th>
              </tr>
            </thead>
            <tbody>
              {apiTable.routes.map((r) => {
                const trapped = table.warnings.some((w) => w.path.includes(JSON.stringify(r.routeKey)) || w.path === `routes.${r.routeKey}`);
                return (
                  <tr class={trapped ? 'trap' : ''}>
                    <td>
                      <code>{r.routeKey}</code>
                      {trapped && <span class="badge" title="see the warnings above">⚠ trap</span>}
                    </td>
                    <td>{r.integration}</td>
                    <td>
                      {r.authorizer ?? <span class="muted">none</span>}
                      {r.scopes.length > 0 && <span class="muted"> [{r.scopes.join(' ')}]</span>}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </>
      ))}
    </section>
  );
}

function Reloads() {
  const data = useLoad(api.reloads);
  if (!data) return <p class="muted">Loading…</p>;
  if (data.reloads.length === 0) return <p class="muted">No reload yet. Edit the config or a handler while localgw runs.</p>;
  return (
    <table aria-label="Reload history">
      <thead>
        <tr>
          <th scope="col">Time</th>
          <th scope="col">What</th>
          <th scope="col">Result</th>
          <th scope="col">ms</th>
        </tr>
      </thead>
      <tbody>
        {data.reloads.map((r: ReloadRecord) => (
          <tr>
            <td>{new Date(r.time).toLocaleTimeString()}</td>
            <td>{r.reason}</td>
            <td class={r.ok ? 'ok' : 'bad'}>{r.ok ? 'reloaded' : `kept the last good version: ${r.error ?? ''}`}</td>
            <td class="num">{r.durationMs.toFixed(0)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function Functions() {
  const data = useLoad(api.functions);
  if (!data) return <p class="muted">Loading…</p>;
  if (data.functions.length === 0) return <p class="muted">No function has a warm worker now (workers start on the first request and stop when idle).</p>;
  return (
    <table aria-label="Functions">
      <thead>
        <tr>
          <th scope="col">Function</th>
          <th scope="col">Handler</th>
          <th scope="col">Workers</th>
          <th scope="col">Busy</th>
        </tr>
      </thead>
      <tbody>
        {data.functions.map((f: FunctionStats) => (
          <tr>
            <td>
              <code>{f.functionName}</code>
            </td>
            <td>
              {f.file}#{f.exportName}
            </td>
            <td class="num">{f.workers}</td>
            <td class="num">{f.busy}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

render(<App />, document.getElementById('app')!);

// Every call to the server goes through here: the credential kept in sessionStorage is sent with
// each request, and a 401 opens the login form and retries once the user signed in.
import { askForCredential } from './login';

export type Credential = { kind: 'basic'; user: string; password: string } | { kind: 'bearer'; token: string };

const CREDENTIAL_KEY = 'sundial.credential';

export function storedCredential(): Credential | null {
  const text = sessionStorage.getItem(CREDENTIAL_KEY);
  if (!text) return null;
  try {
    return JSON.parse(text) as Credential;
  } catch {
    sessionStorage.removeItem(CREDENTIAL_KEY);
    return null;
  }
}

export function storeCredential(credential: Credential | null): void {
  if (credential) sessionStorage.setItem(CREDENTIAL_KEY, JSON.stringify(credential));
  else sessionStorage.removeItem(CREDENTIAL_KEY);
}

function authorization(credential: Credential): string {
  if (credential.kind === 'bearer') return `Bearer ${credential.token}`;
  const bytes = new TextEncoder().encode(`${credential.user}:${credential.password}`);
  let binary = '';
  for (const b of bytes) binary += String.fromCharCode(b);
  return `Basic ${btoa(binary)}`;
}

export class ApiError extends Error {
  constructor(message: string, readonly status: number, readonly body: unknown) {
    super(message);
  }
}

/** Sends a request; on 401 asks for a credential (as often as the user retries) and sends it again. */
export async function send(path: string, init: RequestInit = {}, onUploadProgress?: (fraction: number) => void): Promise<Response> {
  let failure: string | undefined;
  for (;;) {
    const headers = new Headers(init.headers);
    // Tells the server not to send WWW-Authenticate: the browser would show its own password dialog.
    headers.set('X-Requested-With', 'XMLHttpRequest');
    const credential = storedCredential();
    if (credential) headers.set('Authorization', authorization(credential));
    const response = onUploadProgress
      ? await uploadWithProgress(path, { ...init, headers }, onUploadProgress)
      : await fetch(path, { ...init, headers, credentials: 'omit' });
    if (response.status !== 401) return response;
    failure = await errorText(response);
    const given = await askForCredential(credential ? failure : undefined);
    storeCredential(given);
  }
}

/** fetch() cannot report upload progress; XMLHttpRequest can. */
function uploadWithProgress(path: string, init: RequestInit, onProgress: (fraction: number) => void): Promise<Response> {
  return new Promise((resolve, reject) => {
    const request = new XMLHttpRequest();
    request.open(init.method ?? 'POST', path);
    new Headers(init.headers).forEach((value, name) => request.setRequestHeader(name, value));
    request.upload.onprogress = (event) => {
      if (event.lengthComputable) onProgress(event.loaded / event.total);
    };
    request.onload = () => {
      const headers = new Headers();
      for (const line of request.getAllResponseHeaders().trim().split(/[\r\n]+/)) {
        const colon = line.indexOf(':');
        if (colon > 0) headers.append(line.slice(0, colon).trim(), line.slice(colon + 1).trim());
      }
      const status = request.status;
      const noBody = status === 204 || status === 304;
      resolve(new Response(noBody ? null : request.responseText, { status, headers }));
    };
    request.onerror = () => reject(new Error(`network error sending ${path}`));
    request.send(init.body as XMLHttpRequestBodyInit);
  });
}

/** The error text of an answer: the "error"/"message" member of a JSON body, else the body itself. */
export async function errorText(response: Response): Promise<string> {
  const text = await response.text();
  try {
    const json = JSON.parse(text);
    return String(json.error ?? json.message ?? text);
  } catch {
    return text.trim() || `HTTP ${response.status}`;
  }
}

export async function getJson<T>(path: string, init: RequestInit = {}): Promise<T> {
  const response = await send(path, init);
  const text = await response.text();
  let body: unknown;
  try {
    body = text ? JSON.parse(text) : null;
  } catch {
    throw new ApiError(`${path} answered ${response.status} with a body that is not JSON: ${text.slice(0, 200)}`, response.status, text);
  }
  if (!response.ok) {
    const b = body as { error?: string; message?: string } | null;
    throw new ApiError(String(b?.error ?? b?.message ?? `${path} answered HTTP ${response.status}`), response.status, body);
  }
  return body as T;
}

// ---- InfluxDB 1.x /query answers ----

export interface InfluxSeries {
  name?: string;
  tags?: Record<string, string>;
  columns: string[];
  values?: unknown[][];
  partial?: boolean;
}

export interface InfluxStatement {
  statement_id: number;
  series?: InfluxSeries[];
  error?: string;
  messages?: { level: string; text: string }[];
}

/** Runs SundialQL through /query (POST form, times as epoch milliseconds). */
export async function influxQuery(q: string, db: string): Promise<InfluxStatement[]> {
  const body = new URLSearchParams({ q, db, epoch: 'ms' });
  const answer = await getJson<{ results?: InfluxStatement[]; error?: string }>('/query', {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body,
  });
  if (answer.error) throw new ApiError(answer.error, 200, answer);
  return answer.results ?? [];
}

/** The values of the first column of every series of a SHOW statement. */
export async function showColumn(q: string, db: string, column?: string): Promise<string[]> {
  const [statement] = await influxQuery(q, db);
  if (!statement) return [];
  if (statement.error) throw new ApiError(statement.error, 200, statement);
  const values: string[] = [];
  for (const series of statement.series ?? []) {
    const index = column ? series.columns.indexOf(column) : 0;
    for (const row of series.values ?? []) values.push(String(row[index < 0 ? 0 : index]));
  }
  return values;
}

export function quoteIdentifier(name: string): string {
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(name) ? name : `"${name.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

export function quoteString(value: string): string {
  return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

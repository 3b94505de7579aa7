import type { Endpoint } from '../../core/serving/protocols.ts';
import type { Comparison } from '../../core/serving/compare.ts';
import type { Problem } from '../../core/util/result.ts';
import type { LatencyRow, ProbeResult } from '../../../workers/train.api.ts';
import type { Session } from '../session.svelte.ts';
import { jobProgress } from '../job-progress.ts';

/** Timeouts, retries and headers for the worker's HTTP calls. */
export interface HttpOptions {
  timeoutMs: number;
  retries: number;
  headers?: Record<string, string>;
}

/** Local-versus-cloud for one run: the endpoint check, the comparison in progress and its result. */
export interface RemoteState {
  runId: string | null;
  busy: 'probe' | 'compare' | null;
  progress: [number, number] | null;
  probe: ProbeResult | null;
  result: (Comparison & { split: string }) | null;
  error: Problem | null;
}

/**
 * Serving: the model server the person points at (shared with the rehearsals), checking it,
 * comparing it with the local model, and measuring local latency and throughput.
 */
export class ServingFeature {
  /**
   * The endpoint form. The auth header stays in memory unless `storeSecret` is ticked; the rest is
   * remembered in IndexedDB.
   */
  form = $state({
    url: 'http://127.0.0.1:8500',
    protocol: 'kserve-v2' as Endpoint['protocol'],
    model: '',
    version: '',
    authHeader: '',
    storeSecret: false,
    timeoutMs: 10000,
    retries: 2,
    batchSize: 64,
    concurrency: 4,
    binary: false,
    inputMap: {} as Record<string, string>,
  });
  /** What is remembered of the endpoint, after the last save (shown beside the form). */
  saved = $state<string | null>(null);
  remote = $state.raw<RemoteState>({ runId: null, busy: null, progress: null, probe: null, result: null, error: null });
  /** Latency measurements per run. */
  latency = $state.raw<Record<string, LatencyRow[] | Problem>>({});

  constructor(private readonly s: Session) {}

  /** Fills the form from the endpoint remembered in this browser, if any, and restores the latency measured here. */
  async restore(): Promise<void> {
    const kept = await this.s.repo.listLatency();
    if (kept.length) this.latency = { ...Object.fromEntries(kept.map((l) => [l.runId, l.rows])), ...this.latency };
    const saved = await this.s.repo.getEndpointSettings();
    if (!saved) return;
    const e = saved.endpoint;
    Object.assign(this.form, {
      binary: !!e.binary,
      inputMap: Object.fromEntries(Object.entries(e.inputMap ?? {}).map(([k, v]) => [k, v.join(', ')])),
      url: e.url,
      protocol: e.protocol,
      model: e.model,
      version: e.version ?? '',
      timeoutMs: saved.timeoutMs,
      retries: saved.retries,
      batchSize: saved.batchSize,
      concurrency: saved.concurrency,
      authHeader: saved.authHeader ?? '',
      storeSecret: saved.authHeader !== undefined,
    });
  }

  /** The endpoint of the form (plain data). */
  endpoint(): Endpoint {
    const f = this.form;
    const list = (v: string) =>
      v
        .split(',')
        .map((x) => x.trim())
        .filter(Boolean);
    const map = Object.entries(f.inputMap)
      .map(([k, v]) => [k, list(v)] as const)
      .filter(([, v]) => v.length);
    return {
      url: f.url.trim(),
      protocol: f.protocol,
      model: f.model.trim(),
      version: f.version.trim() || undefined,
      ...(f.protocol === 'kserve-v2' && f.binary ? { binary: true } : {}),
      ...(f.protocol === 'kserve-v2' && map.length ? { inputMap: Object.fromEntries(map) } : {}),
    };
  }

  /** Timeouts, retries and the auth header (`Name: value`) of the form, for the worker's calls. */
  httpOptions(): HttpOptions {
    const f = this.form,
      h = f.authHeader.trim(),
      i = h.indexOf(':');
    return {
      timeoutMs: f.timeoutMs,
      retries: f.retries,
      headers: h && i > 0 ? { [h.slice(0, i).trim()]: h.slice(i + 1).trim() } : undefined,
    };
  }

  /** Remembers the endpoint (never the auth header unless the person ticked "store it"). */
  async saveEndpoint(): Promise<void> {
    const f = this.form;
    const r = await this.s.repo.saveEndpointSettings({
      endpoint: this.endpoint(),
      timeoutMs: f.timeoutMs,
      retries: f.retries,
      batchSize: f.batchSize,
      concurrency: f.concurrency,
      ...(f.storeSecret ? { authHeader: f.authHeader } : {}),
    });
    if (!r.ok) this.s.notice = r.error.message;
    else
      this.saved = f.storeSecret
        ? 'Endpoint and auth header stored in this browser.'
        : 'Endpoint remembered in this browser; the auth header is not stored.';
  }

  /** Checks an endpoint (health, metadata, a one-row request preview) for a run's model. Secrets stay in memory. */
  async probeEndpoint(runId: string, endpoint: Endpoint, http: HttpOptions): Promise<void> {
    const s = this.s;
    const run = s.runs.find((r) => r.id === runId);
    if (!run) return;
    this.remote = { ...this.remote, runId, busy: 'probe', error: null, probe: null };
    try {
      await s.ensureDataset(run);
      // The worker reads the run and its model by id (cached there).
      const r = await s.trainer.probeEndpoint(plainCopy(endpoint), plainCopy(http), runId);
      this.remote = { ...this.remote, probe: r.ok ? r.value : null, error: r.ok ? null : r.error };
    } finally {
      this.remote = { ...this.remote, busy: null };
    }
  }

  /** Runs the local model and the remote one on the run's test split and compares them. */
  async compareRemote(
    runId: string,
    endpoint: Endpoint,
    o: {
      http: HttpOptions;
      batchSize: number;
      concurrency: number;
      price?: { perHour?: number; perMillionRequests?: number };
    },
  ): Promise<void> {
    const s = this.s;
    const run = s.runs.find((r) => r.id === runId);
    if (!run) return;
    if (!(await s.ensureDataset(run))) {
      this.remote = { ...this.remote, runId, error: s.missingDataset(run, ' to compare') };
      return;
    }
    this.remote = { ...this.remote, runId, busy: 'compare', error: null, result: null, progress: [0, 0] };
    try {
      const r = await s.trainer.compareRemote(
        runId,
        plainCopy(endpoint),
        plainCopy(o),
        jobProgress(
          () => this.remote.busy === 'compare',
          (progress) => (this.remote = { ...this.remote, progress }),
        ),
      );
      this.remote = { ...this.remote, result: r.ok ? r.value : null, error: r.ok ? null : r.error };
    } finally {
      this.remote = { ...this.remote, busy: null, progress: null };
    }
  }

  cancelRemote(): void {
    void this.s.trainer.cancelRemote();
  }

  /** Measures latency and throughput of runs' networks in the worker (one at a time). */
  async measure(runIds: string[]): Promise<void> {
    const s = this.s;
    s.evaluating = runIds[0] ?? null;
    try {
      for (const id of runIds) {
        // The worker reads the model by id; a run without one is skipped.
        const res = await s.trainer.measure(id);
        if (!res.ok && res.error.kind === 'not-found') continue;
        this.latency = { ...this.latency, [id]: res.ok ? res.value : res.error };
        // Kept across reloads; a failed measurement is shown but does not replace a kept one.
        if (res.ok) {
          const saved = await s.repo.saveLatency({ runId: id, measuredAt: new Date().toISOString(), rows: res.value });
          if (!saved.ok) s.warnings = [...s.warnings, saved.error];
        }
      }
    } finally {
      s.evaluating = null;
    }
  }
}

/** Arguments built by a component may hold reactive proxies, which cannot cross to a worker. */
const plainCopy = <T>(v: T): T => $state.snapshot(v) as T;

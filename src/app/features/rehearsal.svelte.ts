import type { RehearsalConfig, RehearsalKind } from '../../core/rollout/rehearsal.ts';
import type { SideRef } from '../../../workers/train.api.ts';
import type { Problem } from '../../core/util/result.ts';
import type { RehearsalRecord } from '../storage/repository.ts';
import type { Session } from '../session.svelte.ts';
import { jobProgress } from '../job-progress.ts';
import type { ServingFeature } from './serving.svelte.ts';
import { callLimitsProblem, REHEARSAL_CALL_DEFAULTS } from '../rehearsal-timeouts.ts';

/** How each production test is named on the page. */
export const REHEARSAL_LABELS: Readonly<Record<RehearsalKind, string>> = Object.freeze({
  shadow: 'Shadow deployment',
  ab: 'A/B test',
  canary: 'Canary rollout',
  interleaving: 'Interleaving',
  bandit: 'Bandits',
  fallback: 'Smooth failing',
});

/** Production-test rehearsals of one run: the one running, its result, and the saved ones. */
export interface RehearsalState {
  runId: string | null;
  busy: boolean;
  progress: [number, number] | null;
  result: RehearsalRecord | null;
  error: Problem | null;
  saved: RehearsalRecord[];
}

/** Who plays the challenger: another run's model, the endpoint, or the heuristic. */
export type Challenger = { kind: 'local'; runId: string } | { kind: 'remote' } | { kind: 'heuristic' };

/**
 * Rehearsals of production tests (shadow, A/B, canary, interleaving, bandits, smooth failing) over a
 * run's replayed test split, run in the worker and saved with the run. The endpoint comes from the
 * serving form.
 */
export class RehearsalFeature {
  state = $state.raw<RehearsalState>({
    runId: null,
    busy: false,
    progress: null,
    result: null,
    error: null,
    saved: [],
  });

  /**
   * Limits on every call to either side, as `benchtop rehearse` has them: a call is abandoned after
   * `callTimeoutMs` and counted as a timeout, and `concurrency` requests are in flight at once, so a
   * stalled server costs at most about requests / concurrency × timeout.
   */
  limits = $state({ ...REHEARSAL_CALL_DEFAULTS });

  constructor(
    private readonly s: Session,
    private readonly serving: ServingFeature,
  ) {}

  /** Why the limits cannot be used (naming the field), or null. */
  get limitsProblem(): string | null {
    return callLimitsProblem(this.limits.callTimeoutMs, this.limits.concurrency);
  }

  /** Loads the saved rehearsals of a run (shown under its comparison). */
  async load(runId: string): Promise<void> {
    const saved = await this.s.repo.listRehearsals(runId);
    this.state = {
      ...this.state,
      runId,
      saved,
      ...(this.state.runId === runId ? {} : { result: null, error: null }),
    };
  }

  /**
   * Rehearses a production test in the worker over the run's replayed test split: the champion is this
   * run's model (local) or the endpoint; the challenger another run's model, the endpoint, or the
   * heuristic. Every call runs under {@link limits} (per-call timeout, requests in flight). The
   * result is saved with the run.
   */
  async rehearse(
    runId: string,
    kind: RehearsalKind,
    champion: 'local' | 'remote',
    challenger: Challenger,
    config: RehearsalConfig,
  ): Promise<void> {
    const s = this.s;
    const run = s.runs.find((r) => r.id === runId);
    if (!run) return;
    const limits = this.limitsProblem;
    if (limits) {
      this.state = { ...this.state, runId, error: { kind: 'bad-limits', message: limits } };
      return;
    }
    if (!(await s.ensureDataset(run))) {
      this.state = { ...this.state, runId, error: s.missingDataset(run, ' to rehearse') };
      return;
    }
    const e = this.serving.endpoint();
    const remote: SideRef = {
      kind: 'remote',
      name: `cloud: ${e.model} at ${e.url}`,
      endpoint: e,
      http: this.serving.httpOptions(),
    };
    // Local sides are named by run id: the worker reads their models (cached there).
    const a: SideRef = champion === 'local' ? { kind: 'local', name: `local: ${run.name}`, runId } : remote;
    let b: SideRef;
    if (challenger.kind === 'local') {
      const other = s.runs.find((r) => r.id === challenger.runId);
      if (!other) return;
      b = { kind: 'local', name: `local: ${other.name}`, runId: other.id };
    } else b = challenger.kind === 'remote' ? remote : { kind: 'heuristic', name: 'heuristic' };
    this.state = { ...this.state, runId, busy: true, progress: [0, config.requests], error: null, result: null };
    try {
      const r = await s.trainer.rehearse(
        kind,
        runId,
        a,
        b,
        {
          ...($state.snapshot(config) as RehearsalConfig),
          callTimeoutMs: this.limits.callTimeoutMs,
          concurrency: this.limits.concurrency,
        },
        jobProgress(
          () => this.state.busy,
          (progress) => (this.state = { ...this.state, progress }),
        ),
      );
      if (!r.ok) {
        this.state = { ...this.state, error: r.error };
        return;
      }
      const record: RehearsalRecord = {
        ...r.value,
        id: `rh-${Date.now().toString(36)}-${Math.floor(Math.random() * 1e6).toString(36)}`,
        runId,
        createdAt: new Date().toISOString(),
        name: `${REHEARSAL_LABELS[kind]} — ${r.value.champion} vs ${r.value.challenger}`,
      };
      const saved = await s.repo.addRehearsal(record);
      this.state = {
        ...this.state,
        result: record,
        error: saved.ok ? null : saved.error,
        saved: saved.ok ? await s.repo.listRehearsals(runId) : this.state.saved,
      };
    } finally {
      this.state = { ...this.state, busy: false, progress: null };
    }
  }

  cancel(): void {
    void this.s.trainer.cancelRehearsal();
  }

  async delete(id: string): Promise<void> {
    await this.s.repo.deleteRehearsal(id);
    const runId = this.state.runId;
    if (runId)
      this.state = {
        ...this.state,
        saved: await this.s.repo.listRehearsals(runId),
        result: this.state.result?.id === id ? null : this.state.result,
      };
  }
}

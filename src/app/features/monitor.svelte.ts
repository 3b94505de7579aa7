import type { CatalogId } from '../../core/data/catalog.ts';
import type { RunRecord } from '../../core/model/spec.ts';
import type { Problem, Result } from '../../core/util/result.ts';
import { registerVersion } from '../../core/registry/registry.ts';
import type { Alert, AlertRule, WindowSpec } from '../../core/drift/timeline.ts';
import type { Expectation, ExpectationResult } from '../../core/drift/expectations.ts';
import type { ContinualResult, FreshnessPoint, Trigger } from '../../core/drift/continual.ts';
import type { DatasetInfo } from '../../../workers/data.api.ts';
import type { MonitorReport, TimelineSummary } from '../../../workers/monitor.api.ts';
import type { Session } from '../session.svelte.ts';
import { jobProgress } from '../job-progress.ts';

/** Monitoring of a run's model: new data, its drift, a timeline with alerts, expectations, continual learning. */
export interface MonitorState {
  runId: string | null;
  busy: null | 'load' | 'drift' | 'timeline' | 'expectations' | 'continual' | 'fresh' | 'register';
  progress: [number, number] | null;
  /** The new data the person brought (a file or a shipped dataset), loaded in the data worker only. */
  current: { id: string; name: string; rows: number } | null;
  report: MonitorReport | null;
  timeline: {
    points: TimelineSummary[];
    alerts: Alert[];
    skipped: number;
    referenceRows: number;
    source: string;
  } | null;
  expectations: Expectation[];
  expectationResults: { on: string; results: ExpectationResult[] } | null;
  continual: (ContinualResult & { windowsUsed: number; registered?: string[] }) | null;
  fresh: { metric: 'accuracy' | 'rmse'; test: string; points: FreshnessPoint[] } | null;
  error: Problem | null;
}

const emptyMonitor = (runId: string | null): MonitorState => ({
  runId,
  busy: null,
  progress: null,
  current: null,
  report: null,
  timeline: null,
  expectations: [],
  expectationResults: null,
  continual: null,
  fresh: null,
  error: null,
});

/**
 * Window specs, rules and options built by a form may hold reactive proxies, which cannot cross to a
 * worker. (Expectations arrive parsed from JSON: plain already.)
 */
const plain = <T>(v: T): T => $state.snapshot(v) as T;

/**
 * Monitoring a run's model after training: new data (loaded in the data worker only, the dataset
 * being worked on stays), drift against the training data, a timeline with alerts, data
 * expectations, continual learning (and registering its versions), and the value of fresh data.
 */
export class MonitorFeature {
  state = $state.raw<MonitorState>(emptyMonitor(null));

  constructor(private readonly s: Session) {}

  /** Opens monitoring for a run: its saved expectations; keeps the loaded new data across runs. */
  open(runId: string): void {
    if (this.state.runId === runId) return;
    const run = this.s.runs.find((r) => r.id === runId);
    this.state = {
      ...emptyMonitor(runId),
      current: this.state.current,
      expectations: run?.expectations ?? [],
    };
  }

  private async monitored<V>(
    runId: string,
    busy: MonitorState['busy'],
    f: (run: RunRecord) => Promise<Result<V>>,
  ): Promise<Result<V> | undefined> {
    const run = this.s.runs.find((r) => r.id === runId);
    if (!run) return undefined;
    if (!(await this.s.ensureDataset(run))) {
      this.state = {
        ...this.state,
        error: {
          kind: 'missing-dataset',
          message:
            `The dataset ${run.dataset.name} (this model's training data, the reference) is not available; ` +
            'import it again.',
        },
      };
      return undefined;
    }
    this.state = { ...this.state, busy, progress: null, error: null };
    try {
      // The worker reads the run's model by id (cached there); a run without a saved one is left alone.
      const r = await f(run);
      return !r.ok && r.error.kind === 'not-found' ? undefined : r;
    } finally {
      this.state = { ...this.state, busy: null, progress: null };
    }
  }

  private progressTo = () =>
    jobProgress(
      () => this.state.busy !== null,
      (progress) => (this.state = { ...this.state, progress }),
    );

  /** Loads new data to monitor (a file), in the data worker only: the dataset being worked on stays. */
  loadFile(file: File): Promise<void> {
    return this.loadData(() => this.s.data.importFile(file));
  }

  /** Uses a shipped dataset as the new data. */
  loadCatalog(id: CatalogId): Promise<void> {
    return this.loadData(() => this.s.data.loadCatalog(id));
  }

  private async loadData(load: () => Promise<Result<DatasetInfo>>): Promise<void> {
    this.state = { ...this.state, busy: 'load', error: null };
    try {
      await this.dropTable();
      const r = await load();
      this.state = r.ok
        ? {
            ...this.state,
            current: { id: r.value.id, name: r.value.name, rows: r.value.rowCount },
            report: null,
            expectationResults: null,
          }
        : { ...this.state, error: r.error };
    } finally {
      this.state = { ...this.state, busy: null };
    }
  }

  /** Frees the previous new-data table in the data worker (unless it is a dataset in use). */
  private async dropTable(): Promise<void> {
    const cur = this.state.current;
    if (!cur || cur.id === this.s.dataset?.id || this.s.runs.some((r) => r.dataset.id === cur.id)) return;
    await this.s.data.drop(cur.id);
    this.state = { ...this.state, current: null };
  }

  async drift(runId: string, o: { alpha: number; multivariate: boolean; minSize?: number }): Promise<void> {
    const cur = this.state.current;
    if (!cur) return;
    const r = await this.monitored(runId, 'drift', () => this.s.trainer.monitorDrift(runId, cur.id, o));
    if (r) this.state = r.ok ? { ...this.state, report: r.value } : { ...this.state, error: r.error };
  }

  /** A timeline over windows of the run's own dataset or of the new data. */
  async timeline(runId: string, source: 'run' | 'current', spec: WindowSpec, rules: AlertRule[]): Promise<void> {
    const r = await this.monitored(runId, 'timeline', (run) => {
      const id = source === 'current' && this.state.current ? this.state.current.id : run.dataset.id;
      return this.s.trainer.monitorTimeline(run.id, id, plain(spec), plain(rules), this.progressTo());
    });
    const run = this.s.runs.find((x) => x.id === runId);
    if (r)
      this.state = r.ok
        ? {
            ...this.state,
            timeline: {
              ...r.value,
              source: source === 'current' && this.state.current ? this.state.current.name : (run?.dataset.name ?? ''),
            },
          }
        : { ...this.state, error: r.error };
  }

  async suggestExpectations(runId: string): Promise<void> {
    const r = await this.monitored(runId, 'expectations', (run) => this.s.trainer.suggestExpectations(run));
    if (r) this.state = r.ok ? { ...this.state, expectations: r.value } : { ...this.state, error: r.error };
  }

  /** Saves the expectations with the run (its model version carries them). */
  async saveExpectations(runId: string, list: Expectation[]): Promise<void> {
    const run = this.s.runs.find((r) => r.id === runId);
    if (!run) return;
    const saved = await this.s.repo.saveRunRecord({ ...run, expectations: list });
    if (!saved.ok) this.state = { ...this.state, error: saved.error };
    else {
      this.state = { ...this.state, expectations: list };
      await this.s.refreshLists();
    }
  }

  async runExpectations(runId: string, on: 'run' | 'current', given?: Expectation[]): Promise<void> {
    const list = given ?? this.state.expectations;
    const r = await this.monitored(runId, 'expectations', (run) =>
      this.s.trainer.runExpectations(
        on === 'current' && this.state.current ? this.state.current.id : run.dataset.id,
        list,
      ),
    );
    const run = this.s.runs.find((x) => x.id === runId);
    if (r)
      this.state = r.ok
        ? {
            ...this.state,
            expectationResults: {
              on: on === 'current' && this.state.current ? this.state.current.name : (run?.dataset.name ?? ''),
              results: r.value,
            },
          }
        : { ...this.state, error: r.error };
  }

  async continual(
    runId: string,
    spec: WindowSpec,
    o: { trigger: Trigger; trainRows: number; fineTuneEpochs: number },
  ): Promise<void> {
    const r = await this.monitored(runId, 'continual', () =>
      this.s.trainer.continualLearning(runId, plain(spec), plain(o), this.progressTo()),
    );
    if (r) this.state = r.ok ? { ...this.state, continual: r.value } : { ...this.state, error: r.error };
  }

  /**
   * Registers the continual-learning versions under a model name, in order: stateless retrains as
   * "retrain" (minor version), stateful fine-tunes as "update" (patch) of the version before them.
   * Each gets a run record (tagged "continual") so the registry and model cards can show it.
   */
  async registerContinual(runId: string, name: string): Promise<void> {
    const c = this.state.continual;
    const run = this.s.runs.find((r) => r.id === runId);
    if (!c || !run) return;
    this.state = { ...this.state, busy: 'register', error: null };
    const ids: string[] = [];
    try {
      const base = run;
      let existing = this.s.versions.filter((v) => v.name === name);
      if (!existing.length) {
        const model = await this.s.repo.getModel(runId);
        const first =
          model &&
          (await registerVersion(this.s.repo, {
            name,
            run: base,
            model,
            relation: 'architecture',
            tags: ['continual'],
          }));
        if (first && !first.ok) throw new Error(first.error.message);
        if (first?.ok) ids.push(`${first.value.id} (${first.value.label})`);
      }
      const latest: Record<'stateless' | 'stateful', string | undefined> = {
        stateless: undefined,
        stateful: undefined,
      };
      existing = await this.s.repo.listVersions(name);
      const root = existing.at(-1)?.id;
      for (const v of c.versions) {
        const id = crypto.randomUUID();
        const metrics = {
          ...base.metrics,
          test:
            c.metric === 'accuracy'
              ? { ...base.metrics.test!, accuracy: v.nextMetric }
              : { ...base.metrics.test!, rmse: v.nextMetric },
        };
        const rec: RunRecord = {
          ...base,
          id,
          name: `${base.name} · ${v.strategy} after ${c.windows[v.afterWindow]!.label}`,
          createdAt: new Date().toISOString(),
          durationMs: v.ms,
          metrics,
          tags: ['continual', v.strategy],
          evaluation: undefined,
          experimentId: base.experimentId ?? 'default',
          message: v.reason,
        };
        const saved = await this.s.repo.saveRun(rec, v.model);
        if (!saved.ok) throw new Error(saved.error.message);
        const parent = latest[v.strategy] ?? root;
        const reg = await registerVersion(this.s.repo, {
          name,
          run: rec,
          model: v.model,
          relation: v.strategy === 'stateless' ? 'retrain' : 'update',
          parentId: parent ?? null,
          tags: ['continual', v.strategy],
          description: v.reason,
        });
        if (!reg.ok) throw new Error(reg.error.message);
        latest[v.strategy] = reg.value.id;
        ids.push(`${reg.value.id} (${reg.value.label}, ${v.strategy})`);
      }
      this.state = { ...this.state, continual: { ...c, registered: ids } };
      await this.s.refreshLists();
    } catch (e) {
      this.state = { ...this.state, error: { kind: 'register-failed', message: (e as Error).message } };
    } finally {
      this.state = { ...this.state, busy: null };
    }
  }

  async freshData(runId: string, spec: WindowSpec, o: { span: number; maxAge: number }): Promise<void> {
    const r = await this.monitored(runId, 'fresh', () =>
      this.s.trainer.freshDataValue(runId, plain(spec), plain(o), this.progressTo()),
    );
    if (r) this.state = r.ok ? { ...this.state, fresh: r.value } : { ...this.state, error: r.error };
  }

  cancel(): void {
    void this.s.trainer.cancelMonitor();
  }
}

import { Session } from './session.svelte.ts';
import { DataFeature } from './features/data.svelte.ts';
import { TrainingFeature } from './features/training.svelte.ts';
import { TuningFeature } from './features/tuning.svelte.ts';
import { RunList } from './features/run-list.svelte.ts';
import { EvaluationFeature } from './features/evaluation.svelte.ts';
import { RegistryFeature } from './features/registry.svelte.ts';
import { DeriveFeature } from './features/derive.svelte.ts';
import { ServingFeature } from './features/serving.svelte.ts';
import { RehearsalFeature } from './features/rehearsal.svelte.ts';
import { BatchFeature } from './features/batch.svelte.ts';
import { MonitorFeature } from './features/monitor.svelte.ts';
import { LessonsFeature } from './features/lessons.svelte.ts';
import { SetupLink } from './features/setup-link.svelte.ts';

/**
 * The composition root: creates the session and one state object per feature, wires them, and
 * starts the app. It holds no feature logic; `App.svelte` hands each component its slice.
 */
export class Workbench {
  readonly session = new Session();
  readonly data = new DataFeature(this.session);
  readonly training: TrainingFeature = new TrainingFeature(this.session, () => this.tuning.search.running);
  readonly tuning = new TuningFeature(this.session, this.training);
  readonly runList = new RunList(this.session, this.training);
  readonly evaluation = new EvaluationFeature(this.session);
  readonly registry = new RegistryFeature(this.session, this.evaluation);
  readonly derive = new DeriveFeature(this.session, this.evaluation);
  readonly serving = new ServingFeature(this.session);
  readonly rehearsal = new RehearsalFeature(this.session, this.serving);
  readonly batch = new BatchFeature(this.session);
  readonly monitor = new MonitorFeature(this.session);
  readonly lessons = new LessonsFeature(this.session);
  readonly setup = new SetupLink(this.session, this.data, this.training);

  /** Starts workers, opens storage, restores the last session (or opens the default dataset), applies a setup link. */
  async init(): Promise<void> {
    try {
      await this.session.start();
      await this.serving.restore();
      await this.session.restore();
    } catch (e) {
      this.session.markFailed(e);
      throw e;
    }
    // Files chosen while the page opened are read from here on (they waited for storage).
    this.session.markReady();
    if (typeof location !== 'undefined' && location.hash.startsWith('#setup=')) await this.setup.apply(location.hash);
  }
}

import type { BackendName } from '../../core/model/spec.ts';
import { lessonHash, runLesson, type LessonId, type LessonOutput, type Params } from '../lessons/index.ts';
import type { Session } from '../session.svelte.ts';

/** The lesson shown (from the link), its parameters, progress and result. */
export interface LessonState {
  id: LessonId | null;
  params: Params;
  busy: boolean;
  progress: { done: number; total: number; what: string } | null;
  output: LessonOutput | null;
  partial: LessonOutput | null;
  error: string | null;
  ms: number;
}

/** The lessons view: runs a lesson in the workers and keeps its output. */
export class LessonsFeature {
  state = $state.raw<LessonState>({
    id: null,
    params: {},
    busy: false,
    progress: null,
    output: null,
    partial: null,
    error: null,
    ms: 0,
  });

  constructor(private readonly s: Session) {}

  /**
   * Runs a lesson in the workers (on the link's backend, when it names one) and keeps its output; the
   * address bar gets the lesson's link, so copying it reproduces this run.
   */
  async run(id: LessonId, params: Params, backend: BackendName | 'auto' = 'auto'): Promise<void> {
    const s = this.s;
    this.state = {
      ...this.state,
      id,
      params: { ...params },
      busy: true,
      progress: null,
      output: null,
      partial: null,
      error: null,
    };
    if (typeof history !== 'undefined') history.replaceState(null, '', lessonHash(id, params, backend));
    const t0 = performance.now();
    try {
      if (backend !== 'auto' && backend !== s.backend?.backend) await s.setBackend(backend);
      const output = await runLesson(id, params, {
        trainer: s.trainer,
        data: s.data,
        setBackend: (b) => s.setBackend(b),
        progress: (done, total, what) => (this.state = { ...this.state, progress: { done, total, what } }),
        partial: (out) => (this.state = { ...this.state, partial: out }),
      });
      this.state = { ...this.state, output, partial: null, ms: performance.now() - t0 };
    } catch (e) {
      this.state = { ...this.state, error: (e as Error).message };
    } finally {
      this.state = { ...this.state, busy: false, progress: null };
    }
  }
}

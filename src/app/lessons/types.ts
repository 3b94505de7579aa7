import type { Remote } from 'comlink';
import type { DataApi } from '../../../workers/data.api.ts';
import type { TrainApi } from '../../../workers/train.api.ts';
import type { BackendName } from '../../core/model/spec.ts';
import type { Figure } from '../plots/figure.ts';

/**
 * Classroom lessons: each runs real training and real statistics in the workers from a few
 * parameters (all in the link), then computes its "what to notice" from the run. Nothing here is a
 * canned number: the notices are sentences over computed values, and the tests check them against
 * the same computed values.
 */
export type LessonId =
  'baselines' | 'overfitting' | 'calibration' | 'compression' | 'shift' | 'ab-bandits' | 'feedback' | 'data-parallel';

export interface LessonParam {
  key: string;
  label: string;
  kind: 'number' | 'choice';
  default: number | string;
  min?: number;
  max?: number;
  step?: number;
  choices?: string[];
}

export interface Notice {
  key: string;
  text: string;
  value: number;
  /** Whether the lesson's point showed up in this run (e.g. temperature scaling lowered ECE). */
  holds?: boolean;
}

export interface LessonOutput {
  figures: { title: string; figure: Figure }[];
  notices: Notice[];
  table?: { head: string[]; rows: (string | number)[][] };
}

export interface LessonDef {
  id: LessonId;
  title: string;
  explanation: string;
  params: LessonParam[];
}

export type Params = Record<string, number | string>;

export interface LessonContext {
  trainer: Remote<TrainApi>;
  data: Remote<DataApi>;
  setBackend(b: BackendName | 'auto'): Promise<void>;
  progress(done: number, total: number, what: string): void;
  /** Live figures while a lesson is still running (its notices come at the end). */
  partial?(out: LessonOutput): void;
}

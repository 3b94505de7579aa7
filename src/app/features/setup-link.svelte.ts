import { upgradeConfig } from '../../core/store/upgrade.ts';
import { CATALOG, type CatalogId } from '../../core/data/catalog.ts';
import type { ColumnType } from '../../core/data/schema.ts';
import type { SplitSpec } from '../../core/data/split.ts';
import { type BackendName, type TrainConfig } from '../../core/model/spec.ts';
import type { Session } from '../session.svelte.ts';
import type { DataFeature } from './data.svelte.ts';
import type { TrainingFeature } from './training.svelte.ts';

/** An experiment setup, as a link carries it (see SetupLink.link). */
export interface ExperimentSetup {
  v: 1;
  dataset: { catalog: string } | { file: string };
  label: string | null;
  ignore: string[];
  types: Record<string, string>;
  split: SplitSpec;
  config: TrainConfig;
  backend: BackendName | 'auto';
}

/**
 * Experiment setups as links: the shipped dataset, label, ignored columns, column types, split, every
 * hyperparameter, seed and backend, in the address's hash. Opening one (`#setup=…&train=1`)
 * reproduces the run.
 */
export class SetupLink {
  constructor(
    private readonly s: Session,
    private readonly data: DataFeature,
    private readonly training: TrainingFeature,
  ) {}

  /**
   * The experiment setup as a link. A person's own file cannot travel in a link: the link then
   * names it and asks for it.
   */
  link(): string {
    const d = this.s.dataset;
    const s = this.s.schema;
    const setup: ExperimentSetup = {
      v: 1,
      dataset: d?.source.kind === 'catalog' ? { catalog: d.source.catalogId } : { file: d?.name ?? '' },
      label: s?.label ?? null,
      ignore: s?.columns.filter((c) => c.role === 'ignore').map((c) => c.name) ?? [],
      types: Object.fromEntries(s?.columns.filter((c) => c.type !== c.inferredType).map((c) => [c.name, c.type]) ?? []),
      split: this.training.splitSpec(),
      config: $state.snapshot(this.training.config) as TrainConfig,
      backend: this.s.backendRequest,
    };
    const json = JSON.stringify(setup);
    const b64 = btoa(String.fromCharCode(...new TextEncoder().encode(json)))
      .replace(/\+/g, '-')
      .replace(/\//g, '_')
      .replace(/=+$/, '');
    return `${location.origin}${location.pathname}#setup=${b64}&train=1`;
  }

  /** Applies a setup from a link; trains when the link says so. Shows a notice when it cannot. */
  async apply(hash: string): Promise<void> {
    const s = this.s;
    const t = this.training;
    const q = new URLSearchParams(hash.replace(/^#/, ''));
    const raw = q.get('setup');
    if (!raw) return;
    let setup: ExperimentSetup;
    try {
      const bin = atob(raw.replace(/-/g, '+').replace(/_/g, '/'));
      setup = JSON.parse(new TextDecoder().decode(Uint8Array.from(bin, (c) => c.charCodeAt(0)))) as ExperimentSetup;
      if (setup.v !== 1) throw new Error(`version ${setup.v}`);
    } catch (e) {
      s.notice = `This link's experiment setup cannot be read (${(e as Error).message}); nothing was changed.`;
      return;
    }
    if (!('catalog' in setup.dataset) || !(setup.dataset.catalog in CATALOG)) {
      const file = 'file' in setup.dataset ? setup.dataset.file : '?';
      s.notice =
        `This link's setup was made on the file "${file}", which cannot travel in a link: ` +
        'import it, then apply the same settings.';
      return;
    }
    const catalog = setup.dataset.catalog as CatalogId;
    await s.loadCatalog(catalog);
    if (!s.schema) return;
    if (setup.label) this.data.setRole(setup.label, 'label');
    for (const c of setup.ignore) if (s.schema.columns.some((x) => x.name === c)) this.data.setRole(c, 'ignore');
    for (const [c, type] of Object.entries(setup.types))
      if (s.schema.columns.some((x) => x.name === c)) this.data.setType(c, type as ColumnType);
    t.splitKind = setup.split.kind;
    t.fractions = [...setup.split.fractions] as [number, number, number];
    t.timeColumn = setup.split.timeColumn;
    t.config = upgradeConfig({ ...setup.config, seed: setup.split.seed ?? setup.config.seed });
    if (setup.backend) await s.setBackend(setup.backend);
    s.notice =
      `Experiment setup applied from the link (${CATALOG[catalog].file}, ${t.config.kind}, ` +
      `seed ${t.config.seed}).`;
    if (q.get('train') === '1') await t.train();
  }
}

import { readFile, writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { buildModelCard, cardToHtml, cardToMarkdown } from '../src/core/registry/model-card.ts';
import { moveAlias, registerVersion, rollbackAlias } from '../src/core/registry/registry.ts';
import { exportBundle, importBundle } from '../src/core/store/bundle.ts';
import { EMPTY_PROSE, type VersionRelation } from '../src/core/store/records.ts';
import type { Problem } from '../src/core/util/result.ts';
import { FsStore } from './fs-store.ts';

export const REGISTRY_HELP =
  `Registry commands (records live in --store DIR, default .benchtop — the same ` +
  `records as the app):
  benchtop runs [--search TEXT]                       list runs (JSON)
  benchtop register --run ID --name NAME [--relation retrain|update|architecture] [--tags a,b]
  benchtop versions [--name NAME]                     list versions with lineage labels and aliases
  benchtop alias --name NAME --alias A (--version N | --rollback) --reason TEXT
  benchtop card --version NAME@N [--format md|json|html] [--out FILE]
  benchtop bundle-export [--runs ID,ID] [--versions NAME@N,…] --out FILE.zip
  benchtop bundle-import FILE.zip                     runs and versions whose ids are stored are kept
                                                      beside them under new ids (printed as renamed)

A stored record that cannot be read (a corrupt run.json, version.json, card, …) is skipped and left
as it is, and named with its file and field: as "problems" in a command's JSON object, or, beside a
list (runs, versions) or a card's text, as {"ok":true,"problems":[…]} on stderr.
`;

const json = (v: unknown) => JSON.stringify(v, null, 2) + '\n';

/** A stored record the store could not read, as the JSON names it: what is wrong, the file and the field. */
const problemJson = (p: Problem) => ({
  kind: p.kind,
  message: p.message,
  ...(p.file !== undefined ? { file: p.file } : {}),
  ...(p.field !== undefined ? { field: p.field } : {}),
});

/**
 * How a command prints, with the records of the store it could not read (skipped, left as they are)
 * named beside what it prints, never dropped silently: an object gets `"problems": […]`; a list (runs,
 * versions) stays a list and a text (a card) stays a text, and the problems go to stderr as
 * `{"ok":true,"problems":[…]}`; a failure's JSON gets `"problems"` beside its `"error"`.
 */
function printer(store: FsStore) {
  const problems = () => store.problems.map(problemJson);
  const aside = () => {
    if (store.problems.length) process.stderr.write(json({ ok: true, problems: problems() }));
  };
  return {
    out(v: unknown): void {
      const plain = typeof v === 'object' && v !== null && !Array.isArray(v);
      if (plain && store.problems.length) process.stdout.write(json({ ...v, problems: problems() }));
      else {
        process.stdout.write(json(v));
        aside();
      }
    },
    text(t: string): void {
      process.stdout.write(t);
      aside();
    },
    err(p: Problem): number {
      process.stderr.write(json({ ok: false, error: p, ...(store.problems.length ? { problems: problems() } : {}) }));
      return 2;
    },
  };
}

/** Runs a registry command; returns the exit code, or null when `command` is not one of them. */
export async function registryCommand(command: string, argv: string[]): Promise<number | null> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    strict: true,
    options: {
      store: { type: 'string', default: '.benchtop' },
      search: { type: 'string' },
      run: { type: 'string' },
      name: { type: 'string' },
      relation: { type: 'string' },
      tags: { type: 'string' },
      alias: { type: 'string' },
      version: { type: 'string' },
      rollback: { type: 'boolean' },
      reason: { type: 'string' },
      format: { type: 'string', default: 'md' },
      out: { type: 'string' },
      runs: { type: 'string' },
      versions: { type: 'string' },
      help: { type: 'boolean' },
    },
  });
  if (values.help) {
    process.stdout.write(REGISTRY_HELP);
    return 0;
  }
  const store = new FsStore(values.store!);
  const { out, text: outText, err } = printer(store);
  const list = (s?: string) =>
    s
      ? s
          .split(',')
          .map((x) => x.trim())
          .filter(Boolean)
      : [];
  switch (command) {
    case 'runs': {
      const q = values.search?.toLowerCase();
      const runs = (await store.listRuns()).filter(
        (r) =>
          !q ||
          JSON.stringify(r.config).toLowerCase().includes(q) ||
          r.name.toLowerCase().includes(q) ||
          (r.tags ?? []).includes(q),
      );
      out(
        runs.map((r) => ({
          id: r.id,
          name: r.name,
          status: r.status,
          createdAt: r.createdAt,
          dataset: r.dataset.name,
          model: r.config.kind,
          validation: r.metrics.validation,
          tags: r.tags ?? [],
        })),
      );
      return 0;
    }
    case 'register': {
      if (!values.run || !values.name)
        return err({ kind: 'usage', message: 'register needs --run ID and --name NAME' });
      // A stored run that cannot be read is refused with its own problem, not as "no run".
      const loaded = await store.loadRun(values.run);
      if (!loaded.ok) return err(loaded.error);
      const run = loaded.value;
      const model = run ? await store.getModel(values.run) : undefined;
      if (!run || !model)
        return err({ kind: 'missing', message: `No run ${values.run} with a model in ${values.store}.` });
      const relation = values.relation as VersionRelation | undefined;
      if (relation && !['retrain', 'update', 'architecture'].includes(relation))
        return err({
          kind: 'usage',
          column: 'relation',
          message: '--relation must be retrain, update or architecture',
        });
      const r = await registerVersion(store, {
        name: values.name,
        run,
        model,
        relation,
        tags: list(values.tags),
        who: process.env.USER ?? 'cli',
      });
      if (!r.ok) return err(r.error);
      out({
        ok: true,
        version: r.value.id,
        label: r.value.label,
        relation: r.value.relation,
        parent: r.value.parentId,
      });
      return 0;
    }
    case 'versions': {
      const versions = await store.listVersions(values.name);
      const aliases = await store.listAliases(values.name);
      out(
        versions.map((v) => ({
          id: v.id,
          label: v.label,
          relation: v.relation,
          parent: v.parentId,
          run: v.runId,
          createdAt: v.createdAt,
          aliases: aliases.filter((a) => a.versionId === v.id).map((a) => a.alias),
          metrics: v.metrics,
        })),
      );
      return 0;
    }
    case 'alias': {
      if (!values.name || !values.alias || !values.reason)
        return err({ kind: 'usage', message: 'alias needs --name, --alias and --reason' });
      const target =
        values.version && !values.version.includes('@') ? `${values.name}@${values.version}` : values.version;
      const r = values.rollback
        ? await rollbackAlias(store, {
            name: values.name,
            alias: values.alias,
            reason: values.reason,
            who: process.env.USER ?? 'cli',
          })
        : await moveAlias(store, {
            name: values.name,
            alias: values.alias,
            to: target ?? null,
            reason: values.reason,
            who: process.env.USER ?? 'cli',
          });
      if (!r.ok) return err(r.error);
      out({ ok: true, ...r.value, history: await store.aliasHistory(values.name) });
      return 0;
    }
    case 'card': {
      if (!values.version) return err({ kind: 'usage', message: 'card needs --version NAME@N' });
      const v = await store.getVersion(values.version);
      if (!v) return err({ kind: 'missing', message: `No version ${values.version} in ${values.store}.` });
      const prose = (await store.getCard(v.id)) ?? { versionId: v.id, ...EMPTY_PROSE, updatedAt: '' };
      const card = buildModelCard(
        v,
        await store.getRun(v.runId),
        await store.getDatasetRecord(v.datasetId),
        await store.listAliases(v.name),
        prose,
      );
      const text =
        values.format === 'json'
          ? JSON.stringify(card, null, 2)
          : values.format === 'html'
            ? cardToHtml(card)
            : cardToMarkdown(card);
      if (values.out) await writeFile(values.out, text);
      outText(values.out ? '' : text);
      return 0;
    }
    case 'bundle-export': {
      if (!values.out) return err({ kind: 'usage', message: 'bundle-export needs --out FILE.zip' });
      const r = await exportBundle(store, { runIds: list(values.runs), versionIds: list(values.versions) });
      if (!r.ok) return err(r.error);
      await writeFile(values.out, r.value);
      out({ ok: true, out: values.out, bytes: r.value.byteLength });
      return 0;
    }
    case 'bundle-import': {
      const file = positionals[0];
      if (!file) return err({ kind: 'usage', message: 'bundle-import needs a FILE.zip' });
      const r = await importBundle(store, new Uint8Array(await readFile(file)), file);
      if (!r.ok) return err(r.error);
      // renamed: records kept beside stored ones with the same id (nothing stored is replaced).
      out({ ok: true, ...r.value });
      return 0;
    }
    default:
      return null;
  }
}

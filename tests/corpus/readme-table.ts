/**
 * Prints the README's corpus table from tests/corpus/summary.json (written by
 * `CORPUS_SUMMARY=1 npx vitest run tests/corpus`): `npx tsx tests/corpus/readme-table.ts`.
 */
import { readFileSync } from 'node:fs';

interface Row {
  cases: number;
  ran: number;
  expectedRefusals?: number;
  clearErrors: number;
  crashes: number;
  losses: number;
  passing: number;
}

const summary = JSON.parse(readFileSync(new URL('./summary.json', import.meta.url), 'utf8')) as {
  generatedAt: string;
  total: Row;
  byCategory: Record<string, Row>;
};

const line = (name: string, r: Row, refusals: number) =>
  `| ${name} | ${r.cases} | ${refusals} | ${r.clearErrors} | ${r.ran - refusals} | ${r.crashes} | ${r.losses} | ${r.passing} |`;

const rows = Object.entries(summary.byCategory);
const totalRefusals = rows.reduce((s, [, r]) => s + (r.expectedRefusals ?? 0), 0);
console.log(
  '| Category | Cases | Must be refused | Refused with a clear error | Must load (with a note where due) | Crashes | Losses | Pass |',
);
console.log('| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
for (const [name, r] of rows) console.log(line(name, r, r.expectedRefusals ?? 0));
console.log(line('**all**', summary.total, totalRefusals));
console.log(`\n(run of ${summary.generatedAt.slice(0, 10)})`);

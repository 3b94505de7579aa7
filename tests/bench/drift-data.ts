// The drift benchmark's data: flights-200k from vega-datasets (delay, distance, time of day) and seven
// columns derived from them, so 200,000 rows × 10 features (7 numeric, 3 categorical). The first
// 100,000 rows are the reference, the last 100,000 the current data.
import { readFileSync } from 'node:fs';

export function flightsDriftCsv(): { csv: string; rows: number } {
  // The package exports only its JS entry; the data files sit beside it in node_modules.
  const path = new URL('../../node_modules/vega-datasets/data/flights-200k.json', import.meta.url).pathname;
  const rows = JSON.parse(readFileSync(path, 'utf8')) as { delay: number; distance: number; time: number }[];
  const band = (d: number) => (d < 500 ? 'under 500' : d < 1000 ? '500-999' : d < 2000 ? '1000-1999' : '2000+');
  const cls = (d: number) => (d < 0 ? 'early' : d <= 15 ? 'on time' : d <= 60 ? 'late' : 'very late');
  const lines = ['delay,distance,time,log_distance,abs_delay,delay_per_100mi,time_sin,delay_class,hour,distance_band'];
  for (const r of rows) {
    lines.push(
      [
        r.delay,
        r.distance,
        r.time,
        Math.log1p(r.distance).toFixed(6),
        Math.abs(r.delay),
        ((100 * r.delay) / r.distance).toFixed(6),
        Math.sin((2 * Math.PI * r.time) / 24).toFixed(6),
        cls(r.delay),
        `h${Math.floor(r.time)}`,
        band(r.distance),
      ].join(','),
    );
  }
  return { csv: lines.join('\n') + '\n', rows: rows.length };
}

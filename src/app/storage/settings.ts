import type { Result } from '../../core/util/result.ts';
import type { EndpointSettings, Settings } from './schema.ts';
import type { StoreContext } from './store-context.ts';

// What the app remembers across reloads (the `settings` store), for the Repository.

/** The app's settings (dataset and run shown), or none chosen yet. */
export async function getSettings(ctx: StoreContext): Promise<Settings> {
  return (
    ((await ctx.db.get('settings', 'app')) as Settings | undefined) ?? {
      key: 'app',
      dataset: null,
      selectedRun: null,
    }
  );
}

export async function getEndpointSettings(ctx: StoreContext): Promise<EndpointSettings | undefined> {
  return (await ctx.db.get('settings', 'endpoint')) as EndpointSettings | undefined;
}

/** Saves the endpoint; the auth header only when given (the caller passes it only on the person's choice). */
export function saveEndpointSettings(ctx: StoreContext, e: Omit<EndpointSettings, 'key'>): Promise<Result<void>> {
  return ctx.write('all', 'the endpoint settings', () => ctx.db.put('settings', { key: 'endpoint', ...e }));
}

/** Remembers the app's settings; a failure is ignored (they are a convenience, not a record). */
export async function saveSettings(ctx: StoreContext, s: Omit<Settings, 'key'>): Promise<void> {
  await ctx.db.put('settings', { key: 'app', ...s }).catch(() => undefined);
}

// Runs every client query of the catalog through the package, as the caller the Python test
// names for it, and prints what happened to each as JSON.
import { readFileSync } from 'node:fs';

import { getDocs } from 'firebase/firestore';
import { catalogQueries } from '@mitche/client';

import { closeAll, memberApp } from './env.js';

interface Case {
  actor: string | null;
  claims: Record<string, unknown>;
  params: Record<string, unknown>;
}

function revive(value: unknown): unknown {
  if (value && typeof value === 'object' && '$date' in value) {
    return new Date(String((value as { $date: string }).$date));
  }
  return value;
}

const cases = JSON.parse(readFileSync(process.argv[2]!, 'utf8')) as Record<string, Case>;
const outcome: Record<string, { ok: boolean; count: number; error: string }> = {};
for (const [name, item] of Object.entries(cases)) {
  const token = item.actor ? { sub: item.actor, user_id: item.actor, ...item.claims } : undefined;
  const { client } = memberApp(name, token);
  const params = Object.fromEntries(Object.entries(item.params).map(([k, v]) => [k, revive(v)]));
  const build = catalogQueries[name as keyof typeof catalogQueries] as (
    c: typeof client,
    p: Record<string, unknown>,
  ) => Parameters<typeof getDocs>[0];
  try {
    const snapshot = await getDocs(build(client, params));
    outcome[name] = { ok: true, count: snapshot.size, error: '' };
  } catch (error) {
    outcome[name] = { ok: false, count: 0, error: String(error) };
  }
}
console.log(JSON.stringify(outcome));
await closeAll();

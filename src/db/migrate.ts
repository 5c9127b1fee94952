import { readdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import {
  type Kysely,
  type Migration,
  type MigrationProvider,
  type MigrationResultSet,
  Migrator,
} from 'kysely';

// migrations/ sits two levels above this file both in the sources (src/db) and in dist/ (dist/src/db),
// so the same code finds the .ts files under vitest and the compiled .js files in production.
const MIGRATIONS_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'migrations');

class FolderMigrationProvider implements MigrationProvider {
  constructor(private readonly folder: string) {}
  async getMigrations(): Promise<Record<string, Migration>> {
    const files = (await readdir(this.folder)).filter((f) => /\.(js|ts)$/.test(f) && !f.endsWith('.d.ts'));
    const migrations: Record<string, Migration> = {};
    for (const file of files.sort()) {
      migrations[file.replace(/\.(js|ts)$/, '')] = (await import(
        pathToFileURL(join(this.folder, file)).href
      )) as Migration;
    }
    return migrations;
  }
}

export function migrator(db: Kysely<unknown>): Migrator {
  // kysely's Migrator takes a PostgreSQL advisory lock, so two `dedupe migrate` at once are safe.
  return new Migrator({ db, provider: new FolderMigrationProvider(MIGRATIONS_DIR) });
}

function unwrap(set: MigrationResultSet): string[] {
  if (set.error) {
    const failed = set.results?.find((r) => r.status === 'Error');
    throw new Error(
      `migration ${failed?.migrationName ?? ''} failed: ${(set.error as Error).message ?? set.error}`,
    );
  }
  return (set.results ?? []).map(
    (r) => `${r.direction === 'Up' ? 'applied' : 'reverted'} ${r.migrationName}`,
  );
}

export async function migrateToLatest(db: Kysely<unknown>): Promise<string[]> {
  return unwrap(await migrator(db).migrateToLatest());
}

export async function migrateDown(db: Kysely<unknown>): Promise<string[]> {
  return unwrap(await migrator(db).migrateDown());
}

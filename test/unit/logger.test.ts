import { describe, expect, it } from 'vitest';
import { createLogger } from '../../src/logger.js';

/** The JSON lines a logger writes for `log`. */
function linesOf(log: (logger: ReturnType<typeof createLogger>) => void): Record<string, unknown>[] {
  const lines: string[] = [];
  log(createLogger('info', {}, { write: (line: string) => void lines.push(line) }));
  return lines.map((l) => JSON.parse(l) as Record<string, unknown>);
}

describe('logger redaction', () => {
  it.each([
    { name: 'a personal field', obj: { email: 'ann@x.com' }, secret: 'ann@x.com' },
    { name: 'a nested contact', obj: { job: { contact: { first_name: 'Ann' } } }, secret: 'Ann' },
    {
      name: 'the API token',
      obj: { req: { headers: { authorization: 'Bearer s3cret' } } },
      secret: 's3cret',
    },
  ])('hides $name', ({ obj, secret }) => {
    const [line] = linesOf((l) => l.info(obj, 'x'));
    expect(JSON.stringify(line)).not.toContain(secret);
    expect(JSON.stringify(line)).toContain('[redacted]');
  });

  it("hides a database error's detail (it quotes the row's values), keeping its message and code", () => {
    const err = Object.assign(
      new Error('duplicate key value violates unique constraint "contacts_email_key"'),
      {
        code: '23505',
        detail: 'Key (email)=(ann@x.com) already exists.',
      },
    );
    const [top] = linesOf((l) => l.error({ err }, 'request failed'));
    expect(JSON.stringify(top)).toContain('23505');
    expect(JSON.stringify(top)).toContain('violates unique constraint');
    const [nested] = linesOf((l) => l.error({ job: { err } }, 'job failed'));
    for (const line of [top, nested]) expect(JSON.stringify(line)).not.toContain('ann@x.com');
  });
});

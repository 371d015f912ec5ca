import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { configSchema } from '../../app/config.ts';

const readme = readFileSync('README.md', 'utf8');

describe('the repository explains itself', () => {
  it("documents every setting in the README's configuration table, and only real ones", () => {
    const rows = readme.split('\n').filter((l) => /^\|\s*`[A-Z][A-Z0-9_]+`/.test(l));
    const documented = new Set(
      rows.flatMap((r) => [...r.split('|')[1]!.matchAll(/`([A-Z][A-Z0-9_]+)`/g)].map((m) => m[1]!)),
    );
    const settings = Object.keys(configSchema.shape);
    expect(settings.filter((s) => !documented.has(s))).toEqual([]);
    expect([...documented].filter((d) => !settings.includes(d))).toEqual([]);
  });

  it('points at nothing outside itself in what people read (code, comments, docs, configs)', () => {
    // CI alone may read the held-out evaluation data beside the repository
    const files = execFileSync('git', ['ls-files'], { encoding: 'utf8' })
      .split('\n')
      .filter((f) => f && !f.startsWith('.ci/') && !/\.(png|jpg|ico|woff2?)$/.test(f));
    const outside = /\.\.\/shared|CONVENTIONS\.md §|shared\/(DESIGN|SERVICES)\.md/;
    expect(files.filter((f) => outside.test(readFileSync(f, 'utf8')))).toEqual([]);
  });
});

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ALL_ERROR_CODES, ERROR_CODES } from './errors';

describe('error codes', () => {
  it('are unique, AREA.NAME shaped, and filed under their area', () => {
    expect(new Set(ALL_ERROR_CODES).size).toBe(ALL_ERROR_CODES.length);
    for (const [area, codes] of Object.entries(ERROR_CODES)) {
      for (const [name, code] of Object.entries(codes)) expect(code).toBe(`${area}.${name}`);
    }
  });

  it('are exactly the codes README.md lists', () => {
    const readme = readFileSync(join(__dirname, '..', 'README.md'), 'utf8');
    const listed = new Set([...readme.matchAll(/`([A-Z_]+\.[A-Z_]+)`/g)].map((match) => match[1]));
    expect([...listed].sort()).toEqual([...ALL_ERROR_CODES].sort());
  });
});

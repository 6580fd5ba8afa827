import { MAX_JSON_DEPTH, MAX_JSON_KEYS, jsonShapeProblem } from './json-body';

const nestedArrays = (depth: number): unknown => JSON.parse('['.repeat(depth) + ']'.repeat(depth));

describe('jsonShapeProblem', () => {
  it('accepts ordinary bodies and scalars', () => {
    expect(jsonShapeProblem({ email: 'a@b.c', tags: ['x', { y: [1, 2] }] })).toBeUndefined();
    expect(jsonShapeProblem('text')).toBeUndefined();
    expect(jsonShapeProblem(null)).toBeUndefined();
    expect(jsonShapeProblem(nestedArrays(MAX_JSON_DEPTH))).toBeUndefined();
  });

  it('refuses nesting past the bound, however deep, without exhausting the stack', () => {
    expect(jsonShapeProblem(nestedArrays(MAX_JSON_DEPTH + 1))).toMatch(/deeper than 32 levels/);
    expect(jsonShapeProblem(nestedArrays(1_000_000))).toMatch(/deeper than 32 levels/);
  });

  it('refuses more keys than the bound across the whole document', () => {
    const wide = Object.fromEntries(
      Array.from({ length: MAX_JSON_KEYS + 1 }, (_, i) => [`k${i}`, i]),
    );
    expect(jsonShapeProblem(wide)).toMatch(/more than 1000 object keys/);
  });

  it.each(['__proto__', 'constructor', 'prototype'])('refuses the key %s at any depth', (key) => {
    expect(jsonShapeProblem(JSON.parse(`{"${key}": {}}`))).toBe(`property ${key} should not exist`);
    expect(jsonShapeProblem(JSON.parse(`{"a": [{"b": {"${key}": 1}}]}`))).toBe(
      `property ${key} should not exist`,
    );
  });
});

import { BadRequestException } from '@nestjs/common';
import express, { type RequestHandler } from 'express';

export const MAX_JSON_DEPTH = 32;
export const MAX_JSON_KEYS = 1_000;
/** Keys that reach object prototypes when a body is merged or assigned somewhere downstream. */
const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/**
 * Why a parsed JSON document is refused, or undefined when its shape is acceptable. The walk is
 * iterative, so no document can exhaust the stack here; bounding depth and size here means the
 * recursive validators downstream never can either.
 */
export function jsonShapeProblem(document: unknown): string | undefined {
  const pending: Array<{ value: unknown; depth: number }> = [{ value: document, depth: 1 }];
  let keys = 0;
  for (let next = pending.pop(); next; next = pending.pop()) {
    const { value, depth } = next;
    if (value === null || typeof value !== 'object') continue;
    if (depth > MAX_JSON_DEPTH) {
      return `The request body nests objects or arrays deeper than ${MAX_JSON_DEPTH} levels`;
    }
    if (Array.isArray(value)) {
      for (const item of value as unknown[]) pending.push({ value: item, depth: depth + 1 });
      continue;
    }
    for (const [key, item] of Object.entries(value)) {
      if (FORBIDDEN_KEYS.has(key)) return `property ${key} should not exist`;
      keys += 1;
      if (keys > MAX_JSON_KEYS) {
        return `The request body has more than ${MAX_JSON_KEYS} object keys`;
      }
      pending.push({ value: item, depth: depth + 1 });
    }
  }
  return undefined;
}

/** express.json, refusing documents nested too deep, too large in keys, or aimed at prototypes. */
export function jsonBodyParser(limit: number): RequestHandler {
  const parse = express.json({ limit });
  return (req, res, next) => {
    parse(req, res, (error?: unknown) => {
      if (error) return next(error);
      const problem = jsonShapeProblem(req.body);
      next(problem === undefined ? undefined : new BadRequestException([problem]));
    });
  };
}

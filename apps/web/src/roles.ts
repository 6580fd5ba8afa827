import type { Me } from './api/session';

type Role = Me['role'];

/** Who sees which pages; the API decides the same for its routes. */
export const mayAdminister = (role: Role) => role === 'admin';
export const mayAudit = (role: Role) => role === 'admin' || role === 'auditor';

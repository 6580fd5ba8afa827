import { AuditPersonalData } from '@strongroom/audit';
import { collection } from './accounts';
import type { TestApp } from './test-app';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Audit events are appended after the response; wait for the one we expect. Returned with its
 * personal fields opened, as an auditor reads it (they are stored sealed).
 */
export async function auditEvent(t: TestApp, filter: Record<string, unknown>) {
  const deadline = Date.now() + 5_000;
  for (;;) {
    const event = await collection(t, 'audit_events').findOne(filter);
    if (event) return (await t.app.get(AuditPersonalData).reveal([event]))[0];
    if (Date.now() > deadline) throw new Error(`no audit event ${JSON.stringify(filter)}`);
    await sleep(50);
  }
}

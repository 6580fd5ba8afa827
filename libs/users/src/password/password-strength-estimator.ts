import { Injectable, type OnModuleDestroy } from '@nestjs/common';
import { Worker } from 'node:worker_threads';
import {
  PASSWORD_STRENGTH_WORKER_SOURCE,
  passwordStrengthWorkerModules,
} from './password-strength-worker-source';

/** zxcvbn's verdict: a score from 0 (trivial) to 4 (very unguessable), and why it is low. */
export interface PasswordStrength {
  score: number;
  warning?: string;
}

interface WorkerReply {
  id: number;
  score?: number;
  warning?: string;
  error?: string;
}

interface PendingEstimate {
  resolve(strength: PasswordStrength): void;
  reject(error: Error): void;
}

/**
 * Runs zxcvbn in one worker thread. Its dictionaries are about 28 MB of live heap; in the main
 * thread every full garbage collection would trace them, which slowed file transfers by a third.
 * The worker starts with the first estimate, answers requests in order, is started afresh after
 * it dies, and holds the process open only while an estimate is outstanding.
 */
@Injectable()
export class PasswordStrengthEstimator implements OnModuleDestroy {
  private worker?: Worker;
  private nextId = 0;
  private readonly pending = new Map<number, PendingEstimate>();

  estimate(password: string, userInputs: string[]): Promise<PasswordStrength> {
    const worker = this.worker ?? this.start();
    const id = this.nextId++;
    return new Promise<PasswordStrength>((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      worker.ref();
      worker.postMessage({ id, password, userInputs });
    });
  }

  async onModuleDestroy(): Promise<void> {
    const worker = this.worker;
    this.worker = undefined;
    this.failPending(new Error('the password strength check was stopped'));
    await worker?.terminate();
  }

  private start(): Worker {
    const worker = new Worker(PASSWORD_STRENGTH_WORKER_SOURCE, {
      eval: true,
      workerData: { modules: passwordStrengthWorkerModules() },
      // The worker is private to this class: no inherited stdin/--inspect flags, no env copy.
      env: {},
      execArgv: [],
    });
    worker.on('message', (reply: WorkerReply) => this.settle(worker, reply));
    worker.on('error', (error: Error) => this.retire(worker, error));
    worker.on('exit', (code) =>
      this.retire(worker, new Error(`the password strength worker exited with code ${code}`)),
    );
    this.worker = worker;
    return worker;
  }

  private settle(worker: Worker, reply: WorkerReply): void {
    const pending = this.pending.get(reply.id);
    if (!pending) return;
    this.pending.delete(reply.id);
    if (reply.error !== undefined || reply.score === undefined) {
      pending.reject(new Error(`password strength check failed: ${reply.error ?? 'no score'}`));
    } else {
      pending.resolve({ score: reply.score, warning: reply.warning });
    }
    if (this.pending.size === 0) worker.unref();
  }

  /** A dead worker takes its outstanding estimates with it; the next estimate starts a new one. */
  private retire(worker: Worker, error: Error): void {
    if (this.worker !== worker) return;
    this.worker = undefined;
    this.failPending(error);
  }

  private failPending(error: Error): void {
    for (const pending of this.pending.values()) pending.reject(error);
    this.pending.clear();
  }
}

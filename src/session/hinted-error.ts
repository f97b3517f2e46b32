import type { HintedError } from './message.js';

/**
 * The one base of every error the kit reports: a message saying what is wrong, a `hint` a beginner
 * can act on, and a broker's code where there is one. `PayloadError`, `TopicError` and
 * `MqttDiagnosticError` only name where the problem came from. DOM-free.
 */
export class MqttHintedError extends Error implements HintedError {
  readonly hint: string;
  readonly code?: number;

  constructor(message: string, hint: string, options?: { cause?: unknown; code?: number }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'MqttHintedError';
    this.hint = hint;
    if (options?.code !== undefined) this.code = options.code;
  }
}

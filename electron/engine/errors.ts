/** Errors the engine raises on purpose: each carries a contract error code and a message meant for the user. */
import type { ApiErrorCode } from '../../shared/contract.js';

export class EngineError extends Error {
  constructor(
    readonly code: ApiErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'EngineError';
  }
}

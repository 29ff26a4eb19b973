const REDACTED = '[redacted]';

/**
 * A secret read from the environment or a mounted file (a password, a private key). It prints as
 * `[redacted]` through `String()`, `JSON.stringify` (so pino) and `util.inspect` (so console.log), so a
 * config object that ends up in a log line does not carry it; `reveal()` hands the value to the one
 * client that needs it.
 */
export class Secret {
  readonly #value: string;

  constructor(value: string) {
    this.#value = value;
  }

  reveal(): string {
    return this.#value;
  }

  toString(): string {
    return REDACTED;
  }

  toJSON(): string {
    return REDACTED;
  }

  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return REDACTED;
  }
}

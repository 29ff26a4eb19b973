import { readFileSync } from 'node:fs';
import { z } from 'zod';

/** Raised at boot when an environment variable is missing or malformed; names every bad variable. */
export class ConfigValidationError extends Error {
  constructor(
    readonly namespace: string,
    readonly issues: { variable: string; message: string }[],
  ) {
    super(
      `Invalid configuration (${namespace}): ` +
        issues.map((issue) => `${issue.variable}: ${issue.message}`).join('; '),
    );
    this.name = 'ConfigValidationError';
  }
}

export interface NamespacedConfig<T> {
  namespace: string;
  /** Validates the current environment; throws ConfigValidationError naming each bad variable. */
  read(): T;
}

/**
 * A namespaced, validated config: `schema` is written against environment variable names (so errors
 * name the variable an operator must fix) and `map` turns the parsed variables into the typed config.
 */
export function defineConfig<S extends z.ZodObject, T>(
  namespace: string,
  schema: S,
  map: (env: z.output<S>) => T,
): NamespacedConfig<T> {
  const config = { namespace, read: () => parseEnv(namespace, schema, map, process.env) };
  defined.set(namespace, config);
  return config;
}

const defined = new Map<string, NamespacedConfig<unknown>>();

/**
 * Validates every config namespace defined so far (by the modules the app imports) and reports all bad
 * variables at once, so an operator fixes a manifest in one round instead of one variable per restart.
 */
export function validateDefinedConfigs(): void {
  const failures: ConfigValidationError[] = [];
  for (const config of defined.values()) {
    try {
      config.read();
    } catch (error) {
      if (!(error instanceof ConfigValidationError)) throw error;
      failures.push(error);
    }
  }
  if (failures.length > 0) {
    throw new ConfigValidationError(
      failures.map((failure) => failure.namespace).join(', '),
      failures.flatMap((failure) => failure.issues),
    );
  }
}

export function parseEnv<S extends z.ZodObject, T>(
  namespace: string,
  schema: S,
  map: (env: z.output<S>) => T,
  env: NodeJS.ProcessEnv,
): T {
  // Empty strings count as unset so that `FOO=` in a manifest falls back to the default.
  const present = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== ''));
  const parsed = schema.safeParse(present);
  if (!parsed.success) {
    throw new ConfigValidationError(
      namespace,
      parsed.error.issues.map((issue) => {
        const variable = issue.path.join('.');
        // A cross-variable rule (refine) names its variable even when that one was left at its default.
        const unset = !(variable in present) && issue.code !== 'custom';
        return { variable, message: unset ? 'is required but not set' : issue.message };
      }),
    );
  }
  return map(parsed.data);
}

/** Reusable env-var field types. */
export const env = {
  port: (fallback: number) => z.coerce.number().int().min(1).max(65535).default(fallback),
  int: (fallback: number, min = 0) => z.coerce.number().int().min(min).default(fallback),
  bool: (fallback: boolean) =>
    z
      .enum(['true', 'false', '1', '0'])
      .default(fallback ? 'true' : 'false')
      .transform((value) => value === 'true' || value === '1'),
  list: () =>
    z
      .string()
      .transform((value) =>
        value
          .split(',')
          .map((item) => item.trim())
          .filter(Boolean),
      )
      .pipe(z.array(z.string()).min(1)),
  url: () => z.url(),
  /**
   * A path whose file is read at boot (a mounted Secret, a PEM bundle); the value is the file's text. A
   * missing, unreadable or empty file is an error naming the variable. `trimNewline` drops one trailing
   * line break, which `echo` and most editors add to a password file.
   */
  file: ({ trimNewline = false } = {}) =>
    z.string().transform((path, context) => {
      let text: string;
      try {
        text = readFileSync(path, 'utf8');
      } catch (error) {
        const reason = (error as NodeJS.ErrnoException).code ?? String(error);
        context.addIssue({ code: 'custom', message: `cannot read ${path} (${reason})` });
        return z.NEVER;
      }
      if (trimNewline) text = text.replace(/\r?\n$/, '');
      if (text.trim() === '') {
        context.addIssue({ code: 'custom', message: `${path} is empty` });
        return z.NEVER;
      }
      return text;
    }),
};

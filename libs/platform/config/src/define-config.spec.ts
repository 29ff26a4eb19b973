import { z } from 'zod';
import { ConfigValidationError, env, parseEnv } from './define-config';
import { databaseConfig, kafkaConfig } from './service-config';

const service = { name: 'order', defaultPort: 3002, defaultDatabase: 'fapiao_order' };

describe('defineConfig', () => {
  it('applies defaults and maps variables to the typed config', () => {
    const schema = z.object({ PORT: env.port(3002), FLAG: env.bool(false) });
    expect(parseEnv('app', schema, (e) => e, {})).toEqual({ PORT: 3002, FLAG: false });
  });

  it('names every offending variable', () => {
    const withEnv = (vars: NodeJS.ProcessEnv) => () => {
      const saved = process.env;
      process.env = vars;
      try {
        return databaseConfig(service).read();
      } finally {
        process.env = saved;
      }
    };
    expect(withEnv({ DB_PORT: 'abc', DB_NAME: 'x;drop' })).toThrow(ConfigValidationError);
    try {
      withEnv({ DB_PORT: 'abc', DB_NAME: 'x;drop' })();
    } catch (error) {
      const issues = (error as ConfigValidationError).issues.map((issue) => issue.variable);
      expect(issues).toEqual(expect.arrayContaining(['DB_PORT', 'DB_NAME']));
      expect((error as Error).message).toMatch(/DB_PORT/);
    }
  });

  it('treats an empty variable as unset and requires the broker list', () => {
    const schema = kafkaConfig(service);
    const saved = process.env;
    process.env = { KAFKA_BROKERS: '' };
    try {
      expect(() => schema.read()).toThrow(/KAFKA_BROKERS/);
      process.env = { KAFKA_BROKERS: 'a:9092, b:9092' };
      expect(schema.read().brokers).toEqual(['a:9092', 'b:9092']);
    } finally {
      process.env = saved;
    }
  });
});

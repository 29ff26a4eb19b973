// The compiled contracts (topics, headers): the names the services use, never copies (run the build first).
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { ROOT } from '../dev-supervisor/suite.mjs';

export const { HEADERS, TOPICS, deadLetterTopic } = createRequire(import.meta.url)(
  join(ROOT, 'dist/libs/contracts/src/index.js'),
);

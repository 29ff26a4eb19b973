import { join } from 'node:path';
import { opsConsoleConfig } from './ops-console.config';
import { createConsoleServer } from './server';

// Fails at boot naming every bad variable (ConfigValidationError), like the services.
const config = opsConsoleConfig.read();
// Built by tools/build/build.mjs next to this file's folder: dist/apps/ops-console/web.
const server = createConsoleServer(config, join(__dirname, '../web'));
server.listen(config.port, () => console.log(`ops-console listening on :${config.port}`));
const stop = () => server.close(() => process.exit(0));
process.once('SIGTERM', stop);
process.once('SIGINT', stop);

// The library face of inspector2-local.
export { createEmulator, type Emulator } from './app.js';
export { startServer, type RunningServer } from './server.js';
export type { EmulatorOptions, ServerOptions, LogLevel } from './config.js';

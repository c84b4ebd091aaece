/**
 * Start an emulated GitHub with every route group registered.
 *
 *   const github = await startEmulator();
 *   const repo = github.world.createRepo('acme/app');
 *   ...
 *   await github.close();
 */
import { Emulator, type EmulatorOptions } from './emulator.js';
import { appRoutes, userRoutes } from './app/routes.js';
import { gitRoutes } from './git/routes.js';
import { issuesRoutes } from './issues/routes.js';
import { pullsRoutes } from './pulls/routes.js';
import { projectsRoutes } from './projects/routes.js';

export const ROUTE_GROUPS = [appRoutes, userRoutes, gitRoutes, issuesRoutes, pullsRoutes, projectsRoutes];

export async function startEmulator(options: EmulatorOptions = {}): Promise<Emulator> {
  return Emulator.start(options, ROUTE_GROUPS);
}

export { Emulator, type EmulatorOptions } from './emulator.js';
export { sign } from './webhooks.js';

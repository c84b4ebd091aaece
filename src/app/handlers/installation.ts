/**
 * `installation.created` and `installation_repositories.added`: each
 * repository the App is given gets its first sync, its progress shown in a
 * check run on the branch head.
 */
import type { Context, Probot } from 'probot';
import type { z } from 'zod';
import type { Intake } from '../intake.js';
import { InstallationEvent } from '../payloads.js';

type Repositories = (event: z.infer<typeof InstallationEvent>) => readonly { full_name: string }[] | undefined;

export function handleInstallation(app: Probot, intake: Intake): void {
  const install = async (context: Context, repositoriesOf: Repositories): Promise<void> => {
    const event = intake.read(context, InstallationEvent);
    if (!event) return;
    await intake.accept(context, {
      // An installation event is remembered once, whichever repositories it names.
      scope: '*',
      targets: (repositoriesOf(event) ?? []).map((repository) => ({ installation: event.installation.id, repo: repository.full_name })),
      work: { kind: 'install', reason: 'first sync' },
    });
  };
  app.on('installation.created', async (context) => install(context, (event) => event.repositories));
  app.on('installation_repositories.added', async (context) => install(context, (event) => event.repositories_added));
}

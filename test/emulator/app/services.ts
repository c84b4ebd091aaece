/**
 * Installing the app: GitHub sends `installation` and
 * `installation_repositories` to every app whether it lists them or not.
 */
import type { Emulator } from '../emulator.js';
import { installationJson, nodeId, userJson } from '../shapes.js';
import type { Installation, Repo, User } from '../state.js';

function repositoryRef(repo: Repo) {
  return { id: repo.id, node_id: nodeId('Repository', repo.id), name: repo.name, full_name: repo.fullName, private: repo.private };
}

function repos(emu: Emulator, names: string[]): Repo[] {
  return names.map((name) => {
    const repo = emu.world.repo(name);
    if (!repo) throw new Error(`no repository ${name}`);
    return repo;
  });
}

/** `sender` installs the app on `account`'s repositories: `installation.created`. */
export function installApp(emu: Emulator, sender: User, account: string, repositories: string[]): Installation {
  const installation = emu.world.install(account, repositories);
  emu.webhooks.emit('installation', {
    action: 'created',
    installation: installationJson(emu.urls, emu.world.app, installation, emu.clock.iso()),
    repositories: repos(emu, repositories).map(repositoryRef),
    requester: null,
    sender: userJson(emu.urls, sender),
  });
  return installation;
}

/** Repositories added to or removed from an installation: `installation_repositories`. */
export function changeInstallationRepositories(
  emu: Emulator,
  sender: User,
  installation: Installation,
  change: { add?: string[]; remove?: string[] },
): void {
  const added = repos(emu, change.add ?? []);
  const removed = repos(emu, change.remove ?? []);
  for (const r of added) installation.repositories.add(r.fullName.toLowerCase());
  for (const r of removed) installation.repositories.delete(r.fullName.toLowerCase());
  emu.webhooks.emit('installation_repositories', {
    action: added.length > 0 ? 'added' : 'removed',
    installation: installationJson(emu.urls, emu.world.app, installation, emu.clock.iso()),
    repository_selection: 'selected',
    repositories_added: added.map(repositoryRef),
    repositories_removed: removed.map(repositoryRef),
    requester: null,
    sender: userJson(emu.urls, sender),
  });
}

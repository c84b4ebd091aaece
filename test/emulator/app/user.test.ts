import { describe, expect, it } from 'vitest';
import { useEmulator } from '../testing.js';

describe('GET /user', () => {
  it('names the account a personal token acts as', async () => {
    const { person } = await useEmulator();
    const { data } = await person('hubot').request('GET /user');
    expect(data).toMatchObject({ login: 'hubot', type: 'User' });
  });

  it('refuses an installation token, which acts as no user', async () => {
    const { app } = await useEmulator();
    await expect(app.request('GET /user')).rejects.toMatchObject({ status: 403 });
  });
});

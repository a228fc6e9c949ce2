import { loadConfig } from '../../config';

describe('configuration', () => {
  it('starts with sensible local defaults', () => {
    const config = loadConfig({});
    expect(config.port).toBe(3000);
    expect(config.temporal).toMatchObject({
      uiPort: 8233,
      devServerPort: 7233,
      namespace: 'default',
      taskQueue: 'partner-platform',
      tls: false,
    });
    expect(config.databaseUrl).toBeUndefined();
  });

  it('fails fast, naming every bad variable', () => {
    expect(() =>
      loadConfig({ PORT: 'eighty', NODE_ENV: 'production', TEMPORAL_TLS_CERT_PATH: '/x.pem' }),
    ).toThrow(/PORT[\s\S]*AUTH_SECRET: must be set in production[\s\S]*TEMPORAL_TLS_CERT_PATH/);
  });

  it('turns TLS on for a Temporal Cloud API key', () => {
    const config = loadConfig({
      TEMPORAL_ADDRESS: 'ns.acct.tmprl.cloud:7233',
      TEMPORAL_API_KEY: 'k',
    });
    expect(config.temporal).toMatchObject({
      address: 'ns.acct.tmprl.cloud:7233',
      tls: true,
      apiKey: 'k',
    });
  });

  it('takes the program’s first month, 2019-01 by default, and refuses one that is no month', () => {
    expect(loadConfig({}).programFirstMonth).toBe('2019-01');
    expect(loadConfig({ PROGRAM_FIRST_MONTH: '2024-01' }).programFirstMonth).toBe('2024-01');
    for (const bad of ['2024-13', '2024-1', '0000-01', 'january']) {
      expect(() => loadConfig({ PROGRAM_FIRST_MONTH: bad })).toThrow(
        /PROGRAM_FIRST_MONTH: must be a month YYYY-MM/,
      );
    }
  });
});

// deploy/tidings.service: the systemd unit docs/deploy.md installs. It runs the production bundle
// as the bundle test starts it, reloads with SIGHUP (which the server takes as "re-read the config
// file"), and may write only its data directory. `systemd-analyze verify deploy/tidings.service`
// checks the syntax where systemd is installed.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../../scripts/pack-check.js';
import { SERVER_NODE_FLAGS } from '../support/server.js';

/** The unit's [Service] settings, each key with every value it is given, in order. */
function serviceSettings(): Map<string, string[]> {
  const settings = new Map<string, string[]>();
  let section = '';
  for (const line of readFileSync(join(ROOT, 'deploy/tidings.service'), 'utf8').split('\n')) {
    const header = /^\[(\w+)\]$/.exec(line);
    if (header) section = header[1] as string;
    const setting = /^(\w+)=(.*)$/.exec(line);
    if (section === 'Service' && setting) {
      const [, key, value] = setting as unknown as [string, string, string];
      settings.set(key, [...(settings.get(key) ?? []), value]);
    }
  }
  return settings;
}

describe('the systemd unit (deploy/tidings.service)', () => {
  const service = serviceSettings();
  const one = (key: string) => service.get(key)?.at(-1);
  const environment = new Map(
    (service.get('Environment') ?? []).map((value) => value.split('=', 2) as [string, string]),
  );

  it('runs the bundle with plain node and the production flag, after checking the config', () => {
    expect(one('ExecStart')).toBe(`/usr/bin/node ${SERVER_NODE_FLAGS.join(' ')} /opt/tidings/dist/main.js`);
    expect(one('ExecStartPre')).toBe('/usr/bin/node /opt/tidings/dist/main.js --check');
    expect(one('WorkingDirectory')).toBe('/opt/tidings');
    expect(environment.get('TIDINGS_CONFIG')).toBe('/etc/tidings/tidings.yaml');
  });

  it('reloads with SIGHUP to the server process', () => {
    expect(one('ExecReload')).toBe('/bin/kill -HUP $MAINPID');
    expect(one('Type')).toBe('simple');
  });

  it('runs as its own user, writes only its data directory, gains no privileges', () => {
    expect(one('User')).toBe('tidings');
    expect(one('NoNewPrivileges')).toBe('true');
    expect(one('ProtectSystem')).toBe('strict');
    const dataDir = environment.get('TIDINGS_DATA_DIR');
    expect(dataDir).toBe('/var/lib/tidings');
    expect(service.get('ReadWritePaths')).toEqual([dataDir]);
    expect(one('StateDirectory')).toBe('tidings');
    expect(one('CapabilityBoundingSet')).toBe('');
    // V8 writes machine code at run time: this one would stop the server.
    expect(service.has('MemoryDenyWriteExecute')).toBe(false);
  });
});

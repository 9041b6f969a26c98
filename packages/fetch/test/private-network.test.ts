import { afterEach, describe, expect, it } from 'vitest';
import { nonPublicKind } from '../src/private-network.js';
import { closeAll, fetchError, page, startServer, testFetcher } from './helpers.js';

afterEach(closeAll);

describe('private-network targets', () => {
  it('refuses loopback by default, by address and by name, before sending anything', async () => {
    const server = await startServer((_request, response) => page(response, 'internal'));
    const fetcher = testFetcher({ allowPrivateNetwork: undefined }); // the default

    const byAddress = await fetchError(fetcher.fetch(`${server.origin}/admin`));
    expect(byAddress.code).toBe('private-network');
    expect(byAddress.attempts).toBe(1);
    expect(byAddress.message).toBe(
      `GET ${server.origin}/admin was refused: 127.0.0.1 is a loopback address; Tidings does not fetch ` +
        'private-network targets: pass allowPrivateNetwork: true if you mean to (e.g. a server on this machine)',
    );

    // A name is checked on the addresses the connection actually uses.
    const byName = await fetchError(fetcher.fetch(`http://localhost:${server.port}/admin`));
    expect(byName.code).toBe('private-network');
    expect(byName.attempts).toBe(1);

    const ipv6 = await fetchError(fetcher.fetch(`http://[::1]:${server.port}/admin`));
    expect(ipv6.code).toBe('private-network');

    expect(server.requests).toHaveLength(0);
  });

  it('reports the page, not its robots.txt, when the host turns out to be private', async () => {
    const server = await startServer((_request, response) => page(response, 'internal'));
    const fetcher = testFetcher({ allowPrivateNetwork: undefined, robots: true });
    const error = await fetchError(fetcher.fetch(`http://localhost:${server.port}/admin`));
    expect(error.code).toBe('private-network');
    expect(error.url).toBe(`http://localhost:${server.port}/admin`);
    expect(error.message).toMatch(/^GET http:\/\/localhost:\d+\/admin was refused: localhost resolves to/);
    expect(server.requests).toHaveLength(0);
  });

  it('allows it for one request when asked', async () => {
    const server = await startServer((_request, response) => page(response, 'local'));
    const fetcher = testFetcher({ allowPrivateNetwork: false });
    const result = await fetcher.fetch(`${server.origin}/`, { allowPrivateNetwork: true });
    expect(result.status).toBe(200);
  });
});

describe('nonPublicKind', () => {
  it.each([
    ['127.0.0.1', 'loopback'],
    ['127.255.0.9', 'loopback'],
    ['::1', 'loopback'],
    ['[::1]', 'loopback'],
    ['10.1.2.3', 'private'],
    ['172.16.0.1', 'private'],
    ['172.31.255.255', 'private'],
    ['192.168.1.1', 'private'],
    ['169.254.169.254', 'link-local'],
    ['fe80::1', 'link-local'],
    ['fe80::1%eth0', 'link-local'],
    ['100.64.0.1', 'carrier-grade NAT'],
    ['100.127.255.255', 'carrier-grade NAT'],
    ['fc00::1', 'unique-local'],
    ['fd12:3456::1', 'unique-local'],
    ['0.0.0.0', 'unspecified'],
    ['::', 'unspecified'],
    ['::ffff:127.0.0.1', 'loopback'],
    ['::ffff:7f00:1', 'loopback'],
    ['::ffff:10.0.0.1', 'private'],
    ['::ffff:169.254.169.254', 'link-local'],
  ])('%s is %s', (address, kind) => {
    expect(nonPublicKind(address)).toBe(kind);
  });

  it.each([
    '8.8.8.8',
    '172.32.0.1',
    '100.128.0.1',
    '192.169.0.1',
    '2606:4700:4700::1111',
    '::ffff:8.8.8.8',
    'example.gov.cn',
  ])('%s is public (or not an address)', (address) => {
    expect(nonPublicKind(address)).toBeUndefined();
  });
});

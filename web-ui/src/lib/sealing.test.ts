// @vitest-environment node
import { readFileSync, writeFileSync, existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fromBase64, openSealed, sealFor, type AgentKey, type SealedForAgent } from './sealing';

// shared with the agent's SealedSecretsInteropTest, which opens with Bouncy Castle what this test sealed with @hpke/core
const fixtures = resolve(__dirname, '../../../practice-agent/src/test/resources/sealing');
const key = JSON.parse(readFileSync(resolve(fixtures, 'test-key.json'), 'utf8')) as {
  privateKey: string;
  publicKey: string;
  keyId: string;
  checkId: string;
  name: string;
  secret: string;
};
const agent: AgentKey = {
  agentId: '00000000-0000-0000-0000-000000000001',
  hostname: 'reception-pc',
  keyId: key.keyId,
  publicKey: key.publicKey,
};
const sealedByWebUi = resolve(fixtures, 'sealed-by-web-ui.json');
const sealedByAgent = resolve(fixtures, 'sealed-by-agent.json');

describe('sealing a secret to an agent', () => {
  it('seals with a fresh ephemeral key each time, so the same secret never looks the same', async () => {
    const first = await sealFor(agent, key.checkId, key.name, key.secret);
    const second = await sealFor(agent, key.checkId, key.name, key.secret);

    expect(fromBase64(first.encapsulatedKey)).toHaveLength(65);
    expect(fromBase64(first.ciphertext)).toHaveLength(new TextEncoder().encode(key.secret).length + 16);
    expect(first.ciphertext).not.toEqual(second.ciphertext);
    expect(first.ciphertext).not.toContain(btoa('correct'));
    expect(await openSealed(fromBase64(key.privateKey), key.checkId, key.name, first)).toBe(key.secret);
  });

  it('cannot be opened for another check: the aad binds it to its check and name', async () => {
    const sealed = await sealFor(agent, key.checkId, key.name, key.secret);

    await expect(openSealed(fromBase64(key.privateKey), 'nas-copy', key.name, sealed)).rejects.toThrow();
  });

  it('writes the fixture the agent opens, when asked, and opens the committed one', async () => {
    if (process.env.RAMPART_WRITE_SEALING_FIXTURE === '1' || !existsSync(sealedByWebUi)) {
      const sealed = await sealFor(agent, key.checkId, key.name, key.secret);
      writeFileSync(sealedByWebUi, JSON.stringify(sealed, null, 2) + '\n');
    }
    const committed = JSON.parse(readFileSync(sealedByWebUi, 'utf8')) as SealedForAgent;

    expect(await openSealed(fromBase64(key.privateKey), key.checkId, key.name, committed)).toBe(key.secret);
  });

  it('opens what the agent sealed with Bouncy Castle', async () => {
    const committed = JSON.parse(readFileSync(sealedByAgent, 'utf8')) as SealedForAgent;

    expect(await openSealed(fromBase64(key.privateKey), key.checkId, key.name, committed)).toBe(key.secret);
  });
});

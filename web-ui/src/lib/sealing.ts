// Sealing a check's secret in the browser to each of the practice's agents, so the control plane only ever holds
// ciphertext it cannot open: HPKE (RFC 9180) base mode, DHKEM(P-256, HKDF-SHA256) / HKDF-SHA256 / AES-128-GCM, with
// @hpke/core (WebCrypto). The agent opens it with Bouncy Castle (practice-agent config/SealedSecrets.java): the info
// and aad below must stay the same on both sides (SealedSecretsInteropTest opens what this file sealed).
import { Aes128Gcm, CipherSuite, DhkemP256HkdfSha256, HkdfSha256 } from '@hpke/core';

export const SEALING_INFO = 'rampart sealed secret v1';

/** The aad binds a ciphertext to its check and secret, so it cannot be moved to another one. */
export function sealingAad(checkId: string, name: string): string {
  return `${checkId}/${name}`;
}

/** An agent of the practice as the control plane describes it: its key as HPKE's P-256 point (base64 of 65 bytes). */
export interface AgentKey {
  agentId: string;
  hostname: string;
  keyId: string;
  publicKey: string;
}

/** What the browser sends for one agent: never the secret itself. */
export interface SealedForAgent {
  agentId: string;
  keyId: string;
  encapsulatedKey: string;
  ciphertext: string;
}

export function sealingSuite(): CipherSuite {
  return new CipherSuite({ kem: new DhkemP256HkdfSha256(), kdf: new HkdfSha256(), aead: new Aes128Gcm() });
}

const encoder = new TextEncoder();

export function toBase64(bytes: ArrayBuffer | Uint8Array): string {
  const view = bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes);
  let text = '';
  view.forEach((b) => {
    text += String.fromCharCode(b);
  });
  return btoa(text);
}

export function fromBase64(text: string): Uint8Array {
  return Uint8Array.from(atob(text), (c) => c.charCodeAt(0));
}

function buffer(bytes: Uint8Array): ArrayBuffer {
  return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
}

/** Seals one secret (UTF-8) for one agent. */
export async function sealFor(agent: AgentKey, checkId: string, name: string, secret: string): Promise<SealedForAgent> {
  const suite = sealingSuite();
  const recipientPublicKey = await suite.kem.importKey('raw', buffer(fromBase64(agent.publicKey)), true);
  const sender = await suite.createSenderContext({ recipientPublicKey, info: buffer(encoder.encode(SEALING_INFO)) });
  const ciphertext = await sender.seal(
    buffer(encoder.encode(secret)),
    buffer(encoder.encode(sealingAad(checkId, name))),
  );
  return {
    agentId: agent.agentId,
    keyId: agent.keyId,
    encapsulatedKey: toBase64(sender.enc),
    ciphertext: toBase64(ciphertext),
  };
}

/** Seals one secret for every agent that has a key; the secret stays in this function. */
export async function sealForAll(
  agents: AgentKey[],
  checkId: string,
  name: string,
  secret: string,
): Promise<SealedForAgent[]> {
  return Promise.all(agents.map((agent) => sealFor(agent, checkId, name, secret)));
}

/** Opens a sealed secret with a raw P-256 private key (32 bytes); the agent's side, for tests. */
export async function openSealed(
  privateKey: Uint8Array,
  checkId: string,
  name: string,
  sealed: SealedForAgent,
): Promise<string> {
  const suite = sealingSuite();
  const recipientKey = await suite.kem.importKey('raw', buffer(privateKey), false);
  const recipient = await suite.createRecipientContext({
    recipientKey,
    enc: buffer(fromBase64(sealed.encapsulatedKey)),
    info: buffer(encoder.encode(SEALING_INFO)),
  });
  const plain = await recipient.open(
    buffer(fromBase64(sealed.ciphertext)),
    buffer(encoder.encode(sealingAad(checkId, name))),
  );
  return new TextDecoder().decode(plain);
}

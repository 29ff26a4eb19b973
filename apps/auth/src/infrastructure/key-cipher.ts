import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

/** Encrypts private signing keys at rest with the key-encryption key from a Secret (AES-256-GCM). */
export class KeyCipher {
  constructor(private readonly keyEncryptionKey: Buffer) {}

  encrypt(plaintext: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.keyEncryptionKey, iv);
    const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return [iv, cipher.getAuthTag(), body].map((part) => part.toString('base64')).join('.');
  }

  decrypt(encrypted: string): string {
    const [iv, tag, body] = encrypted.split('.').map((part) => Buffer.from(part, 'base64'));
    const decipher = createDecipheriv('aes-256-gcm', this.keyEncryptionKey, iv);
    decipher.setAuthTag(tag);
    return Buffer.concat([decipher.update(body), decipher.final()]).toString('utf8');
  }
}

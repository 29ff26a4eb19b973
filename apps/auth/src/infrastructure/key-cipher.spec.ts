import { randomBytes } from 'node:crypto';
import { KeyCipher } from './key-cipher';

describe('KeyCipher', () => {
  it('round-trips and refuses a different key-encryption key', () => {
    const cipher = new KeyCipher(randomBytes(32));
    const encrypted = cipher.encrypt('-----BEGIN PRIVATE KEY-----');
    expect(encrypted).not.toContain('PRIVATE');
    expect(cipher.decrypt(encrypted)).toBe('-----BEGIN PRIVATE KEY-----');
    expect(() => new KeyCipher(randomBytes(32)).decrypt(encrypted)).toThrow();
  });
});

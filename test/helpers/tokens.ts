import { SignJWT } from 'jose';

export const TEST_SECRET = 'berth-test-secret-that-is-long-enough-for-hs256';

/** An HS256 token with Berth's claims, signed with TEST_SECRET unless told otherwise. */
export function token(claims: { namespaces: string[]; role: string }, options: { expiresIn?: string | number; secret?: string } = {}): Promise<string> {
  return new SignJWT(claims)
    .setProtectedHeader({ alg: 'HS256' })
    .setIssuedAt()
    .setExpirationTime(options.expiresIn ?? '1h')
    .sign(new TextEncoder().encode(options.secret ?? TEST_SECRET));
}

import { createPrivateKey, sign, type KeyObject } from 'node:crypto';

/** What @octokit/auth-app's `createJwt` option returns. */
export interface AppJwt {
  jwt: string;
  /** ISO time; auth-app mints a new JWT after it. */
  expiresAt: string;
}

/** GitHub accepts an app JWT for at most 10 minutes. */
const LIFETIME_SECONDS = 600;
/** Issued 30 s in the past, so a host clock slightly ahead of GitHub's is not "issued in the future". */
const CLOCK_MARGIN_SECONDS = 30;

const base64url = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');

/** A JWT is reused for this long: it then has over 4 minutes left, more than any one request's retries take. */
const REUSE_SECONDS = 300;

/**
 * The GitHub App JWT (RS256 over `{ iat, exp, iss }`), signed with node:crypto. @octokit/auth-app's own
 * signer goes through WebCrypto, which takes PKCS#8 only (a GitHub key is PKCS#1, so it is converted on
 * every call) and costs ~8 ms on a cold start; here the key is parsed once and signing takes ~1.5 ms.
 * auth-app asks for a JWT on every App-level call (a diff's installation look-up, then its token): one is
 * signed per app and clock correction and reused for REUSE_SECONDS, so a worker can sign it while its
 * job's claim is in flight (GithubApp.prepare) and its first GitHub calls sign nothing (issue #20).
 * `timeDifference` is auth-app's correction when GitHub said our clock is off.
 */
export function appJwtSigner(privateKeyPem: string, now: () => number = Date.now): (appId: string | number, timeDifference?: number) => Promise<AppJwt> {
  let key: KeyObject | undefined;
  let last: { appId: string | number; timeDifference: number; signedAt: number; jwt: AppJwt } | undefined;
  function signed(appId: string | number, timeDifference: number): AppJwt {
    const at = now();
    if (last && last.appId === appId && last.timeDifference === timeDifference && at >= last.signedAt && at - last.signedAt < REUSE_SECONDS * 1000) return last.jwt;
    // Literal `\n` in a one-line .env value stand for line breaks.
    key ??= createPrivateKey(privateKeyPem.replace(/\\n/g, '\n'));
    const issuedAt = Math.floor(at / 1000) + timeDifference - CLOCK_MARGIN_SECONDS;
    const expiresAt = issuedAt + LIFETIME_SECONDS;
    const claims = `${base64url({ alg: 'RS256', typ: 'JWT' })}.${base64url({ iat: issuedAt, exp: expiresAt, iss: appId })}`;
    const signature = sign('sha256', Buffer.from(claims), key).toString('base64url');
    const jwt = { jwt: `${claims}.${signature}`, expiresAt: new Date(expiresAt * 1000).toISOString() };
    last = { appId, timeDifference, signedAt: at, jwt };
    return jwt;
  }
  // auth-app awaits the JWT: a bad key fails as a rejection, as its own signer does.
  return (appId, timeDifference = 0) => new Promise((resolve) => resolve(signed(appId, timeDifference)));
}

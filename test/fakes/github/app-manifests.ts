import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { DOCS, error, userObject, type GithubRooms, type Json } from './shared';

/**
 * The GitHub App manifest flow (docs.github.com/apps/sharing-github-apps/registering-a-github-app-from-a-manifest):
 * the browser posts a manifest to github.com/settings/apps/new, GitHub creates the App and redirects to the
 * manifest's redirect_url with a `code`, and the code is exchanged, once and within one hour, by
 * `POST /app-manifests/{code}/conversions` (no authentication) for the App's id, PEM and webhook secret.
 * Tests play the browser and github.com with `issueCode`.
 */
export interface FakeAppManifests {
  /** What github.com does when the user clicks "Create GitHub App": stores the App and returns the redirect's code. */
  issueCode(manifest: Json, options?: { org?: string; issuedAt?: number }): string;
  /** The Apps created through conversions, with the private keys GitHub handed out. */
  created: { id: number; slug: string; manifest: Json; pem: string; webhookSecret: string }[];
}

/** A code is valid for one hour after GitHub issues it, and for one conversion. */
const CODE_LIFETIME_MS = 3_600_000;

export function mountAppManifests(rooms: GithubRooms, now: () => number = Date.now): FakeAppManifests {
  const codes = new Map<string, { manifest: Json; org?: string; issuedAt: number }>();
  const created: FakeAppManifests['created'] = [];

  rooms.open('POST', '/app-manifests/:code/conversions', ({ params }) => {
    const code = params.code ?? '';
    const issued = codes.get(code);
    if (!issued || now() - issued.issuedAt > CODE_LIFETIME_MS) return error(404, 'Not Found', { documentation_url: `${DOCS}/apps/apps#create-a-github-app-from-a-manifest` });
    codes.delete(code);
    const { manifest } = issued;
    const id = rooms.ids.next++;
    const name = typeof manifest.name === 'string' ? manifest.name : 'Fluxline';
    const slug = name.toLowerCase().replace(/[^a-z0-9]+/g, '-');
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048, publicKeyEncoding: { type: 'spki', format: 'pem' }, privateKeyEncoding: { type: 'pkcs1', format: 'pem' } });
    const webhookSecret = randomBytes(20).toString('hex');
    created.push({ id, slug, manifest, pem: privateKey, webhookSecret });
    const owner = issued.org ? userObject(issued.org, 'Organization') : userObject('octocat', 'User');
    return {
      status: 201,
      body: {
        id,
        slug,
        node_id: Buffer.from(`App${id}`).toString('base64'),
        owner,
        name,
        description: manifest.description ?? '',
        external_url: manifest.url,
        html_url: `https://github.com/apps/${slug}`,
        created_at: new Date(now()).toISOString(),
        updated_at: new Date(now()).toISOString(),
        permissions: manifest.default_permissions ?? {},
        events: manifest.default_events ?? [],
        client_id: `Iv1.${randomBytes(8).toString('hex')}`,
        client_secret: randomBytes(20).toString('hex'),
        webhook_secret: webhookSecret,
        pem: privateKey,
      },
    };
  });

  return {
    created,
    issueCode(manifest, options = {}) {
      const code = randomBytes(20).toString('hex');
      codes.set(code, { manifest, issuedAt: options.issuedAt ?? now(), ...(options.org ? { org: options.org } : {}) });
      return code;
    },
  };
}

import { UnsafeTarball } from './errors';

type TreeNode = { kind: 'dir' } | { kind: 'file'; written: boolean } | { kind: 'symlink'; target: string };

/** Linux's own limit on links followed in one lookup (ELOOP). */
const MAX_LINK_HOPS = 40;

/**
 * What a PR tarball has put in the checkout so far, kept in memory so every entry is judged against
 * everything before it: a path written through a link, a name used twice, a hard link to anything but a
 * file. Symbolic links are only recorded here: they are judged (`checkLinks`) and created once the whole
 * archive is known, because a later link can change where an earlier one leads (a chain is a chain).
 */
export class CheckoutTree {
  private readonly nodes = new Map<string, TreeNode>([['', { kind: 'dir' }]]);
  private readonly symlinks: string[] = [];

  /** Records a folder; false when it was already there (folders may repeat, nothing else may). */
  addDir(path: string): boolean {
    this.claimParents(path);
    const existing = this.nodes.get(path);
    if (existing?.kind === 'dir') return false;
    if (existing) throw new UnsafeTarball(`${JSON.stringify(path)} appears twice, as a ${existing.kind} and as a folder`);
    this.nodes.set(path, { kind: 'dir' });
    return true;
  }

  addFile(path: string, written: boolean): void {
    this.claim(path, { kind: 'file', written });
  }

  addSymlink(path: string, target: string): void {
    if (target === '' || target.startsWith('/') || target.includes('\0')) throw new UnsafeTarball(`link ${JSON.stringify(path)} -> ${JSON.stringify(target)} is absolute or empty`);
    this.claim(path, { kind: 'symlink', target });
    this.symlinks.push(path);
  }

  /** A hard link must name a regular file already in the archive; its answer says whether that file is on disk. */
  addHardLink(path: string, target: string): boolean {
    const node = this.nodes.get(target);
    if (node?.kind !== 'file') throw new UnsafeTarball(`hard link ${JSON.stringify(path)} -> ${JSON.stringify(target)} does not name a file earlier in the archive`);
    this.claim(path, { kind: 'file', written: node.written });
    return node.written;
  }

  /** Every symbolic link with where it resolves, once all of them are known; throws for one that leaves the checkout. */
  checkLinks(): { path: string; target: string }[] {
    return this.symlinks.map((path) => {
      const node = this.nodes.get(path);
      const target = node?.kind === 'symlink' ? node.target : '';
      const resolved = this.resolve(parentParts(path), target, { hops: 0 }, path);
      if (resolved.length === 0) throw new UnsafeTarball(`link ${JSON.stringify(path)} -> ${JSON.stringify(target)} leads to the checkout folder itself`);
      return { path, target };
    });
  }

  /**
   * Walks `target` from `from` as the kernel would, following every recorded link on the way. A part
   * that does not exist is walked as a folder, which can only make the walk stricter than the kernel's
   * (which would stop there). Climbing above the checkout at any step is refused, even to come back in.
   */
  private resolve(from: string[], target: string, state: { hops: number }, link: string): string[] {
    let at = [...from];
    for (const part of target.split('/')) {
      if (part === '' || part === '.') continue;
      if (part === '..') {
        if (at.length === 0) throw new UnsafeTarball(`link ${JSON.stringify(link)} leads outside the checkout`);
        at.pop();
        continue;
      }
      at.push(part);
      const node = this.nodes.get(at.join('/'));
      if (node?.kind === 'symlink') {
        if (++state.hops > MAX_LINK_HOPS) throw new UnsafeTarball(`link ${JSON.stringify(link)} goes round a loop of links`);
        at = this.resolve(at.slice(0, -1), node.target, state, link);
      }
    }
    return at;
  }

  private claim(path: string, node: TreeNode): void {
    this.claimParents(path);
    const existing = this.nodes.get(path);
    if (existing) throw new UnsafeTarball(`${JSON.stringify(path)} appears twice, as a ${existing.kind} and as a ${node.kind}`);
    this.nodes.set(path, node);
  }

  /** Every parent must be a folder: a path through a link would be written wherever that link leads. */
  private claimParents(path: string): void {
    const parts = path.split('/');
    for (let i = 1; i < parts.length; i++) {
      const parent = parts.slice(0, i).join('/');
      const node = this.nodes.get(parent);
      if (!node) this.nodes.set(parent, { kind: 'dir' });
      else if (node.kind === 'symlink') throw new UnsafeTarball(`${JSON.stringify(path)} would be written through the link ${JSON.stringify(parent)}`);
      else if (node.kind === 'file') throw new UnsafeTarball(`${JSON.stringify(path)} would be written inside the file ${JSON.stringify(parent)}`);
    }
  }
}

const parentParts = (path: string): string[] => path.split('/').slice(0, -1);

/**
 * The path of an entry inside the checkout: GitHub wraps everything in one `owner-repo-sha/` folder,
 * which is dropped. '' is that folder itself. Absolute paths and `..` anywhere are refused outright.
 */
export function checkoutPath(entryPath: string): string {
  if (entryPath.startsWith('/') || /^[A-Za-z]:/.test(entryPath) || entryPath.includes('\0')) throw new UnsafeTarball(`entry ${JSON.stringify(entryPath)} points outside the checkout`);
  const parts = entryPath.split('/').filter((part) => part !== '' && part !== '.');
  if (parts.includes('..')) throw new UnsafeTarball(`entry ${JSON.stringify(entryPath)} points outside the checkout`);
  return parts.slice(1).join('/');
}

import { randomBytes } from 'node:crypto';
import type { Channels } from './chat';
import { BOT, fail, isRecord, ok, str, structured, type SlackRooms } from './shared';

/**
 * files.uploadV2's three steps as WebClient takes them: files.getUploadURLExternal hands out an upload
 * URL of this fake, the bytes are POSTed there, and files.completeUploadExternal shares the files in a
 * channel (or thread), or keeps them private without one.
 */

export interface FakeFile {
  id: string;
  /** '' when the upload was completed without a channel (a private file). */
  channel: string;
  threadTs?: string;
  filename: string;
  title?: string;
  content: string;
  initialComment?: string;
}

/** The bytes POSTed to an upload_url: WebClient sends them as the multipart part `body`; a raw body works too. */
async function uploadedContent(contentType: string, raw: Buffer): Promise<string> {
  if (!contentType.startsWith('multipart/form-data')) return raw.toString('utf8');
  const form = await new Response(raw, { headers: { 'content-type': contentType } }).formData();
  const parts = [...form.values()];
  const file = parts.find((value) => typeof value !== 'string');
  if (file) return file.text();
  return parts.find((value) => typeof value === 'string') ?? '';
}

export function mountFiles(rooms: SlackRooms, channels: Channels): { files: FakeFile[] } {
  const files: FakeFile[] = [];
  const pendingUploads = new Map<string, { filename: string; length: number; content?: string }>();

  rooms.api('files.getUploadURLExternal', (params) => {
    const filename = str(params, 'filename');
    const length = Number(str(params, 'length'));
    if (!filename || !Number.isInteger(length) || length < 0) return fail('invalid_arguments');
    const id = `F${randomBytes(5).toString('hex').toUpperCase()}`;
    pendingUploads.set(id, { filename, length });
    return ok({ upload_url: `${rooms.base()}/upload/v1/${id}`, file_id: id });
  });

  rooms.api('files.completeUploadExternal', (params) => {
    const parsed = structured(params, 'files');
    if (!Array.isArray(parsed.value) || parsed.value.length === 0) return fail('invalid_arguments');
    const entries = parsed.value as unknown[];
    const channel = str(params, 'channel_id') ?? '';
    if (channel && channels.unknownChannel(channel)) return fail('channel_not_found');
    const threadTs = str(params, 'thread_ts');
    const problem = channel ? channels.threadProblem(channel, threadTs) : undefined;
    if (problem) return problem;
    const ids = entries.map((entry) => (isRecord(entry) && typeof entry.id === 'string' ? entry.id : ''));
    if (ids.some((id) => pendingUploads.get(id)?.content === undefined)) return fail('file_not_found');
    const initialComment = str(params, 'initial_comment');
    const completed = entries.map((entry, i) => {
      const id = ids[i] ?? '';
      const upload = pendingUploads.get(id) ?? { filename: '', length: 0 };
      pendingUploads.delete(id);
      const title = isRecord(entry) && typeof entry.title === 'string' ? entry.title : undefined;
      const file: FakeFile = { id, channel, filename: upload.filename, content: upload.content ?? '', ...(title ? { title } : {}), ...(threadTs ? { threadTs } : {}), ...(initialComment ? { initialComment } : {}) };
      files.push(file);
      return { id, name: file.filename, title: title ?? file.filename, mimetype: 'text/plain', filetype: 'text', size: Buffer.byteLength(file.content), user: BOT.user_id, channels: channel ? [channel] : [], permalink: `https://fluxline-test.slack.com/files/${BOT.user_id}/${id}/${file.filename}` };
    });
    return ok({ files: completed });
  });

  rooms.route('/upload/v1/:id(F[0-9A-F]+)', async ({ params, headers, raw }) => {
    const upload = pendingUploads.get(params.id ?? '');
    if (!upload) return { status: 404, body: 'Not Found' };
    upload.content = await uploadedContent(headers['content-type'] ?? '', raw);
    return { status: 200, body: `OK - ${Buffer.byteLength(upload.content)}` };
  });

  return { files };
}

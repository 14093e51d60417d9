/**
 * File uploads as `multipart/form-data` (a browser's form, `curl -F`): text fields and one file,
 * read whole into memory up to a size limit. @fastify/multipart's own errors become the API's:
 * not multipart → 415 `multipart_required`; a file over the limit → 422 `too_large` (the same
 * refusal as a file that is too large once read); too many parts → 413.
 */
import multipart from '@fastify/multipart';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { HttpError, unprocessable } from './errors.js';

export interface Upload {
  /** The text fields, by name (the last one wins). */
  fields: Record<string, string>;
  /** The file part named as asked, if one was sent. */
  file: { bytes: Buffer; filename: string; mimetype: string } | null;
}

const MAX_FIELDS = 20;

/** Lets the routes of `app` (its plugin scope) read multipart bodies. */
export async function acceptMultipart(app: FastifyInstance): Promise<void> {
  await app.register(multipart, {
    limits: { fields: MAX_FIELDS, files: 1, parts: MAX_FIELDS + 1, fieldSize: 64 * 1024 },
  });
}

function codeOf(err: unknown): string | undefined {
  return typeof err === 'object' && err !== null && 'code' in err ? String(err.code) : undefined;
}

export async function readUpload(
  request: FastifyRequest,
  options: { fileField: string; maxBytes: number },
): Promise<Upload> {
  if (!request.isMultipart())
    throw new HttpError(
      415,
      'multipart_required',
      'Send the form as multipart/form-data, the audio in the `file` part',
    );
  const fields: Record<string, string> = {};
  let file: Upload['file'] = null;
  try {
    for await (const part of request.parts({ limits: { fileSize: options.maxBytes } })) {
      if (part.type === 'field') {
        if (typeof part.value === 'string') fields[part.fieldname] = part.value;
      } else if (part.fieldname === options.fileField) {
        file = { bytes: await part.toBuffer(), filename: part.filename, mimetype: part.mimetype };
      } else {
        // A file under another name: read and dropped, so the rest of the form can be read.
        part.file.resume();
      }
    }
  } catch (err) {
    switch (codeOf(err)) {
      case 'FST_REQ_FILE_TOO_LARGE':
        throw unprocessable('too_large', `The file is over ${options.maxBytes} bytes`);
      case 'FST_PARTS_LIMIT':
      case 'FST_FILES_LIMIT':
      case 'FST_FIELDS_LIMIT':
        throw new HttpError(413, 'too_many_parts', 'The form has too many parts or files');
      default:
        // Anything else the parser throws is a form it could not read (cut short, bad headers).
        if (err instanceof HttpError) throw err;
        throw new HttpError(
          400,
          'malformed_multipart',
          `The form could not be read: ${(err as Error).message}`,
        );
    }
  }
  return { fields, file };
}

/** The server's version, from package.json at the package root. */
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const packageJson = resolve(dirname(fileURLToPath(import.meta.url)), '../../package.json');

export const VERSION: string = (
  JSON.parse(readFileSync(packageJson, 'utf8')) as { version: string }
).version;

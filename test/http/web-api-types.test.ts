/** The web application's API types are those of the API as it is now. */
import { readFileSync } from 'node:fs';
import t from 'tap';
import { WEB_API_TYPES, webApiTypes } from '../../scripts/web-api-types.js';

t.test('web/src/api/openapi.d.ts matches the server’s OpenAPI document', async (t) => {
  const committed = readFileSync(WEB_API_TYPES, 'utf8');
  t.ok(committed === (await webApiTypes()), 'current (if not: npm run web:types)');
});

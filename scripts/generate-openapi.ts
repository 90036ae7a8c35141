// `npm run generate`: writes the OpenAPI document and its types derived from the AWS model.
import { writeFileSync } from 'node:fs';
import { generate, OPENAPI_FILE, TYPES_FILE } from './openapi-from-model.js';

const { openapi, types } = await generate();
writeFileSync(OPENAPI_FILE, openapi);
writeFileSync(TYPES_FILE, types);
console.log(`wrote ${OPENAPI_FILE.pathname} and ${TYPES_FILE.pathname}`);

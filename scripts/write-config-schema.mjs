// Writes ticket-sync.schema.json from the built zod schema: `npm run schema`.
import { writeFileSync } from 'node:fs';
import { configJsonSchemaText } from '../dist/config/json-schema.js';

writeFileSync(new URL('../ticket-sync.schema.json', import.meta.url), configJsonSchemaText());

import { describe, expect, it } from 'vitest';
// @ts-expect-error — a plain .mjs tool without type declarations
import { describeReadme } from '../../../tools/readme-examples.mjs';

// Every ```ts block of the README runs as written against the built dist/ (`pnpm build` first),
// and every `// →` comment is the line it prints.
describeReadme(new URL('../README.md', import.meta.url), { describe, it, expect });

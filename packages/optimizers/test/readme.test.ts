import { describe, expect, it } from 'vitest';
// @ts-expect-error: a plain-JS tool without type declarations
import { describeReadme } from '../../../tools/readme-examples.mjs';

// Every ```js / ```ts block of the README runs as written, against the built dist/.
describeReadme(new URL('../README.md', import.meta.url), { describe, it, expect });

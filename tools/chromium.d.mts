/** Where Chromium is: `CHROMIUM_PATH`, else Debian's `/usr/bin/chromium`. */
export declare const CHROMIUM_PATH: string;
/** The launch flags (playwright-core's `args`). */
export declare const CHROMIUM_ARGS: readonly string[];

import { ensureConsoleBuilt } from '../src/server/console-build.ts';

/** `npm run build:web`, and the `prepare` step of `npm install` / `npm ci`: builds the console when its files changed. */
const built = await ensureConsoleBuilt((line) => console.log(line));
if (!built) console.log('the console is already built (web/dist is current)');

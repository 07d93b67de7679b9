// The filter tests that need no Postgres, in one process: the mutation run (stryker.config.json)
// starts a process per test file for every mutant, and one process instead of five makes it about
// four times faster. `npm test` does not run this file (it is not a *.test.ts).
import './match.test.ts';
import './parser.test.ts';
import './regex.test.ts';
import './scanner.test.ts';
import './vectors.test.ts';

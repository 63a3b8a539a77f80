// Chapter 16: a configuration module for twistd, as the original's fastpoetry .tac file: it
// builds the fast poetry server 2.0's service tree and exports it as `application`, which
// `npx tsx lib/cli/twistd.ts -y lib/poetry/fastpoetry-tac.ts` runs (tested in test/cli/twistd.test.ts).
// A configuration module takes no arguments; these two environment variables stand in for them.
import { Application } from '../application/service';
import { makeFastPoetryService } from './fast-service';

const port = Number(process.env.FASTPOETRY_PORT ?? 10000); // 0: a free port
const poem = process.env.FASTPOETRY_POEM ?? 'poetry/ecstasy.txt'; // relative to where twistd runs

// The tree: Application 'fastpoetry' > MultiService > [PoetryService, TCPServer].
export const application = new Application('fastpoetry');
makeFastPoetryService({ port, iface: '127.0.0.1', poem }).setServiceParent(application);

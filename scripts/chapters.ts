// `npm run chapters [NN... | zh/NN... | zh] [--fast] [--store]`: executes chapters headless (zh/NN:
// the Chinese one, zh: all of them), prints each one's timing output, and fails on any cell error
// (printing the failing cell's source and stderr).
//   --fast   the quick parameters CI uses    --store  save the executed notebooks (real outputs)
import { parseArgs } from 'node:util';
import { chapterFiles, describeFailure, FAST_ENV, runNotebook, timingLines } from './notebooks';

async function main(): Promise<void> {
  const { values, positionals } = parseArgs({
    options: { fast: { type: 'boolean' }, store: { type: 'boolean' } },
    allowPositionals: true,
  });
  let failures = 0;
  for (const file of chapterFiles(positionals)) {
    const run = await runNotebook(file, { env: values.fast ? FAST_ENV : {}, store: values.store });
    console.log(`== ${run.name}: ${run.ok ? 'ok' : 'FAILED'} in ${run.seconds.toFixed(1)} s`);
    for (const line of timingLines(run)) console.log(`   ${line}`);
    if (!run.ok) {
      failures++;
      console.error(describeFailure(run));
    }
  }
  if (failures > 0) {
    console.error(`${failures} chapter(s) failed`);
    process.exitCode = 1;
  }
}

main().catch((error: unknown) => {
  console.error(`chapters: ${(error as Error).message.split('\n')[0]}`);
  process.exitCode = 1;
});

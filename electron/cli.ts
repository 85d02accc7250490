// `wirescope`: the engine in a terminal (info, list, fields, detail). Bundled by
// scripts/build-cli.mjs into out/cli/wirescope.mjs; bin/wirescope.mjs runs the bundle, or this
// source through tsx when no bundle has been built.
import { run } from './cli/run';

// `wirescope list big.pcap | head` closes the pipe early: that is the reader's choice, not an error.
process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  if (e.code === 'EPIPE') process.exit(0);
  throw e;
});

process.exitCode = await run(process.argv.slice(2), { out: process.stdout, err: process.stderr });

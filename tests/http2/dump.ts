// Developer aid: prints what Wirescope makes of every HTTP/2 frame of a capture (columns, chosen
// fields, messages), to set beside `tshark -d tcp.port==N,http2 -T fields`.
// Usage: npx tsx tests/http2/dump.ts FILE [-e FIELD]…
import { fieldColumn } from '../../shared/dissect/query';
import { dissectFile } from '../support/dissect-file';

const [file, ...rest] = process.argv.slice(2);
const fields = rest.filter((f) => f !== '-e');
for (const d of dissectFile(file).frames) {
  if (!d.protocols.includes('http2')) continue;
  console.log(
    [
      d.frame,
      d.protocols.join(':'),
      d.columns.protocol,
      d.columns.info,
      ...fields.map((f) => fieldColumn(d, f)),
    ].join('\t'),
  );
  for (const m of d.messages ?? []) console.log('   msg', m.role, m.substream ?? '', m.label);
}

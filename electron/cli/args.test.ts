import { describe, expect, it } from 'vitest';
import {
  parseArgs,
  parseDecodeAs,
  readCommandArgs,
  sharedOption,
  UsageError,
  type SharedOptions,
} from './args';

describe('parseArgs', () => {
  it('reads tshark-style field options in either spelling', () => {
    const c = parseArgs([
      'fields',
      'x.pcap',
      '-e',
      'ip.src',
      '-eip.dst',
      '-E',
      'header=y',
      '-Eseparator=/s',
      '-E',
      'aggregator=|',
      '-E',
      'occurrence=f',
      '-c',
      '10',
      '-2',
    ]);
    expect(c).toMatchObject({
      name: 'fields',
      file: 'x.pcap',
      fields: ['ip.src', 'ip.dst'],
      header: true,
      separator: ' ',
      aggregator: '|',
      occurrence: 'f',
      count: 10,
      twoPass: true,
    });
    expect(parseArgs(['detail', '--frame=7', 'x.pcap', '--json'])).toMatchObject({
      name: 'detail',
      frame: 7,
      json: true,
    });
    expect(parseArgs(['list', '--', '-odd-name.pcap']).file).toBe('-odd-name.pcap');
  });

  it('turns -d into a table, keys and a protocol', () => {
    expect(parseDecodeAs('tcp.port==8081,http2')).toEqual({
      table: 'tcp.port',
      keys: [8081],
      proto: 'http2',
    });
    expect(parseDecodeAs('udp.port==5000-5002,rtp').keys).toEqual([5000, 5001, 5002]);
    expect(parseDecodeAs('tcp.port==8080:3,http').keys).toEqual([8080, 8081, 8082]);
    expect(() => parseDecodeAs('tcp.port=8081,http2')).toThrow(UsageError);
    expect(() => parseDecodeAs('tcp.port==9-1,http')).toThrow(/empty or too large/);
  });

  it('says what is wrong with a command line', () => {
    const cases: [string[], RegExp][] = [
      [[], /no command/],
      [['lst', 'x'], /unknown command "lst"/],
      [['info'], /no capture file/],
      [['info', 'a', 'b'], /one capture file at a time/],
      [['info', 'x', '-e', 'ip.src'], /info: unknown option "-e"/],
      [['fields', 'x'], /at least one -e/],
      [['fields', 'x', '-e'], /-e needs a value/],
      [['detail', 'x'], /--frame N/],
      [['detail', 'x', '--frame', '0'], /positive whole number, got "0"/],
      [['list', 'x', '-c', '-1'], /positive whole number/],
      [['fields', 'x', '-e', 'a', '-E', 'quote=d'], /unknown option/],
    ];
    for (const [argv, msg] of cases) expect(() => parseArgs(argv), argv.join(' ')).toThrow(msg);
  });

  it('answers help and version before anything else', () => {
    expect(parseArgs(['--help']).name).toBe('help');
    expect(parseArgs(['list', '-h']).name).toBe('help');
    expect(parseArgs(['--version']).name).toBe('version');
  });
});

describe('readCommandArgs and sharedOption (the one-file commands)', () => {
  const read = (argv: string[], into: SharedOptions, attached = 'dY') => {
    const seen: string[] = [];
    const file = readCommandArgs('cmd', argv, attached, (o) => {
      if (sharedOption('cmd', o, into)) return;
      if (o.name === '--level') return void seen.push(`${o.name}=${o.value()}`);
      throw new UsageError(`cmd: unknown option "${o.name}"`);
    });
    return { file, seen };
  };

  it('reads the shared options in every spelling, and the one file (- included)', () => {
    const into: SharedOptions = { streams: [], decodeAs: [], filter: '' };
    const r = read(
      [
        '--stream',
        'tcp:1',
        '--stream=udp:0',
        '-dtcp.port==81,http',
        '-d',
        'udp.port==5000,dns',
        '-Ytcp',
        '--level=both',
        '-',
      ],
      into,
    );
    expect(r).toEqual({ file: '-', seen: ['--level=both'] });
    expect(into.streams).toEqual([
      { proto: 'tcp', stream: 1 },
      { proto: 'udp', stream: 0 },
    ]);
    expect(into.decodeAs!.map((d) => `${d.table}:${d.keys.join()}:${d.proto}`)).toEqual([
      'tcp.port:81:http',
      'udp.port:5000:dns',
    ]);
    expect(into.filter).toBe('tcp');
  });

  it('an option the command has no place for is its own to refuse; bad values and files are usage errors', () => {
    expect(() => read(['f', '-Y', 'tcp'], { decodeAs: [] })).toThrow('cmd: unknown option "-Y"');
    expect(() => read(['f', '--stream', 'sctp:1'], { streams: [] })).toThrow(
      'cmd: --stream "sctp:1": expected tcp:N or udp:N',
    );
    expect(() => read(['f', '-d'], { decodeAs: [] })).toThrow('cmd: -d needs a value');
    expect(() => read(['-Ytcp'], { filter: '' })).toThrow('cmd: no capture file given');
    expect(() => read(['a', 'b'], {})).toThrow('cmd: one capture file at a time (got 2)');
    // Attached values only for the letters the command lists.
    expect(() => read(['f', '-Ytcp'], { filter: '' }, 'd')).toThrow('cmd: unknown option "-Ytcp"');
  });
});

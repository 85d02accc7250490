import { describe, expect, it } from 'vitest';
import { parseArgs, parseDecodeAs, UsageError } from './args';

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

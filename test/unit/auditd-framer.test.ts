/**
 * The `auditd-events` framer: records grouped into events by serial (EOE, interleaving, the window), byte-exact raw,
 * positions at every chunk boundary, and the field parser (quoting, hex, `msg='…'`, ENRICHED with and without its
 * GS separator, long EXECVE arguments).
 */
import { describe, expect, it } from 'vitest';
import { AuditdFramer, WINDOW, eventJson, parseFields } from '../../electron/engine/formats/auditd-framer.js';
import { collectSink, feed } from '../support/collect-sink.js';

const limits = { maxRecordBytes: 1 << 20 };

function frame(text: string | Buffer, cuts: number[] = [], truncated = false) {
  const sink = collectSink();
  const f = new AuditdFramer(sink, limits);
  feed((b) => f.push(b), text, cuts);
  f.end(truncated);
  return sink;
}

const L = {
  sys: 'type=SYSCALL msg=audit(1604996384.965:93777): arch=c000003e syscall=59 success=yes exit=0 auid=1000 uid=0 comm="dd" exe="/bin/dd" key=(null)',
  exe: 'type=EXECVE msg=audit(1604996384.965:93777): argc=2 a0="dd" a1=69663D2F6465762F7A65726F',
  pt: 'type=PROCTITLE msg=audit(1604996384.965:93777): proctitle=64640069663D2F6465762F7A65726F',
  eoe: 'type=EOE msg=audit(1604996384.965:93777): ',
  auth: "type=USER_AUTH msg=audit(1604996385.001:93778): pid=1 uid=0 auid=4294967295 ses=4294967295 msg='op=PAM:authentication acct=\"alice\" exe=\"/usr/sbin/sshd\" hostname=203.0.113.9 addr=203.0.113.9 terminal=ssh res=failed'",
};

describe('AuditdFramer', () => {
  it('groups an event by serial, keeps each line byte-exact and is the same at every chunk boundary', () => {
    const text = `----\ntime->Tue Nov 10 08:19:44 2020\n${L.sys}\r\n${L.exe}\n${L.pt}\n${L.eoe}\n\n${L.auth}\n`;
    const want = [
      { raw: [L.sys, L.exe, L.pt, L.eoe].join('\n'), line: 3, offset: text.indexOf(L.sys) },
      { raw: L.auth, line: 8, offset: text.indexOf(L.auth) },
    ];
    for (const cuts of [[], [1], [50, 51, 52], [text.length - 1], Array.from({ length: text.length - 1 }, (_, i) => i + 1)]) {
      const sink = frame(text, cuts);
      expect(sink.rejects).toEqual([]);
      expect(sink.records.map(({ raw, line, offset }) => ({ raw, line, offset }))).toEqual(want);
    }
    const p = JSON.parse(frame(text).records[0]!.parsed!);
    expect(p).toMatchObject({
      time: '1604996384.965',
      serial: '93777',
      node: null,
      types: ['SYSCALL', 'EXECVE', 'PROCTITLE', 'EOE'],
      main: 'SYSCALL',
      syscall: 'execve',
      argv: ['dd', 'if=/dev/zero'],
      proctitle: 'dd if=/dev/zero',
    });
    expect(p.f).toMatchObject({ comm: 'dd', exe: '/bin/dd', key: null, auid: '1000', syscall: '59' });
  });

  it('keeps interleaved records of two events apart and emits in first-line order', () => {
    const a1 = 'type=SYSCALL msg=audit(1.000:1): syscall=2 success=no exit=-13 auid=7';
    const b1 = 'type=SYSCALL msg=audit(1.000:2): syscall=2 success=yes exit=3';
    const a2 = 'type=PATH msg=audit(1.000:1): item=0 name="/etc/shadow" nametype=NORMAL';
    const b2 = 'type=PATH msg=audit(1.000:2): item=0 name=2F746D702F6120622063 nametype=CREATE';
    const sink = frame([a1, b1, a2, b2].join('\n'));
    expect(sink.records.map((r) => r.raw)).toEqual([`${a1}\n${a2}`, `${b1}\n${b2}`]);
    expect(sink.records.map((r) => JSON.parse(r.parsed!).path_target)).toEqual(['/etc/shadow', '/tmp/a b c']);
  });

  it('closes an event that waited WINDOW lines: a late record of the same serial starts a new event', () => {
    const first = 'type=SYSCALL msg=audit(2.000:10): syscall=59';
    const others = Array.from({ length: WINDOW }, (_, i) => `type=USER_CMD msg=audit(2.000:${100 + i}): cmd=6C73`);
    const late = 'type=PATH msg=audit(2.000:10): item=0 name="/bin/ls"';
    const sink = frame([first, ...others, late].join('\n'));
    expect(sink.records).toHaveLength(WINDOW + 2);
    expect(sink.records[0]!.raw).toBe(first);
    expect(sink.records.at(-1)!.raw).toBe(late);
    expect(JSON.parse(sink.records[1]!.parsed!).f.cmd).toBe('ls');
  });

  it('reads ausearch output: records newest first (EOE leading), events between "----" lines', () => {
    const sink = frame(`----\ntime->x\n${L.eoe}\n${L.pt}\n${L.exe}\n${L.sys}\n----\ntime->y\n${L.auth}\n`);
    expect(sink.records.map((r) => [r.line, JSON.parse(r.parsed!).types])).toEqual([
      [3, ['EOE', 'PROCTITLE', 'EXECVE', 'SYSCALL']],
      [9, ['USER_AUTH']],
    ]);
    expect(JSON.parse(sink.records[0]!.parsed!).main).toBe('SYSCALL');
  });

  it('separates events of different nodes with the same serial', () => {
    const sink = frame('node=a type=USER_CMD msg=audit(3.0:5): x=1\nnode=b type=USER_CMD msg=audit(3.0:5): x=2\n');
    expect(sink.records.map((r) => JSON.parse(r.parsed!).node)).toEqual(['a', 'b']);
  });

  it('rejects a line without an audit header on its own, and the cut-off line of a damaged stream', () => {
    const sink = frame(`garbage line\n${L.auth}\ntype=USER_CMD msg=audit(4.0:`, [], true);
    expect(sink.records.map((r) => r.line)).toEqual([2]);
    expect(sink.rejects.map((r) => [r.line, r.reason])).toEqual([
      [1, 'not an auditd record: no "type=<TYPE> msg=audit(<time>:<serial>)" header'],
      [3, 'record truncated: the stream ended inside this line (damaged input)'],
    ]);
  });
});

describe('parseFields', () => {
  it('flattens msg=\'…\' (outer fields win) and keeps unquoted multi-word values', () => {
    const r = parseFields("pid=2940 uid=0 auid=1000 msg='op=adding group to /etc/group id=1004 uid=5 exe=\"/usr/sbin/groupadd\" res=success'", 'ADD_GROUP');
    expect(r.fields).toMatchObject({ pid: '2940', uid: '0', auid: '1000', op: 'adding group to /etc/group', id: '1004', exe: '/usr/sbin/groupadd', res: 'success' });
    expect(r.fields['msg']).toMatch(/^op=adding group/);
  });
  it('reads ENRICHED fields after GS, and when the GS byte was lost', () => {
    const withGs = parseFields('auid=1000 key="k"\x1dAUID="bob" UID="root"', 'SYSCALL');
    expect(withGs).toMatchObject({ fields: { auid: '1000', key: 'k' }, enriched: { AUID: 'bob', UID: 'root' } });
    const lost = parseFields('sig=11 res=1AUID="bui" UID="bui" cap_frootid=0OUID="root"', 'ANOM_ABEND');
    expect(lost.fields).toMatchObject({ sig: '11', res: '1' });
    expect(lost.enriched).toMatchObject({ AUID: 'bui', UID: 'bui' });
    const quoted = parseFields('comm="bash" key="susp_shell"ARCH=x86_64 SYSCALL=execve', 'SYSCALL');
    expect(quoted).toMatchObject({ fields: { comm: 'bash', key: 'susp_shell' }, enriched: { ARCH: 'x86_64', SYSCALL: 'execve' } });
  });
  it('decodes hex only where the field is an encoded string', () => {
    const r = parseFields('argc=2 a0=2F62696E a1_len=6 a1[0]=6C6F6E67 a1[1]=6172 id=1004', 'EXECVE');
    expect(r.fields).toMatchObject({ a0: '/bin', 'a1[0]': 'long', 'a1[1]': 'ar', id: '1004' });
    // SYSCALL arguments are pointers, not strings.
    expect(parseFields('a0=7ffd9f580560 a1=237f568', 'SYSCALL').fields).toMatchObject({ a0: '7ffd9f580560', a1: '237f568' });
    expect(parseFields('key=6B31016B32', 'SYSCALL').fields['key']).toBe('k1,k2');
    // A long argument comes in pieces (a1_len, a1[0], a1[1]…), possibly over several EXECVE records.
    const ev = JSON.parse(eventJson('1.0', '1', null, [parseFields('argc=3 a0="x" a1_len=6 a1[0]=6C6F6E67', 'EXECVE'), parseFields('a1[1]=6172 a2="z"', 'EXECVE')]));
    expect(ev.argv).toEqual(['x', 'longar', 'z']);
  });
});

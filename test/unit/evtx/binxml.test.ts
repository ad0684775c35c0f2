/**
 * BinXML decoding on synthetic chunks: templates (inline definition and
 * reference by offset), substitutions (normal/optional, NULL handling,
 * arrays, nested BinXML), name table, character/entity references, CDATA,
 * processing instructions, escaping, the element layout without dependency
 * identifier, and the EventData/UserData flattening rule.
 */

import { describe, expect, it } from 'vitest';
import { parseEvtxChunk, type EvtxDamage, type EvtxRecord } from '../../../electron/engine/formats/evtx/index.js';
import {
  ChunkWriter,
  SYSTEM_TEMPLATE,
  V,
  eventDataTemplate,
  filetimeOf,
  systemValues,
  type Doc,
  type Template,
} from './evtx-synth.js';

const T0 = filetimeOf('2019-03-19T23:34:25.1234567Z');

function readChunk(w: ChunkWriter): Array<EvtxRecord | EvtxDamage> {
  return parseEvtxChunk(w.finish(), 0, 4096);
}

function records(items: Array<EvtxRecord | EvtxDamage>): EvtxRecord[] {
  const damage = items.filter((i): i is EvtxDamage => i.kind === 'damage');
  expect(damage.map((d) => d.reason)).toEqual([]);
  return items.filter((i): i is EvtxRecord => i.kind === 'record');
}

function single(doc: Doc): EvtxRecord {
  const w = new ChunkWriter();
  w.record({ id: 1n, time: T0, doc });
  const recs = records(readChunk(w));
  expect(recs.length).toBe(1);
  return recs[0]!;
}

const EVENT_XMLNS = 'xmlns="http://schemas.microsoft.com/win/2004/08/events/event"';
const SYSTEM_XML_HEAD =
  '<Provider Name="Test-Provider" Guid="{54849625-5478-4994-A5BA-3E3B0328C30D}"/><EventID>4624</EventID><Level>4</Level>' +
  '<Keywords>0x8020000000000000</Keywords><TimeCreated SystemTime="2019-03-19T23:34:25.1234567Z"/>';

describe('templates and substitutions', () => {
  const payloadT = eventDataTemplate(0x2222, ['SubjectUserName', 'TargetUserName']);

  it('decodes a System template with a nested BinXML EventData payload', () => {
    const rec = single({
      template: SYSTEM_TEMPLATE,
      values: systemValues({
        eventId: 4624,
        time: T0,
        eventRecordId: 887106n,
        payload: V.binxml({ template: payloadT, values: [V.str('alice'), V.str('bob')] }),
      }),
    });
    expect(rec.recordId).toBe(1n);
    expect(rec.headerTime).toBe('2019-03-19T23:34:25.1234567Z');
    expect(rec.system).toEqual({
      provider: 'Test-Provider',
      providerGuid: '{54849625-5478-4994-A5BA-3E3B0328C30D}',
      eventSourceName: null,
      eventId: 4624,
      qualifiers: null,
      version: null,
      level: 4,
      task: null,
      opcode: null,
      keywords: '0x8020000000000000',
      timeCreated: '2019-03-19T23:34:25.1234567Z',
      eventRecordId: '887106',
      activityId: null,
      relatedActivityId: null,
      processId: null,
      threadId: null,
      channel: 'Security',
      computer: 'host.example',
      userId: null,
    });
    expect({ ...rec.eventData }).toEqual({ SubjectUserName: 'alice', TargetUserName: 'bob' });
    expect(rec.xml).toBe(
      `<Event ${EVENT_XMLNS}><System>${SYSTEM_XML_HEAD}<EventRecordID>887106</EventRecordID><Correlation/>` +
        '<Channel>Security</Channel><Computer>host.example</Computer><Security/></System>' +
        '<EventData><Data Name="SubjectUserName">alice</Data><Data Name="TargetUserName">bob</Data></EventData></Event>',
    );
  });

  it('reuses a template defined by an earlier record (reference by offset) and shares names', () => {
    const w = new ChunkWriter();
    for (let i = 1; i <= 3; i++) {
      w.record({
        id: BigInt(i),
        time: T0 + BigInt(i),
        doc: {
          template: SYSTEM_TEMPLATE,
          values: systemValues({
            eventId: 4624 + i,
            time: T0,
            eventRecordId: 100n + BigInt(i),
            payload: V.binxml({ template: payloadT, values: [V.str(`u${i}`), V.str(`t${i}`)] }),
          }),
        },
      });
    }
    // The later records are far shorter: no inline definition, no inline names.
    expect(w.records[1]!.size).toBeLessThan(w.records[0]!.size / 2);
    const recs = records(readChunk(w));
    expect(recs.map((r) => [r.recordId, r.system.eventId, r.system.eventRecordId, r.eventData.SubjectUserName, r.eventData.TargetUserName])).toEqual([
      [1n, 4625, '101', 'u1', 't1'],
      [2n, 4626, '102', 'u2', 't2'],
      [3n, 4627, '103', 'u3', 't3'],
    ]);
  });

  it('leaves out attributes and elements whose optional substitution is NULL, keeps normal NULL as empty', () => {
    const t: Template = {
      id: 0x3333,
      body: {
        el: 'Event',
        children: [
          { el: 'Correlation', attrs: [['ActivityID', { sub: 0, type: 0x0f, optional: true }], ['RelatedActivityID', { sub: 1, type: 0x0f, optional: true }]] },
          { el: 'EventID', attrs: [['Qualifiers', { sub: 2, type: 0x06, optional: true }]], children: [{ sub: 3, type: 0x06 }] },
          { el: 'Gone', attrs: [['A', { text: 'x' }]], children: [{ sub: 4, optional: true }] },
          { el: 'EmptyNormal', children: [{ sub: 5 }] },
          { el: 'Mixed', children: [{ text: 'a' }, { sub: 6, optional: true }] },
        ],
      },
    };
    const guid = Uint8Array.from([0x33, 0x22, 0x11, 0x00, 0x55, 0x44, 0x77, 0x66, 0x88, 0x99, 0xaa, 0xbb, 0xcc, 0xdd, 0xee, 0xff]);
    const rec = single({ template: t, values: [V.raw(0x0f, guid), V.null(), V.null(), V.u16(7036), V.null(), V.null(), V.null()] });
    expect(rec.xml).toBe(
      '<Event><Correlation ActivityID="{00112233-4455-6677-8899-AABBCCDDEEFF}"/><EventID>7036</EventID><EmptyNormal/><Mixed>a</Mixed></Event>',
    );
  });

  it('repeats an element once per array item and keeps empty items in place', () => {
    const t: Template = {
      id: 0x4444,
      body: { el: 'Event', children: [{ el: 'EventData', children: [{ el: 'Data', children: [{ sub: 0, type: 0x81 }] }, { el: 'Binary', children: [{ sub: 1, type: 0x0e, optional: true }] }] }] },
    };
    const rec = single({ template: t, values: [V.raw(0x81, [...Buffer.from('\0sa\0x&y\0', 'utf16le')]), V.raw(0x0e, [0xde, 0xad, 0x01])] });
    expect(rec.xml).toBe('<Event><EventData><Data/><Data>sa</Data><Data>x&amp;y</Data><Binary>DEAD01</Binary></EventData></Event>');
    expect({ ...rec.eventData }).toEqual({ Data: '', Data1: 'sa', Data2: 'x&y', Binary: 'DEAD01' });
  });

  it('drops <Binary> when its optional value is NULL (classic events without binary data)', () => {
    const t: Template = {
      id: 0x4445,
      body: { el: 'Event', children: [{ el: 'EventData', children: [{ el: 'Data', children: [{ sub: 0, type: 0x81 }] }, { el: 'Binary', children: [{ sub: 1, type: 0x0e, optional: true }] }] }] },
    };
    const rec = single({ template: t, values: [V.raw(0x81, [...Buffer.from('only\0', 'utf16le')]), V.null()] });
    expect(rec.xml).toBe('<Event><EventData><Data>only</Data></EventData></Event>');
    expect({ ...rec.eventData }).toEqual({ Data: 'only' });
  });

  it('joins non-string arrays item by item and renders an empty array as one empty element', () => {
    const t: Template = {
      id: 0x4446,
      body: {
        el: 'E',
        children: [
          { el: 'U', children: [{ sub: 0, type: 0x88 }] },
          { el: 'G', children: [{ sub: 1, type: 0x81 }] },
          { el: 'A', attrs: [['v', { sub: 2, type: 0x86 }]] },
        ],
      },
    };
    const rec = single({ template: t, values: [V.raw(0x88, [1, 0, 0, 0, 0xff, 0xff, 0xff, 0xff]), V.raw(0x81, []), V.raw(0x86, [1, 0, 2, 0])] });
    expect(rec.xml).toBe('<E><U>1</U><U>4294967295</U><G/><A v="1, 2"/></E>');
  });
});

describe('value types', () => {
  const types: Array<[string, number, number[] | Uint8Array, string]> = [
    ['int8', 0x03, [0xff], '-1'],
    ['uint8', 0x04, [0xff], '255'],
    ['int16', 0x05, [0x00, 0x80], '-32768'],
    ['uint16', 0x06, [0xff, 0xff], '65535'],
    ['int32', 0x07, [0xfe, 0xff, 0xff, 0xff], '-2'],
    ['uint32', 0x08, [0xff, 0xff, 0xff, 0xff], '4294967295'],
    ['int64', 0x09, [0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff], '-1'],
    ['int64 min', 0x09, [0, 0, 0, 0, 0, 0, 0, 0x80], '-9223372036854775808'],
    ['uint64', 0x0a, [0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff], '18446744073709551615'],
    ['uint64 small', 0x0a, [0x2a, 0, 0, 0, 0, 0, 0, 0], '42'],
    ['real32', 0x0b, [0xcd, 0xcc, 0xcc, 0x3d], '0.1'],
    ['real64', 0x0c, [0, 0, 0, 0, 0, 0, 0xf8, 0x3f], '1.5'],
    ['bool true', 0x0d, [1, 0, 0, 0], 'true'],
    ['bool false', 0x0d, [0, 0, 0, 0], 'false'],
    ['binary', 0x0e, [0x00, 0x0a, 0xff], '000AFF'],
    ['guid', 0x0f, [0x25, 0x96, 0x84, 0x54, 0x78, 0x54, 0x94, 0x49, 0xa5, 0xba, 0x3e, 0x3b, 0x03, 0x28, 0xc3, 0x0d], '{54849625-5478-4994-A5BA-3E3B0328C30D}'],
    ['size_t 64', 0x10, [0x00, 0x10, 0, 0, 0, 0, 0, 0], '0x1000'],
    ['size_t 32', 0x10, [0xef, 0xbe, 0xad, 0xde], '0xdeadbeef'],
    ['filetime', 0x11, [0x87, 0xd6, 0x12, 0x00, 0x00, 0x00, 0x00, 0x00], '1601-01-01T00:00:00.1234567Z'],
    ['systemtime', 0x12, [0xe3, 0x07, 3, 0, 2, 0, 19, 0, 23, 0, 34, 0, 25, 0, 0x7b, 0], '2019-03-19T23:34:25.1230000Z'],
    ['sid', 0x13, [1, 5, 0, 0, 0, 0, 0, 5, 21, 0, 0, 0, 0x82, 0xda, 0x97, 0x5e, 0xa2, 0xd0, 0x2a, 0x59, 0x73, 0x3e, 0xb6, 0x3d, 0x52, 0x04, 0, 0], 'S-1-5-21-1587010178-1495978146-1035353715-1106'],
    ['sid S-1-5-18', 0x13, [1, 1, 0, 0, 0, 0, 0, 5, 18, 0, 0, 0], 'S-1-5-18'],
    ['hexint32', 0x14, [0x68, 0x04, 0, 0], '0x468'],
    ['hexint64', 0x15, [0xe7, 0x03, 0, 0, 0, 0, 0, 0], '0x3e7'],
    ['hexint64 high', 0x15, [0, 0, 0, 0, 0, 0, 0x20, 0x80], '0x8020000000000000'],
    ['ansi string', 0x02, [0x61, 0xe9, 0x00], 'aé'],
    ['string with trailing NULs', 0x01, [...Buffer.from('ab\0\0', 'utf16le')], 'ab'],
  ];
  it.each(types)('%s (type %i) renders as Event Viewer does', (_name, type, bytes, expected) => {
    const t: Template = {
      id: 0x5000 + type,
      body: { el: 'Event', children: [{ el: 'EventData', children: [{ el: 'Data', attrs: [['Name', { text: 'v' }]], children: [{ sub: 0, type }] }] }] },
    };
    const rec = single({ template: t, values: [V.raw(type, bytes)] });
    expect(rec.eventData.v).toBe(expected);
  });

  it('reports a value too short for its type as damage naming the offset', () => {
    const t: Template = { id: 0x5999, body: { el: 'E', children: [{ sub: 0, type: 0x08 }] } };
    const w = new ChunkWriter();
    const at = w.record({ id: 1n, time: T0, doc: { template: t, values: [V.raw(0x08, [1, 2])] } });
    const items = readChunk(w);
    expect(items.length).toBe(1);
    const d = items[0] as EvtxDamage;
    expect(d.kind).toBe('damage');
    expect(d.recordId).toBe(1n);
    expect(d.fileOffset).toBe(4096 + at);
    expect(d.reason).toMatch(/^record 1 at file offset 0x[0-9a-f]+ \(chunk 0 offset 0x[0-9a-f]+\): BinXML value type 0x8 needs 4 bytes, has 2 \(value at 0x[0-9a-f]+\) at file offset/);
  });
});

describe('markup', () => {
  it('renders character and entity references, CDATA and processing instructions, escaping text and attributes', () => {
    const rec = single({
      element: {
        el: 'Event',
        attrs: [['a', [{ text: 'x"<' }, { charref: 0x26 }, { entity: 'quot' }]]],
        children: [
          { el: 'T', children: [{ text: 'a<b & c>\r\n' }, { charref: 0x41 }, { entity: 'amp' }, { entity: 'custom' }] },
          { el: 'C', children: [{ cdata: 'raw <x> ]]> end' }] },
          { pi: ['target', 'some data'] },
          { el: 'Ctl', children: [{ text: 'bell\u0007' }] },
        ],
      },
    });
    expect(rec.xml).toBe(
      '<Event a="x&quot;&lt;&amp;&quot;"><T>a&lt;b &amp; c&gt;&#13;\n&#65;&amp;&custom;</T>' +
        '<C><![CDATA[raw <x> ]]]]><![CDATA[> end]]></C><?target some data?><Ctl>bell&#x7;</Ctl></Event>',
    );
  });

  it('reads elements whose header has no dependency identifier (forwarded-event layout)', () => {
    const rec = single({
      element: {
        el: 'Event',
        noDep: true,
        children: [
          {
            el: 'System',
            noDep: true,
            children: [
              { el: 'EventID', noDep: true, children: [{ text: '1149' }] },
              { el: 'TimeCreated', noDep: true, attrs: [['SystemTime', { text: '2021-12-16T10:25:32.351835800Z' }]] },
              { el: 'Channel', noDep: true, children: [{ text: 'Ops' }] },
            ],
          },
          { el: 'UserData', noDep: true, children: [{ el: 'EventXML', noDep: true, children: [{ el: 'Param1', noDep: true, children: [{ text: 'admmig' }] }] }] },
        ],
      },
    });
    expect([rec.system.eventId, rec.system.timeCreated, rec.system.channel]).toEqual([1149, '2021-12-16T10:25:32.3518358Z', 'Ops']);
    expect({ ...rec.eventData }).toEqual({ Param1: 'admmig' });
  });
});

describe('EventData/UserData flattening', () => {
  it('keys unnamed Data as Data, Data1, ... and suffixes repeated names in document order', () => {
    const rec = single({
      element: {
        el: 'Event',
        children: [
          {
            el: 'EventData',
            children: [
              { el: 'Data', children: [{ text: 'first' }] },
              { el: 'Data', attrs: [['Name', { text: 'Data1' }]], children: [{ text: 'named Data1' }] },
              { el: 'Data', children: [{ text: 'second' }] },
              { el: 'Data', attrs: [['Name', { text: 'X' }]], children: [{ text: 'x1' }] },
              { el: 'Data', attrs: [['Name', { text: 'X' }]], children: [{ text: 'x2' }] },
              { el: 'Data', attrs: [['Name', { text: '__proto__' }]], children: [{ text: 'p' }] },
              { el: 'Data', attrs: [['Name', { text: 'toString' }]] },
            ],
          },
        ],
      },
    });
    expect(Object.entries(rec.eventData)).toEqual([
      ['Data', 'first'],
      ['Data1', 'named Data1'],
      ['Data2', 'second'],
      ['X', 'x1'],
      ['X1', 'x2'],
      ['__proto__', 'p'],
      ['toString', ''],
    ]);
    expect('constructor' in rec.eventData).toBe(false);
  });

  it('flattens UserData leaves at any depth, suffixing repeated leaf names', () => {
    const rec = single({
      element: {
        el: 'Event',
        children: [
          { el: 'System', children: [{ el: 'EventID', children: [{ text: '5858' }] }] },
          {
            el: 'UserData',
            children: [
              {
                el: 'Operation_ClientFailure',
                attrs: [['xmlns', { text: 'http://manifests.microsoft.com/win/2006/windows/WMI' }]],
                children: [
                  { el: 'Id', children: [{ text: '{00000000-0000-0000-0000-000000000000}' }] },
                  { el: 'Item', children: [{ el: 'Name', children: [{ text: 'a' }] }, { el: 'Name', children: [{ text: 'b' }] }] },
                  { el: 'Empty' },
                ],
              },
            ],
          },
        ],
      },
    });
    expect(Object.entries(rec.eventData)).toEqual([
      ['Id', '{00000000-0000-0000-0000-000000000000}'],
      ['Name', 'a'],
      ['Name1', 'b'],
      ['Empty', ''],
    ]);
    expect(rec.system.eventId).toBe(5858);
  });
});

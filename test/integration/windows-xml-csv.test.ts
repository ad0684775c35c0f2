/**
 * Windows Event XML (`windows_xml`) and Event Viewer CSV (`windows_csv`): the crowdsec windows test lines load with
 * the values their parser.assert and scenario.assert name (both files parsed here, not retyped); an Event Viewer
 * "Save as XML" export and a wevtutil-style UTF-16 file built here load with exact values, entity decoding, UserData
 * and classic unnamed Data, and a damaged last event is rejected and reported; Event Viewer CSV files built here (en-US,
 * de-DE, an ambiguous en-GB sample) load with exact UTC times from the case time zone and every reject reason.
 */
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { CORPUS, newCase, REPO, sh, tmpDir, shellQuote as q } from '../support/tmp-case.js';

const CROWDSEC = path.join(CORPUS, 'crowdsec-hub-tests', 'tests');
const NS = `xmlns='http://schemas.microsoft.com/win/2004/08/events/event'`;

let work: string;
beforeAll(() => {
  work = tmpDir('ewb-winxml-');
});

describe('crowdsec Windows XML lines', () => {
  it('loads windows-logs.log with the values parser.assert names', async () => {
    const dir = path.join(CROWDSEC, 'windows-logs');
    const lines = Number(sh(`grep -c '<Event' ${q(path.join(dir, 'windows-logs.log'))}`).trim());
    const c = await newCase();
    const r = await c.ingest([path.join(dir, 'windows-logs.log')]);
    expect(r.archives[0]!.members[0]).toMatchObject({ format: 'windows_xml', records: lines, loaded: lines, rejected: 0, status: 'loaded' });
    const ev = (await c.rows<Record<string, any>>(`SELECT member_path, event_code, host, time_raw, fields FROM events`))[0]!;
    // Each `Parsed["k"] == "v"` / `Meta["k"] == "v"` / `Enriched["k"] == "v"` assert, mapped to where the value lands.
    const where: Record<string, (e: Record<string, any>) => unknown> = {
      Channel: (e) => e.fields['Channel'],
      Computer: (e) => e.host,
      EventID: (e) => e.event_code,
      Source: (e) => e.fields['Provider'],
      timestamp: (e) => e.time_raw,
      MarshaledTime: (e) => e.time_raw,
      datasource_path: (e) => e.member_path,
    };
    let checked = 0;
    const mapped = Number(
      sh(`grep -cE 'Evt\\.(Parsed|Meta|Enriched)\\["(${Object.keys(where).join('|')})"\\] == ' ${q(path.join(dir, 'parser.assert'))}`).trim(),
    );
    for (const line of fs.readFileSync(path.join(dir, 'parser.assert'), 'utf8').split('\n')) {
      const m = /\.Evt\.(?:Parsed|Meta|Enriched)\["([^"]+)"\] == "([^"]*)"$/.exec(line.trim());
      if (!m || !where[m[1]!]) continue;
      expect(where[m[1]!]!(ev), line).toBe(m[2]);
      checked++;
    }
    expect(checked).toBe(mapped);
    expect(checked).toBe(12);
  });

  it('loads windows-bf.log with the per-event values scenario.assert names', async () => {
    const dir = path.join(CROWDSEC, 'windows-bf');
    const file = path.join(dir, 'windows-bf.log');
    const lines = Number(sh(`grep -c '<Event' ${q(file)}`).trim());
    expect(lines).toBe(6);
    const c = await newCase();
    const r = await c.ingest([file]);
    expect(r.archives[0]!.members[0]).toMatchObject({ format: 'windows_xml', records: 6, loaded: 6, rejected: 0 });
    const evs = await c.rows<Record<string, any>>(
      `SELECT member_path, activity, status, error_code, src_ip, actor_user, time_raw, fields FROM events ORDER BY record_index`,
    );
    const meta: Record<string, (e: Record<string, any>) => unknown> = {
      log_type: (e) => (e.activity === 'logon_failed' && e.status === 'failure' ? 'windows_failed_auth' : e.activity),
      logon_type: (e) => e.fields['LogonType'],
      source_ip: (e) => e.src_ip,
      status: (e) => e.fields['Status'],
      sub_status: (e) => e.error_code,
      timestamp: (e) => e.time_raw,
      username: (e) => e.actor_user,
    };
    let checked = 0;
    for (const line of fs.readFileSync(path.join(dir, 'scenario.assert'), 'utf8').split('\n')) {
      const m = /Alert\.Events\[(\d+)\]\.GetMeta\("([^"]+)"\) == "([^"]*)"$/.exec(line.trim());
      if (!m || !meta[m[2]!]) continue;
      expect(meta[m[2]!]!(evs[Number(m[1])]!), line).toBe(m[3]);
      checked++;
    }
    expect(checked).toBe(6 * 7);
    // The sub-status is also kept by name, beside the status.
    expect(evs.every((e) => e.fields['SubStatus'] === e.error_code && e.fields['Status'] === '0xc000006d')).toBe(true);
  });
});

// ---------------------------------------------------------------------------------------------------------------

const sys = (o: { id: string; time: string; rec: string; chan?: string; prov?: string; kw?: string; extra?: string }) =>
  `<System><Provider Name='${o.prov ?? 'Microsoft-Windows-Security-Auditing'}' Guid='{54849625-5478-4994-a5ba-3e3b0328c30d}'/>` +
  `<EventID>${o.id}</EventID><Version>0</Version><Level>0</Level><Task>12544</Task><Opcode>0</Opcode><Keywords>${o.kw ?? '0x8020000000000000'}</Keywords>` +
  `<TimeCreated SystemTime='${o.time}'/><EventRecordID>${o.rec}</EventRecordID><Correlation/><Execution ProcessID='628' ThreadID='4100'/>` +
  `<Channel>${o.chan ?? 'Security'}</Channel><Computer>dc1.corp.example</Computer><Security/>${o.extra ?? ''}</System>`;

describe('Event Viewer "Save as XML" export (built here)', () => {
  const events = [
    // 4688 with every kind of XML escape in its command line, and rendered information.
    `<Event ${NS}>${sys({ id: '4688', time: '2024-03-01T10:00:00.1234567Z', rec: '1001' })}<EventData>` +
      `<Data Name='SubjectUserSid'>S-1-5-21-1-2-3-1104</Data><Data Name='SubjectUserName'>alice</Data><Data Name='SubjectDomainName'>CORP</Data>` +
      `<Data Name='NewProcessName'>C:\\Windows\\System32\\cmd.exe</Data>` +
      `<Data Name='CommandLine'>cmd.exe /c "echo &lt;a&gt; &amp;&amp; echo &#x263A;&#9731; &quot;x&quot; &apos;y&apos; &amp;lt;"</Data>` +
      `<Data Name='TargetUserName'>-</Data><Data Name='MandatoryLabel'/><Data Name="ParentProcessName"><![CDATA[C:\\a&b<c>.exe]]></Data></EventData>` +
      `<RenderingInfo Culture='en-US'><Message>A new process has been created.\r\n\r\nCreator Subject: …</Message><Level>Information</Level>` +
      `<Keywords><Keyword>Audit Success</Keyword></Keywords></RenderingInfo></Event>`,
    // 1102: UserData leaves.
    `<Event ${NS}>${sys({ id: '1102', time: '2024-03-01T10:05:00.0000000Z', rec: '1002', prov: 'Microsoft-Windows-Eventlog', kw: '0x4020000000000000' })}` +
      `<UserData><LogFileCleared xmlns='http://manifests.microsoft.com/win/2004/08/windows/eventlog'><SubjectUserSid>S-1-5-21-1-2-3-500</SubjectUserSid>` +
      `<SubjectUserName>Administrator</SubjectUserName><SubjectDomainName>CORP</SubjectDomainName><SubjectLogonId>0x5f1c2</SubjectLogonId></LogFileCleared></UserData></Event>`,
    // 4625 where only the rendered keywords say Audit Failure (Keywords element absent).
    `<Event ${NS}><System><Provider Name='Microsoft-Windows-Security-Auditing'/><EventID>4625</EventID><TimeCreated SystemTime='2024-03-01T10:06:00.5Z'/>` +
      `<EventRecordID>1003</EventRecordID><Channel>Security</Channel><Computer>dc1.corp.example</Computer></System><EventData>` +
      `<Data Name='TargetUserName'>bob</Data><Data Name='TargetDomainName'>CORP</Data><Data Name='Status'>0xc000006d</Data><Data Name='SubStatus'>0x0</Data>` +
      `<Data Name='IpAddress'>::1</Data></EventData><RenderingInfo Culture='en-US'><Keywords><Keyword>Audit Failure</Keyword></Keywords></RenderingInfo></Event>`,
    // Classic event: Qualifiers, unnamed Data, Binary, and the System channel.
    `<Event ${NS}><System><Provider Name='Service Control Manager' Guid='{555908d1-a6d7-4695-8e1e-26931d2012f4}' EventSourceName='Service Control Manager'/>` +
      `<EventID Qualifiers='16384'>7045</EventID><Level>4</Level><Keywords>0x8080000000000000</Keywords><TimeCreated SystemTime='2024-03-01T10:07:00.000000000Z'/>` +
      `<EventRecordID>5001</EventRecordID><Channel>System</Channel><Computer>dc1.corp.example</Computer><Security UserID='S-1-5-21-1-2-3-1104'/></System>` +
      `<EventData><Data Name='ServiceName'>evil svc</Data><Data Name='ImagePath'>%COMSPEC% /c whoami</Data><Data>extra one</Data><Data>extra two</Data><Binary>DEADBEEF</Binary></EventData></Event>`,
  ];
  const damaged = `<Event ${NS}>${sys({ id: '4624', time: '2024-03-01T10:08:00.0000000Z', rec: '1004' })}<EventData><Data Name='TargetUserName'>carol</Data><Data Name='TargetDom`;

  it('loads every complete event exactly and reports the one the file ends inside', async () => {
    const text = `<?xml version="1.0" encoding="UTF-8"?>\r\n<Events>\r\n${events.join('\r\n')}\r\n${damaged}`;
    const file = path.join(work, 'saved.xml');
    fs.writeFileSync(file, text);
    const c = await newCase({ timezone: 'Europe/Berlin' });
    const r = await c.ingest([file]);
    expect(r.archives[0]!.members[0]).toMatchObject({ format: 'windows_xml', records: 5, loaded: 4, rejected: 1, status: 'partial' });
    expect(r.archives[0]!.members[0]!.reason).toBe(`XML not closed: the input ended at byte ${Buffer.byteLength(text)} (the file is truncated)`);
    const rows = await c.rows<Record<string, any>>(
      `SELECT line, byte_offset, raw, strftime(timezone('UTC', time), '%Y-%m-%dT%H:%M:%S.%fZ') AS t, time_raw, time_inferred, activity, event_code, category, service, status,
              error_code, actor_user, actor_domain, actor_id, actor_type, src_ip, host, target, process, command_line, record_id, fields
       FROM events ORDER BY record_index`,
    );
    const bytes = Buffer.from(text, 'utf8');
    rows.forEach((row, i) => {
      // raw is the event's exact bytes, found at byte_offset, on its physical line.
      expect(row.raw).toBe(events[i]);
      expect(bytes.subarray(Number(row.byte_offset), Number(row.byte_offset) + Buffer.byteLength(row.raw)).toString('utf8')).toBe(events[i]);
      expect(Number(row.line)).toBe(text.slice(0, text.indexOf(events[i]!)).split('\n').length);
    });
    const cols = rows.map(({ raw: _r, byte_offset: _b, line: _l, fields: _f, ...rest }) => rest);
    expect(cols).toEqual([
      {
        t: '2024-03-01T10:00:00.123456Z', time_raw: '2024-03-01T10:00:00.1234567Z', time_inferred: null, activity: 'process_created', event_code: '4688',
        category: 'process', service: 'Security', status: 'success', error_code: null, actor_user: 'alice', actor_domain: 'CORP',
        actor_id: 'S-1-5-21-1-2-3-1104', actor_type: 'user', src_ip: null, host: 'dc1.corp.example', target: null,
        process: 'C:\\Windows\\System32\\cmd.exe', command_line: `cmd.exe /c "echo <a> && echo ☺☃ "x" 'y' &lt;"`, record_id: '1001',
      },
      {
        t: '2024-03-01T10:05:00.000000Z', time_raw: '2024-03-01T10:05:00.0000000Z', time_inferred: null, activity: 'log_cleared', event_code: '1102',
        category: 'audit_logging', service: 'Security', status: 'success', error_code: null, actor_user: 'Administrator', actor_domain: 'CORP',
        actor_id: 'S-1-5-21-1-2-3-500', actor_type: 'user', src_ip: null, host: 'dc1.corp.example', target: 'Security', process: null,
        command_line: null, record_id: '1002',
      },
      {
        t: '2024-03-01T10:06:00.500000Z', time_raw: '2024-03-01T10:06:00.5Z', time_inferred: null, activity: 'logon_failed', event_code: '4625',
        category: 'authentication', service: 'Security', status: 'failure', error_code: '0xc000006d', actor_user: 'bob', actor_domain: 'CORP',
        actor_id: null, actor_type: 'user', src_ip: '::1', host: 'dc1.corp.example', target: null, process: null, command_line: null, record_id: '1003',
      },
      {
        t: '2024-03-01T10:07:00.000000Z', time_raw: '2024-03-01T10:07:00.000000000Z', time_inferred: null, activity: 'service_installed', event_code: '7045',
        category: 'service', service: 'System', status: null, error_code: null, actor_user: null, actor_domain: null, actor_id: 'S-1-5-21-1-2-3-1104',
        actor_type: 'user', src_ip: null, host: 'dc1.corp.example', target: 'evil svc', process: null, command_line: '%COMSPEC% /c whoami', record_id: '5001',
      },
    ]);
    expect(rows[0]!.fields).toEqual({
      Provider: 'Microsoft-Windows-Security-Auditing', Channel: 'Security', EventID: '4688', EventRecordID: '1001', Computer: 'dc1.corp.example',
      Level: '0', Task: '12544', Opcode: '0', Keywords: '0x8020000000000000', ProcessID: '628', ThreadID: '4100',
      ProviderGuid: '{54849625-5478-4994-a5ba-3e3b0328c30d}', Version: '0', Message: 'A new process has been created.\r\n\r\nCreator Subject: …',
      SubjectUserSid: 'S-1-5-21-1-2-3-1104', SubjectUserName: 'alice', SubjectDomainName: 'CORP', NewProcessName: 'C:\\Windows\\System32\\cmd.exe',
      CommandLine: `cmd.exe /c "echo <a> && echo ☺☃ "x" 'y' &lt;"`, TargetUserName: '-', MandatoryLabel: '', ParentProcessName: 'C:\\a&b<c>.exe',
    });
    expect(rows[1]!.fields).toMatchObject({ SubjectUserSid: 'S-1-5-21-1-2-3-500', SubjectUserName: 'Administrator', SubjectLogonId: '0x5f1c2' });
    expect(rows[3]!.fields).toMatchObject({ Qualifiers: '16384', EventSourceName: 'Service Control Manager', UserID: 'S-1-5-21-1-2-3-1104', Data: 'extra one', Data1: 'extra two', Binary: 'DEADBEEF' });
    const rej = await c.rows<Record<string, string>>(`SELECT record_index, line, byte_offset, reason, decode(raw) AS raw FROM rejects`);
    expect(rej).toEqual([
      { record_index: '5', line: String(text.split('\n').length), byte_offset: String(Buffer.byteLength(text) - Buffer.byteLength(damaged)), reason: 'record truncated: the input ended inside a <Event> element', raw: damaged },
    ]);
  });

  it('reads wevtutil output (no wrapper, UTF-16 with BOM) and rejects events it cannot place, each with its reason', async () => {
    const good = `<Event ${NS}>${sys({ id: '4720', time: '2024-03-02T08:00:00.0000000Z', rec: '2001' })}<EventData><Data Name='TargetUserName'>mallory</Data><Data Name='TargetDomainName'>CORP</Data><Data Name='SubjectUserName'>alice</Data><Data Name='SubjectDomainName'>CORP</Data></EventData></Event>`;
    const noId = `<Event ${NS}><System><Provider Name='X'/><TimeCreated SystemTime='2024-03-02T08:00:01Z'/><Channel>Security</Channel></System></Event>`;
    const noTime = `<Event ${NS}><System><Provider Name='X'/><EventID>4624</EventID><Channel>Security</Channel></System></Event>`;
    const badTime = `<Event ${NS}><System><EventID>4624</EventID><TimeCreated SystemTime='yesterday'/><Channel>Security</Channel></System></Event>`;
    const noSystem = `<Event ${NS}><EventData><Data Name='a'>b</Data></EventData></Event>`;
    const naive = `<Event ${NS}><System><EventID>4634</EventID><TimeCreated SystemTime='2024-03-02T09:00:00'/><Channel>SECURITY</Channel><Computer>dc1</Computer></System><EventData><Data Name='TargetUserName'>carol</Data></EventData></Event>`;
    const text = [good, noId, noTime, badTime, noSystem, naive].join('');
    const file = path.join(work, 'wevtutil.xml');
    fs.writeFileSync(file, Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]));
    const c = await newCase({ timezone: 'America/New_York' });
    const r = await c.ingest([file]);
    expect(r.archives[0]!.members[0]).toMatchObject({ format: 'windows_xml', records: 6, loaded: 2, rejected: 4, status: 'rejects' });
    expect(
      await c.rows(`SELECT record_index, activity, service, actor_user, target, strftime(timezone('UTC', time), '%Y-%m-%dT%H:%M:%SZ') AS t, time_inferred FROM events ORDER BY record_index`),
    ).toEqual([
      { record_index: '1', activity: 'user_created', service: 'Security', actor_user: 'alice', target: 'CORP\\mallory', t: '2024-03-02T08:00:00Z', time_inferred: null },
      {
        record_index: '6', activity: 'logoff', service: 'Security', actor_user: 'carol', target: null, t: '2024-03-02T14:00:00Z',
        time_inferred: 'TimeCreated/@SystemTime has no UTC offset: read as local time in America/New_York',
      },
    ]);
    expect(await c.rows(`SELECT record_index, reason FROM rejects ORDER BY record_index`)).toEqual([
      { record_index: '2', reason: 'not a Windows event: <EventID> missing in <System>' },
      { record_index: '3', reason: '<TimeCreated SystemTime="…"> missing in <System>' },
      { record_index: '4', reason: 'unparseable or missing timestamp: "yesterday"' },
      { record_index: '5', reason: 'not a Windows event: no <System> element' },
    ]);
  });
});

// ---------------------------------------------------------------------------------------------------------------

describe('Event Viewer "Save as CSV" (built here)', () => {
  const header = 'Level,Date and Time,Source,Event ID,Task Category';
  const rows = [
    'Information,4/28/2022 4:09:28 PM,Microsoft-Windows-Security-Auditing,4624,Logon,"An account was successfully logged on.\r\n\r\nSubject:\r\n\tSecurity ID:\t\tSYSTEM"',
    'Audit Failure,4/28/2022 4:10:01 PM,Microsoft-Windows-Security-Auditing,4625,Logon,"An account failed to log on."',
    'Information,4/28/2022 11:59:59 AM,Service Control Manager,7045,None,"A service was installed in the system, ""with quotes""."',
    'Error,13/28/2022 1:00:00 PM,Foo,1,None,"bad date"',
    'Information,4/28/2022 1:00:00 PM,Foo,,None,"no id"',
    'Information,4/28/2022 1:00:00 PM,Foo,12',
    'Audit Success,12/31/2022 11:59:59 PM,Microsoft-Windows-Security-Auditing,1102,Log clear,"The audit log was cleared."',
  ];

  it('loads rows in the case time zone with exact values, and rejects each bad row with its reason', async () => {
    const file = path.join(work, 'Security.csv');
    fs.writeFileSync(file, '\ufeff' + [header, ...rows].join('\r\n') + '\r\n');
    const c = await newCase({ timezone: 'Europe/Berlin' });
    const r = await c.ingest([file]);
    expect(r.archives[0]!.members[0]).toMatchObject({ format: 'windows_csv', records: 7, loaded: 4, rejected: 3, status: 'rejects' });
    expect(
      await c.rows(
        `SELECT line, strftime(timezone('UTC', time), '%Y-%m-%dT%H:%M:%SZ') AS t, time_raw, time_inferred, activity, event_code, service, status,
                fields['Source'] AS source, fields['Task Category'] AS task, fields['Message'] AS message FROM events ORDER BY record_index`,
      ),
    ).toEqual([
      {
        line: '2', t: '2022-04-28T14:09:28Z', time_raw: '4/28/2022 4:09:28 PM', time_inferred: 'Event Viewer CSV has no UTC offset: read as local time in Europe/Berlin',
        activity: 'logon', event_code: '4624', service: 'Security', status: null, source: 'Microsoft-Windows-Security-Auditing', task: 'Logon',
        message: 'An account was successfully logged on.\r\n\r\nSubject:\r\n\tSecurity ID:\t\tSYSTEM',
      },
      {
        line: '6', t: '2022-04-28T14:10:01Z', time_raw: '4/28/2022 4:10:01 PM', time_inferred: 'Event Viewer CSV has no UTC offset: read as local time in Europe/Berlin',
        activity: 'logon_failed', event_code: '4625', service: 'Security', status: 'failure', source: 'Microsoft-Windows-Security-Auditing', task: 'Logon',
        message: 'An account failed to log on.',
      },
      {
        line: '7', t: '2022-04-28T09:59:59Z', time_raw: '4/28/2022 11:59:59 AM', time_inferred: 'Event Viewer CSV has no UTC offset: read as local time in Europe/Berlin',
        activity: 'service_installed', event_code: '7045', service: 'System', status: null, source: 'Service Control Manager', task: 'None',
        message: 'A service was installed in the system, "with quotes".',
      },
      {
        line: '11', t: '2022-12-31T22:59:59Z', time_raw: '12/31/2022 11:59:59 PM', time_inferred: 'Event Viewer CSV has no UTC offset: read as local time in Europe/Berlin',
        activity: 'log_cleared', event_code: '1102', service: 'Security', status: 'success', source: 'Microsoft-Windows-Security-Auditing', task: 'Log clear',
        message: 'The audit log was cleared.',
      },
    ]);
    expect(await c.rows(`SELECT line, reason FROM rejects ORDER BY record_index`)).toEqual([
      { line: '8', reason: 'Date and Time "13/28/2022 1:00:00 PM" does not match this file\'s date format (%m/%d/%Y %I:%M:%S %p)' },
      { line: '9', reason: 'not an Event Viewer CSV row: Event ID column empty' },
      { line: '10', reason: 'wrong column count: expected 6 fields (header), found 4' },
    ]);
  });

  it('recognises a German export by its rows and reads day.month.year', async () => {
    const file = path.join(work, 'Sicherheit.csv');
    const de = [
      'Ebene,Datum und Uhrzeit,Quelle,Ereignis-ID,Aufgabenkategorie',
      'Informationen,03.04.2023 07:05:09,Microsoft-Windows-Security-Auditing,4720,Benutzerkontenverwaltung,"Ein Benutzerkonto wurde erstellt."',
      'Überwachung erfolgreich,03.04.2023 07:05:10,Microsoft-Windows-Security-Auditing,4732,Sicherheitsgruppenverwaltung,"Ein Mitglied wurde hinzugefügt."',
    ];
    fs.writeFileSync(file, de.join('\r\n') + '\r\n');
    const c = await newCase({ timezone: 'Europe/Berlin' });
    const r = await c.ingest([file]);
    expect(r.archives[0]!.members[0]).toMatchObject({ format: 'windows_csv', records: 2, loaded: 2, rejected: 0 });
    expect(await c.rows(`SELECT strftime(timezone('UTC', time), '%Y-%m-%dT%H:%M:%SZ') AS t, activity, fields['Quelle'] AS q FROM events ORDER BY record_index`)).toEqual([
      { t: '2023-04-03T05:05:09Z', activity: 'user_created', q: 'Microsoft-Windows-Security-Auditing' },
      { t: '2023-04-03T05:05:10Z', activity: 'group_member_added', q: 'Microsoft-Windows-Security-Auditing' },
    ]);
  });

  it('says so in time_inferred when the sample cannot tell day/month order', async () => {
    const file = path.join(work, 'gb.csv');
    fs.writeFileSync(file, [header, 'Information,03/04/2023 07:05:09,Microsoft-Windows-Security-Auditing,4624,Logon,"x"'].join('\n') + '\n');
    const c = await newCase();
    await c.ingest([file]);
    expect(await c.rows(`SELECT strftime(time, '%Y-%m-%d') AS d, time_inferred FROM events`)).toEqual([
      {
        d: '2023-04-03',
        time_inferred: 'Event Viewer CSV has no UTC offset: read as local time in UTC; day/month order assumed (24-hour clock, as en-GB): no sampled date had a number above 12',
      },
    ]);
  });
});

describe('events forwarded or exported without their channel', () => {
  it('apply the rules of their provider: a forwarded 4625 and 4964 keep their activity, status and logon account', async () => {
    const fixture = fs.readFileSync(path.join(REPO, 'test/fixtures/windows-queries/handmade-events.xml'), 'utf8');
    const events = [...fixture.matchAll(/<Event [\s\S]*?<\/Event>/g)].map((m) => m[0]).filter((e) => /<EventID>(4625|4964)<\/EventID>/.test(e)).slice(0, 2);
    expect(events.length).toBeGreaterThan(0);
    const variants = {
      'security.xml': events,
      'forwarded.xml': events.map((e) => e.replace('<Channel>Security</Channel>', '<Channel>ForwardedEvents</Channel>')),
      'nochannel.xml': events.map((e) => e.replace('<Channel>Security</Channel>', '')),
    };
    const files = Object.entries(variants).map(([name, evs]) => {
      const f = path.join(work, name);
      fs.writeFileSync(f, `<Events>${evs.join('\n')}</Events>\n`);
      return f;
    });
    const c = await newCase();
    await c.ingest(files);
    const rows = await c.rows<Record<string, string | null>>(
      `SELECT member_path, record_index::VARCHAR AS i, service, event_code, activity, category, status, actor_user FROM events ORDER BY member_path, record_index`,
    );
    const by = (m: string) => rows.filter((r) => r.member_path === m).map(({ member_path: _m, service: _s, ...rest }) => rest);
    expect(by('security.xml').every((r) => r.activity !== null && r.category !== null)).toBe(true);
    expect(by('forwarded.xml')).toEqual(by('security.xml'));
    expect(by('nochannel.xml')).toEqual(by('security.xml'));
    expect(rows.filter((r) => r.member_path === 'forwarded.xml').every((r) => r.service === 'ForwardedEvents')).toBe(true);
  });
});

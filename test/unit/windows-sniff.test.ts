/**
 * Sniffing of the Windows formats through the registry: each Windows variant is claimed by its module, with its
 * shape in params and a confidence above the generic modules; content of other families (CloudTrail, syslog, generic
 * JSON/CSV, a JSON object that merely has an EventID) is not claimed. Also the Event Viewer CSV date-order rule.
 */
import { describe, expect, it } from 'vitest';
import { sniffFormat } from '../../electron/engine/formats/registry.js';
import { csvDateFormat, windowsJsonShape } from '../../electron/engine/formats/windows.js';

const sample = (text: string, path = 'member.log') => ({ path, head: Buffer.from(text, 'utf8'), text, complete: true });
const sniff = (text: string, path?: string) => {
  const r = sniffFormat(sample(text, path));
  return r ? { format: r.format.name, params: r.hit.params, confidence: r.hit.confidence } : null;
};
const lines = (...objs: unknown[]) => objs.map((o) => JSON.stringify(o)).join('\n') + '\n';

describe('Windows sniffers', () => {
  it('claim each collector JSON shape, with the shape in params', () => {
    const cases: Array<[unknown, string]> = [
      [{ '@timestamp': '2024-01-01T00:00:00Z', winlog: { event_id: '4624', channel: 'Security' }, event: { code: '4624' } }, 'winlogbeat'],
      [{ '@timestamp': '2019-05-18T20:42:59.034Z', event_id: 4624, log_name: 'Security', computer_name: 'x', event_data: {} }, 'winlogbeat6'],
      [{ EventTime: '2020-09-21 19:18:41', Hostname: 'h', EventID: 4624, Channel: 'Security', SourceName: 'x' }, 'nxlog'],
      [{ '@timestamp': '2022-08-18T06:55:57.789Z', TimeCreated: '2022-08-18T06:55:57.789Z', Hostname: 'h', EventID: 4703, Channel: 'Security' }, 'logstash'],
      [{ TimeGenerated: '2022-05-13T08:54:05.21Z', Computer: 'W5', EventID: 5156, Channel: 'Security', Type: 'SecurityEvent', EventData: '<EventData/>' }, 'sentinel'],
      [{ EventID: '4688', TimeCreated: '2024-01-15 10:30:45 +0000', Computer: 'c', Channel: 'Security', ExtraEventData: {}, p_log_type: 'Windows.EventLogs' }, 'panther'],
      [{ Event: { System: { EventID: 4648 }, EventData: {} } }, 'evtx_dump'],
    ];
    for (const [o, shape] of cases) {
      const hit = sniff(lines(o, o), 'events.json');
      expect(hit, shape).toMatchObject({ format: 'windows_json', params: { shape, wrapper: 'none' } });
      expect(hit!.confidence, shape).toBeGreaterThan(0.5);
    }
    expect(windowsJsonShape({ _index: 'w', _source: cases[0]![0] })).toEqual({ shape: 'winlogbeat', wrapper: '_source' });
  });

  it('claim Event XML, Event Viewer CSV and EVTX; a .evtx name on other binary bytes only weakly', () => {
    expect(sniff(`<?xml version="1.0"?>\n<Events><Event xmlns='http://schemas.microsoft.com/win/2004/08/events/event'><System><EventID>1</EventID></System></Event></Events>`)?.format).toBe('windows_xml');
    expect(sniff(`- <Event xmlns="http://schemas.microsoft.com/win/2004/08/events/event">- <System>  <EventID>4625</EventID></System></Event>\n`)?.format).toBe('windows_xml');
    const csv = sniff('Level,Date and Time,Source,Event ID,Task Category\r\nInformation,4/28/2022 4:09:28 PM,Microsoft-Windows-Security-Auditing,4624,Logon,"m\r\nx"\r\n', 'Security.csv');
    expect(csv).toMatchObject({ format: 'windows_csv', params: { dateFormat: '%m/%d/%Y %I:%M:%S %p', header: ['Level', 'Date and Time', 'Source', 'Event ID', 'Task Category'] } });
    expect(csv!.confidence).toBeGreaterThan(0.5);
    const evtx = Buffer.concat([Buffer.from('ElfFile\0', 'latin1'), Buffer.alloc(100)]);
    expect(sniffFormat({ path: 'x.bin', head: evtx, text: null, complete: true })?.format.name).toBe('evtx');
    const other = sniffFormat({ path: 'Security.evtx', head: Buffer.alloc(100, 1), text: null, complete: true });
    expect(other?.format.name).toBe('evtx');
    expect(other!.hit.confidence).toBeLessThan(0.5);
    expect(sniffFormat({ path: 'x.bin', head: Buffer.alloc(100, 1), text: null, complete: true })).toBeNull();
  });

  it('do not claim other families or generic records', () => {
    const cloudtrail = lines({ eventVersion: '1.08', eventTime: '2024-01-01T00:00:00Z', eventSource: 's3.amazonaws.com', eventName: 'GetObject', awsRegion: 'us-east-1', userIdentity: {} });
    expect(sniff(cloudtrail)?.format).toBe('cloudtrail');
    expect(sniff('Feb 12 14:10:21 host sshd[123]: Accepted password for bob from 10.0.0.1 port 22 ssh2\n')?.format).toBe('syslog');
    expect(sniff(lines({ time: '2024-01-01T00:00:00Z', EventID: 5, msg: 'x' }, { time: '2024-01-01T00:00:01Z', EventID: 6, msg: 'y' }))?.format).toBe('jsonl');
    expect(sniff('time,EventID,Source\n2024-01-01T00:00:00Z,4624,x\n', 'a.csv')?.format).toBe('csv');
    expect(sniff(`<root><item>1</item></root>\n`)).toBeNull();
    expect(sniff(lines({ eventType: 'user.session.start', published: '2024-01-01T00:00:00Z', actor: {} }))?.format).not.toMatch(/^windows/);
  });
});

describe('Event Viewer CSV date order', () => {
  it('takes the order under which the sampled values are dates, and says when it had to assume', () => {
    expect(csvDateFormat(['4/28/2022 4:09:28 PM', '13/28/2022 1:00:00 PM'])).toEqual({ format: '%m/%d/%Y %I:%M:%S %p', note: null });
    expect(csvDateFormat(['28/04/2022 16:09:28'])).toEqual({ format: '%d/%m/%Y %H:%M:%S', note: null });
    expect(csvDateFormat(['04/28/2022 16:09:28'])).toEqual({ format: '%m/%d/%Y %H:%M:%S', note: null });
    expect(csvDateFormat(['3/4/2022 4:09:28 PM'])!.note).toMatch(/^month\/day order assumed/);
    expect(csvDateFormat(['03/04/2022 16:09:28'])!.note).toMatch(/^day\/month order assumed/);
    expect(csvDateFormat(['28.04.2022 16:09:28'])).toEqual({ format: '%d.%m.%Y %H:%M:%S', note: null });
    expect(csvDateFormat(['2022-04-28 16:09:28'])).toEqual({ format: '%Y-%m-%d %H:%M:%S', note: null });
    expect(csvDateFormat(['yesterday'])).toBeNull();
  });
});

/**
 * Generates the demo evidence archive `demo/acme-2024q1-export.zip` and its answer sheet `demo/expected.json`.
 *
 *   node --import tsx bench/make-demo.ts        (or: npm run demo)
 *
 * Everything is synthetic and seeded: the same script produces byte-identical files on every run (fixed PRNG seed,
 * fixed gzip and zip timestamps, sorted zip entries, no wall-clock or environment input). The zip is written here
 * with node:zlib (deflateRawSync, crc32) and a minimal zip writer; no package beyond Node is used.
 *
 * Contents (fictitious company "ACME", AWS account 111122223333, documentation IP ranges RFC 5737 for anything
 * "public"):
 *  - AWSLogs/111122223333/CloudTrail/<region>/YYYY/MM/DD/..._CloudTrail_<region>_<YYYYMMDDTHHmmZ>_<16>.json.gz:
 *    CloudTrail S3 delivery objects, 2024-01-08 .. 2024-01-28 (UTC), three regions, one object per region and
 *    twelve-hour window with events. A storyline is woven into routine traffic (see demo/README.md): failed console
 *    logins, a root console login without MFA, IAM changes, a security group opened to the world, StopLogging in
 *    eu-central-1 and StartLogging ~26 h later with nothing logged in between, and a day with no delivery for
 *    eu-west-1.
 *  - var/log/auth.log.1 (Dec 29 2023 .. Jan 8 2024) and var/log/auth.log (Jan 8 .. Jan 28 2024) of host bastion-01:
 *    RFC 3164 lines, local time Europe/Berlin, no year; the zip entry dates (2024-01-08, 2024-01-29) anchor the
 *    year inference.
 *  - README.txt saying the data is synthetic.
 *
 * Layer: bench (tooling; not part of the app).
 */
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { createHash } from 'node:crypto';
import { fileURLToPath } from 'node:url';

const SEED = 20240108;
const GENERATOR_VERSION = 1;
const ROOT = fileURLToPath(new URL('..', import.meta.url));
/** `--out <dir>` writes somewhere else (the integration test regenerates into a temp folder and compares bytes). */
const outArg = process.argv.indexOf('--out');
const OUT_DIR = outArg > 0 && process.argv[outArg + 1] ? path.resolve(process.argv[outArg + 1]!) : path.join(ROOT, 'demo');
const ZIP_NAME = 'acme-2024q1-export.zip';
const ACCOUNT = '111122223333';
const TZ = 'Europe/Berlin';
const HOST = 'bastion-01';

// ---------------------------------------------------------------------------------------------------------------
// Seeded randomness (mulberry32). Each part of the archive draws from its own stream so that changing one part
// does not shift the others.

class Rng {
  private s: number;
  constructor(seed: number) {
    this.s = seed >>> 0;
  }
  next(): number {
    this.s = (this.s + 0x6d2b79f5) >>> 0;
    let t = this.s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  /** Integer in [lo, hi]. */
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.next() * (hi - lo + 1));
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  pick<T>(xs: readonly T[]): T {
    return xs[Math.floor(this.next() * xs.length)]!;
  }
  weighted<T>(xs: ReadonlyArray<readonly [number, T]>): T {
    const total = xs.reduce((a, [w]) => a + w, 0);
    let r = this.next() * total;
    for (const [w, x] of xs) {
      r -= w;
      if (r < 0) return x;
    }
    return xs[xs.length - 1]![1];
  }
  chars(n: number, alphabet: string): string {
    let s = '';
    for (let i = 0; i < n; i++) s += alphabet[Math.floor(this.next() * alphabet.length)];
    return s;
  }
  hex(n: number): string {
    return this.chars(n, '0123456789abcdef');
  }
  uuid(): string {
    const h = this.hex(32);
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${'89ab'[parseInt(h[16]!, 16) & 3]}${h.slice(17, 20)}-${h.slice(20, 32)}`;
  }
}

const UPPER_ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

// ---------------------------------------------------------------------------------------------------------------
// Time helpers (all arithmetic in UTC milliseconds).

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;
const T = (iso: string): number => {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) throw new Error(`bad time ${iso}`);
  return ms;
};
const isoZ = (ms: number): string => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
const dayOf = (ms: number): string => new Date(ms).toISOString().slice(0, 10);
const pad2 = (n: number): string => String(n).padStart(2, '0');
/** The date format of IAM/STS response elements: `Jan 18, 2024, 2:03:11 PM` (UTC). */
const awsDate = (ms: number): string =>
  new Intl.DateTimeFormat('en-US', { timeZone: 'UTC', month: 'short', day: 'numeric', year: 'numeric', hour: 'numeric', minute: '2-digit', second: '2-digit', hour12: true }).format(new Date(ms)).replace(/\u202f/g, ' ');

const localParts = new Intl.DateTimeFormat('en-US', {
  timeZone: TZ,
  month: 'short',
  day: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  year: 'numeric',
  hourCycle: 'h23',
});

/** RFC 3164 timestamp in the bastion's local time: `Jan  8 06:25:01`. */
function syslogStamp(ms: number): string {
  const p = Object.fromEntries(localParts.formatToParts(new Date(ms)).map((x) => [x.type, x.value]));
  return `${p['month']} ${String(p['day']).padStart(2, ' ')} ${p['hour']}:${p['minute']}:${p['second']}`;
}

/** Local wall-clock time in the bastion's zone as `YYYY-MM-DD HH:mm:ss`. */
function localIso(ms: number): string {
  const p = Object.fromEntries(localParts.formatToParts(new Date(ms)).map((x) => [x.type, x.value]));
  const mon = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'].indexOf(p['month']!) + 1;
  return `${p['year']}-${pad2(mon)}-${pad2(Number(p['day']))} ${p['hour']}:${p['minute']}:${p['second']}`;
}

/** UTC instant of a Berlin wall-clock time in winter (CET, UTC+1; the whole demo is in winter). */
const berlin = (local: string): number => T(`${local}+01:00`);

// ---------------------------------------------------------------------------------------------------------------
// CloudTrail

const REGIONS = ['eu-central-1', 'us-east-1', 'eu-west-1'] as const;
type Region = (typeof REGIONS)[number];

const CT_START = T('2024-01-08T00:00:00Z');
const CT_DAYS = 21; // 2024-01-08 .. 2024-01-28
const STOP_LOGGING = T('2024-01-22T21:47:13Z');
const START_LOGGING = T('2024-01-23T23:49:52Z');
/** Each delivery object holds one region's events of one window of this length (UTC). */
const WINDOW = 12 * HOUR;
const GAP_REGION: Region = 'eu-central-1';
const MISSING_DAY = '2024-01-17';
const MISSING_DAY_REGION: Region = 'eu-west-1';

const IP = {
  office: '198.51.100.10',
  vpn: '198.51.100.11',
  ci: '198.51.100.200',
  loginBurst: '203.0.113.23',
  attacker: '203.0.113.50',
  sshBrute: '203.0.113.77',
  scanner: '192.0.2.101',
} as const;

const UA = {
  chrome: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36',
  firefox: 'Mozilla/5.0 (X11; Ubuntu; Linux x86_64; rv:121.0) Gecko/20100101 Firefox/121.0',
  console: 'AWS Internal',
  cli: (cmd: string) => `aws-cli/2.15.10 Python/3.11.6 Linux/6.5.0-14-generic exe/x86_64.ubuntu.22 prompt/off command/${cmd}`,
  attackerCli: (cmd: string) => `aws-cli/1.29.62 Python/3.10.12 Linux/5.15.0-91-generic botocore/1.31.62 command/${cmd}`,
  terraform: 'APN/1.0 HashiCorp/1.0 Terraform/1.6.6 (+https://www.terraform.io) terraform-provider-aws/5.31.0 aws-sdk-go-v2/1.24.0 os/linux lang/go#1.21.5',
  boto: 'Boto3/1.34.11 md/Botocore#1.34.11 ua/2.0 os/linux#5.10.201-191.748.amzn2.x86_64 md/arch#x86_64 lang/python#3.11.6 cfg/retry-mode#legacy Botocore/1.34.11',
  sdkJava: 'aws-sdk-java/2.21.46 Linux/5.10.201-191.748.amzn2.x86_64 OpenJDK_64-Bit_Server_VM/17.0.9+8-LTS Java/17.0.9 vendor/Amazon.com_Inc. exec-env/AWS_ECS_EC2 io/sync http/Apache cfg/retry-mode/standard',
} as const;

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
type Rec = { [k: string]: Json };

interface CtEvent {
  time: number;
  region: Region;
  rec: Rec;
  /** Scripted (storyline) events are kept whatever the routine generator does. */
  scripted: boolean;
}

const ctRng = new Rng(SEED ^ 0x00c7);

const sessionKey = (): string => 'ASIA' + ctRng.chars(9, UPPER_ALNUM) + 'EXAMPLE';

/** Temporary credentials live for a while: one session (key, creation time) per principal and six-hour window. */
const sessions = new Map<string, { key: string; created: string }>();
function session(principal: string, t: number): { key: string; created: string } {
  const w = Math.floor(t / (6 * HOUR));
  const k = `${principal}|${w}`;
  let s = sessions.get(k);
  if (!s) sessions.set(k, (s = { key: sessionKey(), created: isoZ(w * 6 * HOUR - ctRng.int(60, 1800) * 1000) }));
  return s;
}
const longKey = (fixed: string): string => 'AKIA' + fixed + 'EXAMPLE';

const USERS = {
  alice: { id: 'AIDAEXAMPLEALICE0001', key: longKey('ALICE0001') },
  bob: { id: 'AIDAEXAMPLEBOB000002', key: longKey('BOB000002') },
  carol: { id: 'AIDAEXAMPLECAROL0003', key: longKey('CAROL0003') },
  'svc-ci': { id: 'AIDAEXAMPLESVCCI0004', key: longKey('SVCCI0004') },
  'svc-backup': { id: 'AIDAEXAMPLEBACKUP005', key: longKey('BACKUP005') },
} as const;
type UserName = keyof typeof USERS;

const ROLES = {
  OpsAdmin: 'AROAEXAMPLEOPSADMIN1',
  TerraformDeploy: 'AROAEXAMPLETERRAFRM2',
  'acme-app-ec2': 'AROAEXAMPLEAPPEC2003',
  AWSServiceRoleForConfig: 'AROAEXAMPLECONFIG004',
  AWSBackupDefaultServiceRole: 'AROAEXAMPLEBACKUP005',
} as const;
type RoleName = keyof typeof ROLES;

function iamUserIdentity(name: UserName, via: 'key' | 'console', t: number, mfa = true): Rec {
  const u = USERS[name];
  const base: Rec = { type: 'IAMUser', principalId: u.id, arn: `arn:aws:iam::${ACCOUNT}:user/${name}`, accountId: ACCOUNT };
  if (via === 'key') return { ...base, accessKeyId: u.key, userName: name };
  const s = session(`user/${name}`, t);
  return {
    ...base,
    accessKeyId: s.key,
    userName: name,
    sessionContext: { sessionIssuer: {}, webIdFederationData: {}, attributes: { creationDate: s.created, mfaAuthenticated: mfa ? 'true' : 'false' } },
  };
}

function roleIdentity(role: RoleName, sessionName: string, t: number, opts: { mfa?: boolean; invokedBy?: string } = {}): Rec {
  const s = session(`role/${role}/${sessionName}`, t);
  const id: Rec = {
    type: 'AssumedRole',
    principalId: `${ROLES[role]}:${sessionName}`,
    arn: `arn:aws:sts::${ACCOUNT}:assumed-role/${role}/${sessionName}`,
    accountId: ACCOUNT,
    accessKeyId: s.key,
    sessionContext: {
      sessionIssuer: { type: 'Role', principalId: ROLES[role], arn: `arn:aws:iam::${ACCOUNT}:role/${role.startsWith('AWSServiceRole') ? 'aws-service-role/config.amazonaws.com/' : ''}${role}`, accountId: ACCOUNT, userName: role },
      webIdFederationData: {},
      attributes: { creationDate: s.created, mfaAuthenticated: opts.mfa ? 'true' : 'false' },
    },
  };
  if (opts.invokedBy) id['invokedBy'] = opts.invokedBy;
  return id;
}

function rootIdentity(t: number | null): Rec {
  const id: Rec = { type: 'Root', principalId: ACCOUNT, arn: `arn:aws:iam::${ACCOUNT}:root`, accountId: ACCOUNT, accessKeyId: t === null ? '' : sessionKey() };
  if (t !== null) id['sessionContext'] = { sessionIssuer: {}, webIdFederationData: {}, attributes: { creationDate: isoZ(t), mfaAuthenticated: 'false' } };
  return id;
}

const serviceIdentity = (service: string): Rec => ({ type: 'AWSService', invokedBy: service });

interface Call {
  source: string;
  name: string;
  readOnly: boolean;
  req?: Json;
  resp?: Json;
  resources?: Json;
  extra?: Rec;
  error?: { code: string; message: string };
  eventType?: string;
}

function ctRecord(t: number, region: Region, identity: Rec, ip: string, ua: string, c: Call): Rec {
  const r: Rec = {
    eventVersion: '1.09',
    userIdentity: identity,
    eventTime: isoZ(t),
    eventSource: c.source,
    eventName: c.name,
    awsRegion: region,
    sourceIPAddress: ip,
    userAgent: ua,
  };
  if (c.error) {
    r['errorCode'] = c.error.code;
    r['errorMessage'] = c.error.message;
  }
  r['requestParameters'] = c.req ?? null;
  r['responseElements'] = c.resp ?? null;
  if (c.extra) Object.assign(r, c.extra);
  if (c.source !== 'signin.amazonaws.com') r['requestID'] = ctRng.uuid(); // sign-in events carry no request ID
  r['eventID'] = ctRng.uuid();
  r['readOnly'] = c.readOnly;
  if (c.resources) r['resources'] = c.resources;
  r['eventType'] = c.eventType ?? 'AwsApiCall';
  r['managementEvent'] = true;
  r['recipientAccountId'] = ACCOUNT;
  r['eventCategory'] = 'Management';
  return r;
}

const INSTANCES = ['i-0a1b2c3d4e5f60718', 'i-0b2c3d4e5f6071829', 'i-0c3d4e5f607182930', 'i-0d4e5f60718293a41'];
const BASTION_SG = 'sg-0b7c1d2e3f4a5b6c7';
const BUCKETS = ['acme-app-assets', 'acme-terraform-state', 'acme-cloudtrail-111122223333', 'acme-backups-euw1'];
const TRAIL = (region: Region) => `arn:aws:cloudtrail:${region}:${ACCOUNT}:trail/acme-${region}`;

/** Routine read (and a few write) calls; `who` decides identity, IP and agent. */
type Routine = (t: number, region: Region) => { identity: Rec; ip: string; ua: string; call: Call };

function pickInstance(): string {
  return ctRng.pick(INSTANCES);
}

const configRead: Routine = (t, region) => {
  const call = ctRng.weighted<Call>([
    [4, { source: 'ec2.amazonaws.com', name: 'DescribeInstances', readOnly: true, req: { instancesSet: { items: [{ instanceId: pickInstance() }] }, filterSet: {} } }],
    [3, { source: 'ec2.amazonaws.com', name: 'DescribeSecurityGroups', readOnly: true, req: { securityGroupSet: {}, securityGroupIdSet: { items: [{ groupId: BASTION_SG }] }, filterSet: {} } }],
    [2, { source: 'ec2.amazonaws.com', name: 'DescribeVolumes', readOnly: true, req: { volumeSet: {}, filterSet: {} } }],
    [2, { source: 's3.amazonaws.com', name: 'GetBucketAcl', readOnly: true, req: { bucketName: ctRng.pick(BUCKETS), Host: 's3.amazonaws.com', acl: '' } }],
    [1, { source: 'cloudtrail.amazonaws.com', name: 'DescribeTrails', readOnly: true, req: { includeShadowTrails: false } }],
  ]);
  return { identity: roleIdentity('AWSServiceRoleForConfig', 'AWSConfig-Describe', t, { invokedBy: 'config.amazonaws.com' }), ip: 'config.amazonaws.com', ua: 'config.amazonaws.com', call: { ...call, req: call.req ?? null } };
};

const appRole: Routine = (t) => {
  const inst = pickInstance();
  const call = ctRng.weighted<Call>([
    [4, { source: 'kms.amazonaws.com', name: 'Decrypt', readOnly: true, req: { encryptionAlgorithm: 'SYMMETRIC_DEFAULT' }, resources: [{ accountId: ACCOUNT, type: 'AWS::KMS::Key', ARN: `arn:aws:kms:eu-central-1:${ACCOUNT}:key/3f1c9e52-8a7b-4d10-9e2f-5b6c7d8e9f01` }] }],
    [3, { source: 'ssm.amazonaws.com', name: 'GetParameter', readOnly: true, req: { name: '/acme/app/db-host', withDecryption: false } }],
    [2, { source: 'secretsmanager.amazonaws.com', name: 'GetSecretValue', readOnly: true, req: { secretId: 'acme/app/db-credentials' } }],
    [2, { source: 'logs.amazonaws.com', name: 'CreateLogStream', readOnly: false, req: { logGroupName: '/acme/app', logStreamName: `${inst}/${ctRng.hex(8)}` } }],
  ]);
  return { identity: roleIdentity('acme-app-ec2', inst, t), ip: `10.20.${ctRng.int(1, 3)}.${ctRng.int(10, 250)}`, ua: UA.sdkJava, call };
};

const ec2AssumeRole: Routine = (t, region) => ({
  identity: serviceIdentity('ec2.amazonaws.com'),
  ip: 'ec2.amazonaws.com',
  ua: 'ec2.amazonaws.com',
  call: {
    source: 'sts.amazonaws.com',
    name: 'AssumeRole',
    readOnly: true,
    req: { roleArn: `arn:aws:iam::${ACCOUNT}:role/acme-app-ec2`, roleSessionName: pickInstance() },
    resp: { credentials: { accessKeyId: sessionKey(), sessionToken: '<redacted in demo>', expiration: awsDate(t + 6 * HOUR) } },
    resources: [{ accountId: ACCOUNT, type: 'AWS::IAM::Role', ARN: `arn:aws:iam::${ACCOUNT}:role/acme-app-ec2` }],
  },
});

const ciTerraform: Routine = (t, region) => {
  const call = ctRng.weighted<Call>([
    [4, { source: 'ec2.amazonaws.com', name: 'DescribeInstances', readOnly: true, req: { instancesSet: {}, filterSet: { items: [{ name: 'tag:Project', valueSet: { items: [{ value: 'acme' }] } }] } } }],
    [3, { source: 'ec2.amazonaws.com', name: 'DescribeVpcs', readOnly: true, req: { vpcSet: {}, filterSet: {} } }],
    [3, { source: 'ec2.amazonaws.com', name: 'DescribeSubnets', readOnly: true, req: { subnetSet: {}, filterSet: {} } }],
    [3, { source: 'ec2.amazonaws.com', name: 'DescribeSecurityGroups', readOnly: true, req: { securityGroupSet: {}, securityGroupIdSet: {}, filterSet: {} } }],
    [2, { source: 's3.amazonaws.com', name: 'GetBucketPolicy', readOnly: true, req: { bucketName: ctRng.pick(BUCKETS), Host: 's3.amazonaws.com', policy: '' } }],
    [2, { source: 'rds.amazonaws.com', name: 'DescribeDBInstances', readOnly: true, req: { dBInstanceIdentifier: 'acme-prod-db' } }],
    [1, { source: 'ec2.amazonaws.com', name: 'CreateTags', readOnly: false, req: { resourcesSet: { items: [{ resourceId: pickInstance() }] }, tagSet: { items: [{ key: 'LastDeploy', value: dayOf(t) }] } }, resp: { requestId: ctRng.uuid(), _return: true } }],
  ]);
  return { identity: roleIdentity('TerraformDeploy', `gitlab-ci-${ctRng.int(41000, 41999)}`, t), ip: IP.ci, ua: UA.terraform, call };
};

const aliceOps: Routine = (t) => {
  const call = ctRng.weighted<Call>([
    [4, { source: 'ec2.amazonaws.com', name: 'DescribeInstances', readOnly: true, req: { instancesSet: {}, filterSet: {} } }],
    [3, { source: 'monitoring.amazonaws.com', name: 'DescribeAlarms', readOnly: true, req: { stateValue: 'ALARM' } }],
    [2, { source: 'monitoring.amazonaws.com', name: 'GetMetricData', readOnly: true, req: { startTime: isoZ(t - 3 * HOUR), endTime: isoZ(t) } }],
    [1, { source: 'ec2.amazonaws.com', name: 'RebootInstances', readOnly: false, req: { instancesSet: { items: [{ instanceId: pickInstance() }] } }, resp: { requestId: ctRng.uuid(), _return: true } }],
  ]);
  return { identity: roleIdentity('OpsAdmin', 'alice', t, { mfa: true }), ip: IP.vpn, ua: UA.cli(call.name.replace(/([a-z])([A-Z])/g, '$1-$2').toLowerCase()), call };
};

const bobConsole: Routine = (t) => {
  const denied = ctRng.chance(0.04);
  const call = ctRng.weighted<Call>([
    [4, { source: 'ec2.amazonaws.com', name: 'DescribeInstances', readOnly: true, req: { instancesSet: {}, filterSet: {} } }],
    [3, { source: 'logs.amazonaws.com', name: 'DescribeLogGroups', readOnly: true, req: { limit: 50 } }],
    [3, { source: 'logs.amazonaws.com', name: 'FilterLogEvents', readOnly: true, req: { logGroupName: '/acme/app', startTime: t - HOUR, endTime: t } }],
    [2, { source: 'rds.amazonaws.com', name: 'DescribeDBInstances', readOnly: true, req: null }],
  ]);
  if (denied) {
    call.error =
      call.source === 'ec2.amazonaws.com'
        ? { code: 'Client.UnauthorizedOperation', message: 'You are not authorized to perform this operation. User: arn:aws:iam::111122223333:user/bob is not authorized to perform: ec2:DescribeInstances' }
        : { code: 'AccessDenied', message: `User: arn:aws:iam::111122223333:user/bob is not authorized to perform: ${call.source.split('.')[0]}:${call.name}` };
  }
  return { identity: iamUserIdentity('bob', 'console', t), ip: IP.office, ua: UA.console, call };
};

const carolCli: Routine = (t) => {
  const call = ctRng.weighted<Call>([
    [3, { source: 'ec2.amazonaws.com', name: 'DescribeSnapshots', readOnly: true, req: { snapshotSet: {}, ownersSet: { items: [{ owner: 'self' }] }, filterSet: {} } }],
    [2, { source: 's3.amazonaws.com', name: 'ListBuckets', readOnly: true, req: { Host: 's3.eu-central-1.amazonaws.com' } }],
    [1, { source: 'ec2.amazonaws.com', name: 'CreateSnapshot', readOnly: false, req: { volumeId: `vol-0${ctRng.hex(16)}`, description: 'manual pre-patch snapshot' }, resp: { requestId: ctRng.uuid(), snapshotId: `snap-0${ctRng.hex(16)}`, status: 'pending' } }],
  ]);
  return { identity: iamUserIdentity('carol', 'key', t), ip: IP.office, ua: UA.cli(call.name.replace(/([a-z])([A-Z])/g, '$1-$2').toLowerCase()), call };
};

const globalConfig: Routine = (t) => {
  const user = ctRng.pick(['alice', 'bob', 'carol', 'svc-ci'] as const);
  const call = ctRng.weighted<Call>([
    [3, { source: 'iam.amazonaws.com', name: 'GetUser', readOnly: true, req: { userName: user } }],
    [3, { source: 'iam.amazonaws.com', name: 'ListAttachedUserPolicies', readOnly: true, req: { userName: user } }],
    [2, { source: 'iam.amazonaws.com', name: 'GetRole', readOnly: true, req: { roleName: ctRng.pick(Object.keys(ROLES)) } }],
    [1, { source: 'iam.amazonaws.com', name: 'ListPolicies', readOnly: true, req: { onlyAttached: true, scope: 'All' } }],
  ]);
  return { identity: roleIdentity('AWSServiceRoleForConfig', 'AWSConfig-Describe', t, { invokedBy: 'config.amazonaws.com' }), ip: 'config.amazonaws.com', ua: 'config.amazonaws.com', call };
};

const ciGlobal: Routine = (t) => {
  if (ctRng.chance(0.5)) {
    const session = `gitlab-ci-${ctRng.int(41000, 41999)}`;
    return {
      identity: iamUserIdentity('svc-ci', 'key', t),
      ip: IP.ci,
      ua: UA.terraform,
      call: {
        source: 'sts.amazonaws.com',
        name: 'AssumeRole',
        readOnly: true,
        req: { roleArn: `arn:aws:iam::${ACCOUNT}:role/TerraformDeploy`, roleSessionName: session, durationSeconds: 3600 },
        resp: { credentials: { accessKeyId: sessionKey(), sessionToken: '<redacted in demo>', expiration: awsDate(t + HOUR) }, assumedRoleUser: { assumedRoleId: `${ROLES.TerraformDeploy}:${session}`, arn: `arn:aws:sts::${ACCOUNT}:assumed-role/TerraformDeploy/${session}` } },
        resources: [{ accountId: ACCOUNT, type: 'AWS::IAM::Role', ARN: `arn:aws:iam::${ACCOUNT}:role/TerraformDeploy` }],
      },
    };
  }
  return { identity: roleIdentity('TerraformDeploy', `gitlab-ci-${ctRng.int(41000, 41999)}`, t), ip: IP.ci, ua: UA.terraform, call: { source: 'sts.amazonaws.com', name: 'GetCallerIdentity', readOnly: true } };
};

const aliceConsoleGlobal: Routine = (t) => {
  const call = ctRng.weighted<Call>([
    [3, { source: 'iam.amazonaws.com', name: 'ListUsers', readOnly: true, req: { maxItems: 1000 } }],
    [2, { source: 'iam.amazonaws.com', name: 'ListRoles', readOnly: true, req: { maxItems: 1000 } }],
    [2, { source: 'iam.amazonaws.com', name: 'GetAccountSummary', readOnly: true }],
    [2, { source: 's3.amazonaws.com', name: 'ListBuckets', readOnly: true, req: { Host: 's3.amazonaws.com' } }],
    [1, { source: 'iam.amazonaws.com', name: 'GenerateCredentialReport', readOnly: false }],
  ]);
  return { identity: iamUserIdentity('alice', 'console', t), ip: IP.office, ua: UA.console, call };
};

const backupWest: Routine = (t) => {
  const call = ctRng.weighted<Call>([
    [3, { source: 'ec2.amazonaws.com', name: 'DescribeSnapshots', readOnly: true, req: { snapshotSet: {}, ownersSet: {}, filterSet: {} } }],
    [2, { source: 'ec2.amazonaws.com', name: 'CopySnapshot', readOnly: false, req: { sourceRegion: 'eu-central-1', sourceSnapshotId: `snap-0${ctRng.hex(16)}`, encrypted: true }, resp: { requestId: ctRng.uuid(), snapshotId: `snap-0${ctRng.hex(16)}` } }],
    [2, { source: 's3.amazonaws.com', name: 'GetBucketReplication', readOnly: true, req: { bucketName: 'acme-backups-euw1', Host: 's3.eu-west-1.amazonaws.com', replication: '' } }],
    [1, { source: 'kms.amazonaws.com', name: 'CreateGrant', readOnly: false, req: { keyId: `arn:aws:kms:eu-west-1:${ACCOUNT}:key/8e2d4c6a-1b3f-4a5e-9c7d-0f1e2d3c4b5a`, granteePrincipal: 'ec2.eu-west-1.amazonaws.com' } }],
  ]);
  return { identity: roleIdentity('AWSBackupDefaultServiceRole', 'AWSBackup-AWSBackupDefaultServiceRole', t, { invokedBy: 'backup.amazonaws.com' }), ip: 'backup.amazonaws.com', ua: 'backup.amazonaws.com', call };
};

const consoleLogin = (t: number, user: UserName, ip: string, ua: string): Rec =>
  ctRecord(t, 'us-east-1', { type: 'IAMUser', principalId: USERS[user].id, arn: `arn:aws:iam::${ACCOUNT}:user/${user}`, accountId: ACCOUNT, userName: user }, ip, ua, {
    source: 'signin.amazonaws.com',
    name: 'ConsoleLogin',
    readOnly: false,
    resp: { ConsoleLogin: 'Success' },
    extra: { additionalEventData: { LoginTo: 'https://console.aws.amazon.com/console/home?state=hashArgs%23&isauthcode=true', MobileVersion: 'No', MFAIdentifier: `arn:aws:iam::${ACCOUNT}:mfa/${user}`, MFAUsed: 'Yes' } },
    eventType: 'AwsConsoleSignIn',
  });

/** Routine traffic of one UTC day; weekend days are quieter. */
function routineDay(day: number, out: CtEvent[]): void {
  const d0 = CT_START + day * DAY;
  const dow = new Date(d0).getUTCDay();
  const weekend = dow === 0 || dow === 6;
  const add = (region: Region, r: Routine, t: number) => {
    const x = r(t, region);
    out.push({ time: t, region, rec: ctRecord(t, region, x.identity, x.ip, x.ua, x.call), scripted: false });
  };
  const anyTime = () => d0 + ctRng.int(0, DAY / 1000 - 1) * 1000;
  const workTime = () => d0 + 7 * HOUR + ctRng.int(0, (11 * HOUR) / 1000 - 1) * 1000;
  const westTime = () => d0 + 7 * HOUR + ctRng.int(0, (12 * HOUR) / 1000 - 1) * 1000; // eu-west-1 is only busy 07-19 UTC

  // eu-central-1: workloads.
  for (let i = 0, n = ctRng.int(26, 36); i < n; i++) add('eu-central-1', configRead, anyTime());
  for (let i = 0, n = ctRng.int(20, 28); i < n; i++) add('eu-central-1', appRole, anyTime());
  for (let i = 0; i < 4; i++) add('eu-central-1', ec2AssumeRole, d0 + i * 6 * HOUR + ctRng.int(60, 900) * 1000);
  if (!weekend) {
    for (let i = 0, n = ctRng.int(28, 40); i < n; i++) add('eu-central-1', ciTerraform, workTime());
    for (let i = 0, n = ctRng.int(8, 14); i < n; i++) add('eu-central-1', aliceOps, workTime());
    for (let i = 0, n = ctRng.int(6, 12); i < n; i++) add('eu-central-1', bobConsole, workTime());
    for (let i = 0, n = ctRng.int(2, 6); i < n; i++) add('eu-central-1', carolCli, workTime());
  }
  // us-east-1: global services (IAM, STS, sign-in).
  for (let i = 0, n = ctRng.int(10, 14); i < n; i++) add('us-east-1', globalConfig, anyTime());
  if (!weekend) {
    for (let i = 0, n = ctRng.int(14, 22); i < n; i++) add('us-east-1', ciGlobal, workTime());
    for (let i = 0, n = ctRng.int(4, 8); i < n; i++) add('us-east-1', aliceConsoleGlobal, workTime());
    const ta = d0 + 7 * HOUR + ctRng.int(0, 5400) * 1000;
    out.push({ time: ta, region: 'us-east-1', rec: consoleLogin(ta, 'alice', IP.office, UA.firefox), scripted: false });
    const tb = d0 + 8 * HOUR + ctRng.int(0, 5400) * 1000;
    out.push({ time: tb, region: 'us-east-1', rec: consoleLogin(tb, 'bob', IP.office, UA.chrome), scripted: false });
  }
  // eu-west-1: backup copies and the odd config read.
  for (let i = 0, n = ctRng.int(10, 16); i < n; i++) add('eu-west-1', backupWest, westTime());
  for (let i = 0, n = ctRng.int(4, 7); i < n; i++) add('eu-west-1', configRead, westTime());
}

/** The storyline, in UTC. Returns the events and the facts the answer sheet needs. */
function storyline(out: CtEvent[]) {
  const push = (t: number, region: Region, rec: Rec) => out.push({ time: t, region, rec, scripted: true });

  // 1. Failed console-login burst (2024-01-15, us-east-1): bob's password guessed from 203.0.113.23, plus three
  //    attempts for user names that do not exist (CloudTrail hides those names).
  const burst: number[] = [];
  let t = T('2024-01-15T02:13:04Z');
  for (let i = 0; i < 12; i++) {
    const unknown = i === 3 || i === 7 || i === 10;
    const identity: Rec = unknown
      ? { type: 'IAMUser', accountId: ACCOUNT, accessKeyId: '', userName: 'HIDDEN_DUE_TO_SECURITY_REASONS' }
      : { type: 'IAMUser', principalId: USERS.bob.id, arn: `arn:aws:iam::${ACCOUNT}:user/bob`, accountId: ACCOUNT, accessKeyId: '', userName: 'bob' };
    push(
      t,
      'us-east-1',
      ctRecord(t, 'us-east-1', identity, IP.loginBurst, UA.chrome, {
        source: 'signin.amazonaws.com',
        name: 'ConsoleLogin',
        readOnly: false,
        error: { code: 'Failed authentication', message: 'Failed authentication' },
        resp: { ConsoleLogin: 'Failure' },
        extra: { additionalEventData: { LoginTo: 'https://console.aws.amazon.com/console/home', MobileVersion: 'No', MFAUsed: 'No' } },
        eventType: 'AwsConsoleSignIn',
      }),
    );
    burst.push(t);
    t += ctRng.int(18, 47) * 1000;
  }
  // CloudTrail puts the failure text in errorMessage only; the errorCode field is absent on a failed ConsoleLogin.
  for (const e of out.slice(-12)) delete e.rec['errorCode'];

  // 2. Root console login without MFA (2024-01-16) and a few root API calls.
  const rootLogin = T('2024-01-16T09:12:41Z');
  const root: Array<{ time: string; region: Region; eventName: string }> = [];
  push(
    rootLogin,
    'us-east-1',
    ctRecord(rootLogin, 'us-east-1', rootIdentity(null), IP.attacker, UA.chrome, {
      source: 'signin.amazonaws.com',
      name: 'ConsoleLogin',
      readOnly: false,
      resp: { ConsoleLogin: 'Success' },
      extra: { additionalEventData: { LoginTo: 'https://console.aws.amazon.com/console/home?state=hashArgs%23&isauthcode=true', MobileVersion: 'No', MFAUsed: 'No' } },
      eventType: 'AwsConsoleSignIn',
    }),
  );
  root.push({ time: isoZ(rootLogin), region: 'us-east-1', eventName: 'ConsoleLogin' });
  const rootCalls: Array<[number, Region, Call]> = [
    [T('2024-01-16T09:13:05Z'), 'us-east-1', { source: 'iam.amazonaws.com', name: 'GetAccountSummary', readOnly: true }],
    [T('2024-01-16T09:13:37Z'), 'us-east-1', { source: 'iam.amazonaws.com', name: 'ListUsers', readOnly: true, req: { maxItems: 1000 } }],
    [T('2024-01-16T09:14:12Z'), 'us-east-1', { source: 'iam.amazonaws.com', name: 'ListAccessKeys', readOnly: true, req: { userName: 'carol' } }],
    [T('2024-01-16T09:16:48Z'), 'eu-central-1', { source: 'ec2.amazonaws.com', name: 'DescribeInstances', readOnly: true, req: { instancesSet: {}, filterSet: {} } }],
    [T('2024-01-16T09:17:20Z'), 'eu-central-1', { source: 'ec2.amazonaws.com', name: 'DescribeSecurityGroups', readOnly: true, req: { securityGroupSet: {}, securityGroupIdSet: {}, filterSet: {} } }],
  ];
  for (const [tc, region, call] of rootCalls) {
    push(tc, region, ctRecord(tc, region, rootIdentity(rootLogin), IP.attacker, UA.console, call));
    root.push({ time: isoZ(tc), region, eventName: call.name });
  }

  // 3. IAM changes with carol's access key from the attacker's address (2024-01-18, us-east-1).
  const iam: Array<{ time: string; eventName: string; actor: string; target: string }> = [];
  const iamCall = (ts: string, actor: UserName, call: Call, target: string) => {
    const tt = T(ts);
    push(tt, 'us-east-1', ctRecord(tt, 'us-east-1', iamUserIdentity(actor, 'key', tt), IP.attacker, UA.attackerCli(call.name.replace(/([a-z])([A-Z])/g, '$1-$2').toLowerCase()), call));
    iam.push({ time: ts, eventName: call.name, actor, target });
  };
  iamCall('2024-01-18T14:03:11Z', 'carol', { source: 'iam.amazonaws.com', name: 'CreateUser', readOnly: false, req: { userName: 'svc-backup' }, resp: { user: { path: '/', userName: 'svc-backup', userId: USERS['svc-backup'].id, arn: `arn:aws:iam::${ACCOUNT}:user/svc-backup`, createDate: awsDate(T('2024-01-18T14:03:11Z')) } } }, 'svc-backup');
  iamCall('2024-01-18T14:03:40Z', 'carol', { source: 'iam.amazonaws.com', name: 'AttachUserPolicy', readOnly: false, req: { userName: 'svc-backup', policyArn: 'arn:aws:iam::aws:policy/AdministratorAccess' } }, 'svc-backup');
  iamCall('2024-01-18T14:04:02Z', 'carol', { source: 'iam.amazonaws.com', name: 'CreateAccessKey', readOnly: false, req: { userName: 'svc-backup' }, resp: { accessKey: { accessKeyId: USERS['svc-backup'].key, status: 'Active', userName: 'svc-backup', createDate: awsDate(T('2024-01-18T14:04:02Z')) } } }, 'svc-backup');

  // 4. The bastion's security group opened to the world on port 22 (2024-01-19, eu-central-1) by svc-backup.
  const sgTime = T('2024-01-19T20:31:54Z');
  push(
    sgTime,
    'eu-central-1',
    ctRecord(sgTime, 'eu-central-1', iamUserIdentity('svc-backup', 'key', sgTime), IP.attacker, UA.attackerCli('ec2.authorize-security-group-ingress'), {
      source: 'ec2.amazonaws.com',
      name: 'AuthorizeSecurityGroupIngress',
      readOnly: false,
      req: { groupId: BASTION_SG, ipPermissions: { items: [{ ipProtocol: 'tcp', fromPort: 22, toPort: 22, groups: {}, ipRanges: { items: [{ cidrIp: '0.0.0.0/0' }] }, ipv6Ranges: {}, prefixListIds: {} }] } },
      resp: { requestId: ctRng.uuid(), _return: true, securityGroupRuleSet: { items: [{ groupOwnerId: ACCOUNT, groupId: BASTION_SG, securityGroupRuleId: 'sgr-0f1e2d3c4b5a69788', isEgress: false, ipProtocol: 'tcp', fromPort: 22, toPort: 22, cidrIpv4: '0.0.0.0/0' }] } },
    }),
  );

  // 5. StopLogging by svc-backup (2024-01-22) and StartLogging by alice ~26 h later; nothing logged in between.
  push(
    STOP_LOGGING,
    GAP_REGION,
    ctRecord(STOP_LOGGING, GAP_REGION, iamUserIdentity('svc-backup', 'key', STOP_LOGGING), IP.attacker, UA.attackerCli('cloudtrail.stop-logging'), {
      source: 'cloudtrail.amazonaws.com',
      name: 'StopLogging',
      readOnly: false,
      req: { name: TRAIL(GAP_REGION) },
      resources: [{ accountId: ACCOUNT, type: 'AWS::CloudTrail::Trail', ARN: TRAIL(GAP_REGION) }],
    }),
  );
  push(
    START_LOGGING,
    GAP_REGION,
    ctRecord(START_LOGGING, GAP_REGION, roleIdentity('OpsAdmin', 'alice', START_LOGGING, { mfa: true }), IP.vpn, UA.cli('cloudtrail.start-logging'), {
      source: 'cloudtrail.amazonaws.com',
      name: 'StartLogging',
      readOnly: false,
      req: { name: TRAIL(GAP_REGION) },
      resources: [{ accountId: ACCOUNT, type: 'AWS::CloudTrail::Trail', ARN: TRAIL(GAP_REGION) }],
    }),
  );
  const status = START_LOGGING + 41_000;
  push(status, GAP_REGION, ctRecord(status, GAP_REGION, roleIdentity('OpsAdmin', 'alice', status, { mfa: true }), IP.vpn, UA.cli('cloudtrail.get-trail-status'), { source: 'cloudtrail.amazonaws.com', name: 'GetTrailStatus', readOnly: true, req: { name: TRAIL(GAP_REGION) } }));

  // 6. Clean-up on 2024-01-24: the key is deactivated, the policy detached, the rule revoked.
  const fix: Array<[string, Region, Call]> = [
    ['2024-01-24T08:41:09Z', 'us-east-1', { source: 'iam.amazonaws.com', name: 'UpdateAccessKey', readOnly: false, req: { userName: 'svc-backup', accessKeyId: USERS['svc-backup'].key, status: 'Inactive' } }],
    ['2024-01-24T08:41:52Z', 'us-east-1', { source: 'iam.amazonaws.com', name: 'DetachUserPolicy', readOnly: false, req: { userName: 'svc-backup', policyArn: 'arn:aws:iam::aws:policy/AdministratorAccess' } }],
    ['2024-01-24T08:44:30Z', 'eu-central-1', { source: 'ec2.amazonaws.com', name: 'RevokeSecurityGroupIngress', readOnly: false, req: { groupId: BASTION_SG, ipPermissions: { items: [{ ipProtocol: 'tcp', fromPort: 22, toPort: 22, groups: {}, ipRanges: { items: [{ cidrIp: '0.0.0.0/0' }] }, ipv6Ranges: {}, prefixListIds: {} }] } }, resp: { requestId: ctRng.uuid(), _return: true } }],
  ];
  for (const [ts, region, call] of fix) {
    const tt = T(ts);
    push(tt, region, ctRecord(tt, region, roleIdentity('OpsAdmin', 'alice', tt, { mfa: true }), IP.vpn, UA.cli(call.name.replace(/([a-z])([A-Z])/g, '$1-$2').toLowerCase()), call));
    iam.push({ time: ts, eventName: call.name, actor: 'OpsAdmin/alice', target: call.name === 'RevokeSecurityGroupIngress' ? BASTION_SG : 'svc-backup' });
  }

  return {
    failedConsoleLogins: { count: burst.length, region: 'us-east-1', sourceIP: IP.loginBurst, hiddenUserNames: 3, first: isoZ(burst[0]!), last: isoZ(burst[burst.length - 1]!) },
    root: { consoleLogin: { time: isoZ(rootLogin), sourceIP: IP.attacker, mfaUsed: 'No', result: 'Success' }, events: root },
    iamChanges: iam.filter((x) => x.actor === 'carol'),
    remediation: iam.filter((x) => x.actor !== 'carol'),
    securityGroupOpened: { time: isoZ(sgTime), region: 'eu-central-1', groupId: BASTION_SG, port: 22, cidr: '0.0.0.0/0', actor: 'svc-backup' },
  };
}

interface CtObject {
  key: string;
  region: Region;
  delivered: number;
  records: CtEvent[];
}

function buildCloudTrail() {
  const events: CtEvent[] = [];
  for (let day = 0; day < CT_DAYS; day++) routineDay(day, events);
  const story = storyline(events);

  // Logging gap and missing delivery day: nothing routine survives there (scripted events are placed outside).
  const kept = events.filter((e) => {
    if (e.region === GAP_REGION && e.time > STOP_LOGGING && e.time < START_LOGGING) {
      if (e.scripted) throw new Error('a scripted event falls into the logging gap');
      return false;
    }
    if (e.region === MISSING_DAY_REGION && dayOf(e.time) === MISSING_DAY) {
      if (e.scripted) throw new Error('a scripted event falls on the missing day');
      return false;
    }
    return true;
  });
  // Stable order: time, then region, then generation order.
  const order = new Map(kept.map((e, i) => [e, i]));
  kept.sort((a, b) => a.time - b.time || REGIONS.indexOf(a.region) - REGIONS.indexOf(b.region) || order.get(a)! - order.get(b)!);

  // One delivery object per region and twelve-hour UTC window with events; delivered 3-12 minutes after its last event.
  const groups = new Map<string, CtEvent[]>();
  for (const e of kept) {
    const w = Math.floor(e.time / WINDOW);
    const k = `${REGIONS.indexOf(e.region)}|${String(w).padStart(8, '0')}`;
    (groups.get(k) ?? groups.set(k, []).get(k)!).push(e);
  }
  const objects: CtObject[] = [];
  for (const k of [...groups.keys()].sort()) {
    const recs = groups.get(k)!;
    const region = recs[0]!.region;
    const last = recs[recs.length - 1]!.time;
    const delivered = Math.ceil((last + ctRng.int(3, 12) * MIN) / (5 * MIN)) * 5 * MIN;
    const d = new Date(delivered);
    const ymd = `${d.getUTCFullYear()}${pad2(d.getUTCMonth() + 1)}${pad2(d.getUTCDate())}`;
    const stamp = `${ymd}T${pad2(d.getUTCHours())}${pad2(d.getUTCMinutes())}Z`;
    const key = `AWSLogs/${ACCOUNT}/CloudTrail/${region}/${d.getUTCFullYear()}/${pad2(d.getUTCMonth() + 1)}/${pad2(d.getUTCDate())}/${ACCOUNT}_CloudTrail_${region}_${stamp}_${ctRng.chars(16, ALNUM)}.json.gz`;
    objects.push({ key, region, delivered, records: recs });
  }
  return { events: kept, objects, story };
}

// ---------------------------------------------------------------------------------------------------------------
// bastion-01 auth.log

interface AuthLine {
  time: number;
  seq: number;
  text: string;
  kind: string;
}

const authRng = new Rng(SEED ^ 0x0a17);

function buildAuthLog() {
  const lines: AuthLine[] = [];
  let seq = 0;
  let pid = 1187;
  let logindSession = 0;
  const nextPid = () => (pid += authRng.int(3, 140));
  const emit = (time: number, prog: string, p: number | null, msg: string, kind: string) => {
    lines.push({ time, seq: seq++, text: `${syslogStamp(time)} ${HOST} ${prog}${p === null ? '' : `[${p}]`}: ${msg}`, kind });
  };
  const USERS_UID: Record<string, number> = { root: 0, alice: 1000, bob: 1001, backup2: 1002 };
  const KEYS: Record<string, string> = {
    alice: 'ED25519 SHA256:p9Ykq4bYh1tOyO0m2fK7r3Vd8cQe6uXwzA1sJ5nLb0E',
    bob: 'RSA SHA256:Q2vN8mXc4rT6yU1iO9pA3sD5fG7hJ0kL2zX4cV6bN8M',
  };

  /** One SSH session: login, optional commands inside, logout. Returns the end time. */
  const sshSession = (start: number, user: string, ip: string, method: 'publickey' | 'password', body: (t: number, tty: string) => number, tty = 'pts/0'): number => {
    const sp = nextPid();
    const port = authRng.int(40000, 65000);
    const uid = USERS_UID[user]!;
    emit(start, 'sshd', sp, `Accepted ${method} for ${user} from ${ip} port ${port} ssh2${method === 'publickey' ? `: ${KEYS[user]}` : ''}`, 'ssh_accepted');
    emit(start, 'sshd', sp, `pam_unix(sshd:session): session opened for user ${user}(uid=${uid}) by (uid=0)`, 'session_opened');
    const sess = ++logindSession;
    emit(start, 'systemd-logind', 812, `New session ${sess} of user ${user}.`, 'logind_new_session');
    const end = body(start + authRng.int(20, 90) * 1000, tty) + authRng.int(30, 600) * 1000;
    emit(end, 'sshd', sp, `Received disconnect from ${ip} port ${port}:11: disconnected by user`, 'other');
    emit(end, 'sshd', sp, `Disconnected from user ${user} ${ip} port ${port}`, 'other');
    emit(end, 'sshd', sp, `pam_unix(sshd:session): session closed for user ${user}`, 'session_closed');
    emit(end, 'systemd-logind', 812, `Session ${sess} logged out. Waiting for processes to exit.`, 'other');
    emit(end + 1000, 'systemd-logind', 812, `Removed session ${sess}.`, 'other');
    return end;
  };

  const sudo = (t: number, user: string, tty: string, pwd: string, cmd: string, after?: (t: number) => void): number => {
    emit(t, 'sudo', null, `${user.padStart(8, ' ')} : TTY=${tty} ; PWD=${pwd} ; USER=root ; COMMAND=${cmd}`, 'sudo');
    emit(t, 'sudo', null, `pam_unix(sudo:session): session opened for user root(uid=0) by ${user}(uid=${USERS_UID[user]})`, 'session_opened');
    after?.(t);
    const end = t + authRng.int(1, 40) * 1000;
    emit(end, 'sudo', null, 'pam_unix(sudo:session): session closed for user root', 'session_closed');
    return end;
  };

  const ROUTINE_SUDO = [
    '/usr/bin/systemctl restart nginx',
    '/usr/bin/systemctl status nginx',
    '/usr/bin/journalctl -u nginx --since today',
    '/usr/bin/tail -n 200 /var/log/nginx/error.log',
    '/usr/bin/apt-get update',
    '/usr/bin/docker ps',
  ];

  const scan = (t: number, ip: string, user: string) => {
    const p = nextPid();
    const port = authRng.int(30000, 65000);
    emit(t, 'sshd', p, `Invalid user ${user} from ${ip} port ${port}`, 'ssh_invalid_user');
    emit(t + 2000, 'sshd', p, `Failed password for invalid user ${user} from ${ip} port ${port} ssh2`, 'ssh_failed');
    emit(t + 3000, 'sshd', p, `Connection closed by invalid user ${user} ${ip} port ${port} [preauth]`, 'ssh_preauth_closed');
  };

  const start = berlin('2023-12-29T00:00:00');
  const end = berlin('2024-01-29T00:00:00');
  const rotation = berlin('2024-01-08T06:25:01');
  const days = Math.round((end - start) / DAY);
  const story: Record<string, unknown> = {};

  for (let d = 0; d < days; d++) {
    const d0 = start + d * DAY;
    const dow = new Date(d0 + 12 * HOUR).getUTCDay();
    const weekend = dow === 0 || dow === 6;
    const holiday = d0 < berlin('2024-01-02T00:00:00');
    // Hourly cron (root), and cron.daily at 06:25.
    for (let h = 0; h < 24; h++) {
      const tc = d0 + h * HOUR + 17 * MIN + 1000;
      const p = nextPid();
      emit(tc, 'CRON', p, 'pam_unix(cron:session): session opened for user root(uid=0) by (uid=0)', 'session_opened');
      emit(tc + (authRng.chance(0.2) ? 1000 : 0), 'CRON', p, 'pam_unix(cron:session): session closed for user root', 'session_closed');
      if (h === 6) {
        const td = d0 + 6 * HOUR + 25 * MIN + 1000;
        const pd = nextPid();
        emit(td, 'CRON', pd, 'pam_unix(cron:session): session opened for user root(uid=0) by (uid=0)', 'session_opened');
        emit(td + 1000, 'CRON', pd, 'pam_unix(cron:session): session closed for user root', 'session_closed');
      }
    }
    // Background scanning from the internet.
    for (let i = 0, n = authRng.int(1, 4); i < n; i++) {
      scan(d0 + authRng.int(0, 86_000) * 1000, `${IP.scanner.slice(0, -3)}${authRng.int(100, 140)}`, authRng.pick(['admin', 'test', 'ubuntu', 'oracle', 'git', 'postgres', 'user']));
    }
    if (weekend || holiday) continue;
    // alice: morning session with a few sudo commands; bob: afternoon session.
    const am = d0 + 8 * HOUR + authRng.int(0, 5400) * 1000;
    sshSession(am, 'alice', '10.20.0.15', 'publickey', (t, tty) => {
      for (let i = 0, n = authRng.int(1, 3); i < n; i++) t = sudo(t + authRng.int(30, 900) * 1000, 'alice', tty, '/home/alice', authRng.pick(ROUTINE_SUDO));
      return t;
    });
    if (authRng.chance(0.7)) {
      const pm = d0 + 13 * HOUR + authRng.int(0, 10_800) * 1000;
      sshSession(pm, 'bob', '10.20.0.31', 'password', (t) => t + authRng.int(300, 3600) * 1000, 'pts/1');
    }
  }

  // Storyline (times given in Berlin local time).
  // Dec 31: alice checks the box on New Year's Eve (a Dec line with sudo, to exercise the year rollover).
  sshSession(berlin('2023-12-31T10:04:17'), 'alice', '10.20.0.15', 'publickey', (t, tty) => sudo(t + 40_000, 'alice', tty, '/home/alice', '/usr/bin/apt-get upgrade -y'));
  // Jan 10: alice becomes root with su.
  sshSession(berlin('2024-01-10T15:20:03'), 'alice', '10.20.0.15', 'publickey', (t, tty) => {
    const p = nextPid();
    emit(t + 5000, 'su', p, `(to root) alice on ${tty}`, 'su');
    emit(t + 5000, 'su', p, 'pam_unix(su:session): session opened for user root(uid=0) by alice(uid=1000)', 'session_opened');
    emit(t + 600_000, 'su', p, 'pam_unix(su:session): session closed for user root', 'session_closed');
    return t + 600_000;
  });
  // Jan 12: bob tries sudo and is not in sudoers.
  const notSudoers = berlin('2024-01-12T16:02:10');
  sshSession(berlin('2024-01-12T15:58:44'), 'bob', '10.20.0.31', 'password', () => {
    emit(notSudoers, 'sudo', null, '     bob : user NOT in sudoers ; TTY=pts/1 ; PWD=/home/bob ; USER=root ; COMMAND=/bin/cat /etc/shadow', 'sudo_not_in_sudoers');
    return notSudoers + 30_000;
  }, 'pts/1');
  // Jan 15 03:1x: password guessing from the address that also hammered the AWS console.
  let t = berlin('2024-01-15T03:11:20');
  const burst1 = { ip: IP.loginBurst, first: t, last: 0, failed: 0 };
  for (const user of ['admin', 'test', 'ubuntu', 'deploy', 'oracle', 'admin', 'git', 'jenkins']) {
    scan(t, IP.loginBurst, user);
    burst1.failed++;
    burst1.last = t + 2000;
    t += authRng.int(4, 15) * 1000;
  }
  for (let i = 0; i < 4; i++) {
    const p = nextPid();
    const port = authRng.int(30000, 65000);
    emit(t, 'sshd', p, `pam_unix(sshd:auth): authentication failure; logname= uid=0 euid=0 tty=ssh ruser= rhost=${IP.loginBurst}  user=bob`, 'pam_auth_failure');
    emit(t + 2000, 'sshd', p, `Failed password for bob from ${IP.loginBurst} port ${port} ssh2`, 'ssh_failed');
    burst1.failed++;
    burst1.last = t + 2000;
    t += authRng.int(4, 15) * 1000;
  }
  // Jan 20 04:4x: root password guessing, ending in "maximum authentication attempts exceeded".
  t = berlin('2024-01-20T04:41:07');
  const burst2 = { ip: IP.sshBrute, first: t, last: 0, failed: 0 };
  {
    const p = nextPid();
    const port = authRng.int(30000, 65000);
    for (let i = 0; i < 6; i++) {
      emit(t, 'sshd', p, `Failed password for root from ${IP.sshBrute} port ${port} ssh2`, 'ssh_failed');
      burst2.failed++;
      burst2.last = t;
      t += authRng.int(2, 5) * 1000;
    }
    emit(t, 'sshd', p, `error: maximum authentication attempts exceeded for root from ${IP.sshBrute} port ${port} ssh2 [preauth]`, 'ssh_max_auth');
    emit(t, 'sshd', p, `Disconnecting authenticating user root ${IP.sshBrute} port ${port}: Too many authentication failures [preauth]`, 'other');
  }
  // Jan 22 22:58 (21:58 UTC, eleven minutes after StopLogging): root logs in over SSH from the attacker's address
  // and creates backup2 with sudo rights.
  const rootLogin = berlin('2024-01-22T22:58:31');
  sshSession(rootLogin, 'root', IP.attacker, 'password', (t0) => {
    const pu = nextPid();
    const tu = t0 + 95_000;
    emit(tu, 'useradd', pu, 'new group: name=backup2, GID=1002', 'group_created');
    emit(tu, 'useradd', pu, 'new user: name=backup2, UID=1002, GID=1002, home=/home/backup2, shell=/bin/bash, from=/dev/pts/0', 'user_created');
    const pp = nextPid();
    emit(tu + 14_000, 'passwd', pp, 'pam_unix(passwd:chauthtok): password changed for backup2', 'password_changed');
    const pm = nextPid();
    emit(tu + 41_000, 'usermod', pm, "add 'backup2' to group 'sudo'", 'group_member_added');
    emit(tu + 41_000, 'usermod', pm, "add 'backup2' to shadow group 'sudo'", 'group_member_added');
    story['userCreated'] = { time: isoZ(tu), local: localIso(tu), name: 'backup2', uid: 1002 };
    story['addedToSudo'] = { time: isoZ(tu + 41_000), local: localIso(tu + 41_000) };
    return tu + 300_000;
  });
  // Jan 23: backup2 logs in from the same address and uses its new sudo right.
  sshSession(berlin('2024-01-23T01:12:09'), 'backup2', IP.attacker, 'password', (t0, tty) => sudo(t0 + 20_000, 'backup2', tty, '/home/backup2', '/usr/bin/crontab -l -u root'));
  // Jan 24 09:50: alice cleans up.
  sshSession(berlin('2024-01-24T09:50:12'), 'alice', '10.20.0.15', 'publickey', (t0, tty) => {
    let tt = sudo(t0 + 30_000, 'alice', tty, '/home/alice', '/usr/bin/last -F');
    tt = sudo(tt + 60_000, 'alice', tty, '/home/alice', '/usr/sbin/userdel -r backup2', (ts) => {
      const p = nextPid();
      emit(ts + 1000, 'userdel', p, "delete user 'backup2'", 'user_deleted');
      emit(ts + 1000, 'userdel', p, "removed group 'backup2' owned by 'backup2'", 'other');
      emit(ts + 1000, 'userdel', p, "removed shadow group 'backup2' owned by 'backup2'", 'other');
    });
    return tt;
  });

  const order = (a: AuthLine, b: AuthLine) => a.time - b.time || a.seq - b.seq;
  lines.sort(order);
  const old = lines.filter((l) => l.time < rotation);
  const cur = lines.filter((l) => l.time >= rotation);
  if (cur[cur.length - 1]!.time >= end) throw new Error('auth.log runs past Jan 28');

  return {
    files: [
      { name: 'var/log/auth.log.1', lines: old, mtime: '2024-01-08T06:25:02' },
      { name: 'var/log/auth.log', lines: cur, mtime: '2024-01-29T07:00:00' },
    ],
    story: {
      ...story,
      rootSshLogin: { time: isoZ(rootLogin), local: localIso(rootLogin), sourceIP: IP.attacker, method: 'password' },
      notInSudoers: { time: isoZ(notSudoers), local: localIso(notSudoers), user: 'bob' },
      sshBursts: [
        { ip: burst1.ip, failedPasswordLines: burst1.failed, firstUtc: isoZ(burst1.first), lastUtc: isoZ(burst1.last) },
        { ip: burst2.ip, failedPasswordLines: burst2.failed, firstUtc: isoZ(burst2.first), lastUtc: isoZ(burst2.last) },
      ],
    },
  };
}

// ---------------------------------------------------------------------------------------------------------------
// gzip and zip writers with fixed timestamps.

function gzip(data: Buffer, mtimeMs: number): Buffer {
  const header = Buffer.from([0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 2, 3]); // deflate, no flags, mtime, XFL=2 (max), OS=Unix
  header.writeUInt32LE(Math.floor(mtimeMs / 1000), 4);
  const trailer = Buffer.alloc(8);
  trailer.writeUInt32LE(zlib.crc32(data) >>> 0, 0);
  trailer.writeUInt32LE(data.length >>> 0, 4);
  return Buffer.concat([header, zlib.deflateRawSync(data, { level: 9 }), trailer]);
}

interface ZipInput {
  name: string;
  data: Buffer;
  /** Wall-clock time written into the DOS date/time fields (read back as UTC by the workbench). */
  mtime: string;
  /** Store already-compressed members as they are (like zip -n .gz). */
  store: boolean;
}

function dosDateTime(local: string): { date: number; time: number } {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})$/.exec(local);
  if (!m) throw new Error(`bad zip time ${local}`);
  const [y, mo, d, h, mi, s] = m.slice(1).map(Number) as [number, number, number, number, number, number];
  return { date: ((y - 1980) << 9) | (mo << 5) | d, time: (h << 11) | (mi << 5) | (s >> 1) };
}

function writeZip(entries: ZipInput[]): Buffer {
  const parts: Buffer[] = [];
  const central: Buffer[] = [];
  let offset = 0;
  for (const e of entries) {
    const name = Buffer.from(e.name, 'utf8');
    const body = e.store ? e.data : zlib.deflateRawSync(e.data, { level: 9 });
    const method = e.store ? 0 : 8;
    const crc = zlib.crc32(e.data) >>> 0;
    const { date, time } = dosDateTime(e.mtime);
    const version = e.store ? 10 : 20;
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(version, 4);
    local.writeUInt16LE(0, 6); // flags: names are ASCII
    local.writeUInt16LE(method, 8);
    local.writeUInt16LE(time, 10);
    local.writeUInt16LE(date, 12);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(body.length, 18);
    local.writeUInt32LE(e.data.length, 22);
    local.writeUInt16LE(name.length, 26);
    local.writeUInt16LE(0, 28);
    const cd = Buffer.alloc(46);
    cd.writeUInt32LE(0x02014b50, 0);
    cd.writeUInt16LE((3 << 8) | 20, 4); // made by Unix, spec 2.0
    cd.writeUInt16LE(version, 6);
    cd.writeUInt16LE(0, 8);
    cd.writeUInt16LE(method, 10);
    cd.writeUInt16LE(time, 12);
    cd.writeUInt16LE(date, 14);
    cd.writeUInt32LE(crc, 16);
    cd.writeUInt32LE(body.length, 20);
    cd.writeUInt32LE(e.data.length, 24);
    cd.writeUInt16LE(name.length, 28);
    cd.writeUInt16LE(0, 30); // extra
    cd.writeUInt16LE(0, 32); // comment
    cd.writeUInt16LE(0, 34); // disk
    cd.writeUInt16LE(e.store ? 0 : 1, 36); // internal attributes: text
    cd.writeUInt32LE((0o100644 << 16) >>> 0, 38); // regular file, rw-r--r--
    cd.writeUInt32LE(offset, 42);
    parts.push(local, name, body);
    central.push(cd, name);
    offset += local.length + name.length + body.length;
  }
  const cdBuf = Buffer.concat(central);
  const eocd = Buffer.alloc(22);
  eocd.writeUInt32LE(0x06054b50, 0);
  eocd.writeUInt16LE(0, 4);
  eocd.writeUInt16LE(0, 6);
  eocd.writeUInt16LE(entries.length, 8);
  eocd.writeUInt16LE(entries.length, 10);
  eocd.writeUInt32LE(cdBuf.length, 12);
  eocd.writeUInt32LE(offset, 16);
  eocd.writeUInt16LE(0, 20);
  return Buffer.concat([...parts, cdBuf, eocd]);
}

// ---------------------------------------------------------------------------------------------------------------

const README_TXT = `ACME Corp - log export 2024-Q1 (DEMO DATA)
==========================================

This archive is SYNTHETIC DEMO DATA for Evidence Workbench.
Every record in it was generated by bench/make-demo.ts from a fixed seed.
No real company, person, account, host or network is described:
  - "ACME Corp" and its staff are fictitious;
  - AWS account 111122223333 is the placeholder used in AWS documentation;
  - public IP addresses come from the documentation ranges of RFC 5737
    (192.0.2.0/24, 198.51.100.0/24, 203.0.113.0/24);
  - access key IDs end in EXAMPLE and no secret keys are included.

Layout
  AWSLogs/111122223333/CloudTrail/<region>/YYYY/MM/DD/*.json.gz
      AWS CloudTrail S3 delivery objects, 2024-01-08 to 2024-01-28 (UTC)
  var/log/auth.log, var/log/auth.log.1
      Linux authentication log of host bastion-01 (local time Europe/Berlin)
  README.txt
      this file (not a log)

Licence: same as the Evidence Workbench project.
`;

function main(): void {
  const ct = buildCloudTrail();
  const auth = buildAuthLog();

  const entries: ZipInput[] = [];
  for (const o of ct.objects) {
    const json = Buffer.from(JSON.stringify({ Records: o.records.map((e) => e.rec) }), 'utf8');
    const d = new Date(o.delivered);
    const mtime = `${d.getUTCFullYear()}-${pad2(d.getUTCMonth() + 1)}-${pad2(d.getUTCDate())}T${pad2(d.getUTCHours())}:${pad2(d.getUTCMinutes())}:${pad2(d.getUTCSeconds())}`;
    entries.push({ name: o.key, data: gzip(json, o.delivered), mtime, store: true });
  }
  for (const f of auth.files) entries.push({ name: f.name, data: Buffer.from(f.lines.map((l) => l.text + '\n').join(''), 'utf8'), mtime: f.mtime, store: false });
  entries.push({ name: 'README.txt', data: Buffer.from(README_TXT, 'utf8'), mtime: '2024-01-29T07:10:00', store: false });
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));

  const zip = writeZip(entries);
  fs.mkdirSync(OUT_DIR, { recursive: true });
  fs.writeFileSync(path.join(OUT_DIR, ZIP_NAME), zip);

  // Answer sheet.
  const perRegion = Object.fromEntries(REGIONS.map((r) => [r, ct.events.filter((e) => e.region === r).length]));
  const perObject = Object.fromEntries(ct.objects.map((o) => [o.key, o.records.length]));
  const rootEvents = ct.events.filter((e) => (e.rec['userIdentity'] as Rec)['type'] === 'Root');
  const perIdentityType: Record<string, number> = {};
  for (const e of ct.events) {
    const ty = String((e.rec['userIdentity'] as Rec)['type']);
    perIdentityType[ty] = (perIdentityType[ty] ?? 0) + 1;
  }
  const gapRegionEvents = ct.events.filter((e) => e.region === GAP_REGION);
  const before = gapRegionEvents.filter((e) => e.time < STOP_LOGGING);
  const after = gapRegionEvents.filter((e) => e.time > START_LOGGING);
  const westDays = [...new Set(ct.events.filter((e) => e.region === MISSING_DAY_REGION).map((e) => dayOf(e.time)))].sort();
  const westFolders = [...new Set(ct.objects.filter((o) => o.region === MISSING_DAY_REGION).map((o) => o.key.split('/').slice(4, 7).join('-')))].sort();

  const authFiles = auth.files.map((f) => {
    const kinds: Record<string, number> = {};
    for (const l of f.lines) kinds[l.kind] = (kinds[l.kind] ?? 0) + 1;
    const dec = f.lines.filter((l) => l.text.startsWith('Dec ')).length;
    return {
      path: f.name,
      lines: f.lines.length,
      zipMtime: f.mtime,
      firstLocal: localIso(f.lines[0]!.time),
      lastLocal: localIso(f.lines[f.lines.length - 1]!.time),
      firstUtc: isoZ(f.lines[0]!.time),
      lastUtc: isoZ(f.lines[f.lines.length - 1]!.time),
      linesByYear: { '2023': dec, '2024': f.lines.length - dec },
      kinds: Object.fromEntries(Object.entries(kinds).sort()),
    };
  });
  const authTotal = authFiles.reduce((a, f) => a + f.lines, 0);
  const allTimes = [...ct.events.map((e) => e.time), ...auth.files.flatMap((f) => f.lines.map((l) => l.time))];

  const expected = {
    description: 'Answer sheet of demo/acme-2024q1-export.zip, written by bench/make-demo.ts from what it generated (counts by construction).',
    generator: { script: 'bench/make-demo.ts', seed: SEED, version: GENERATOR_VERSION },
    archive: {
      path: `demo/${ZIP_NAME}`,
      sha256: createHash('sha256').update(zip).digest('hex'),
      bytes: zip.length,
      entries: entries.length,
      readme: 'README.txt',
    },
    case: { periodStart: '2024-01-01', periodEnd: '2024-03-31', timezone: TZ },
    totals: {
      members: entries.length,
      logMembers: ct.objects.length + auth.files.length,
      records: ct.events.length + authTotal,
      cloudtrailRecords: ct.events.length,
      authLogLines: authTotal,
    },
    cloudtrail: {
      account: ACCOUNT,
      objects: ct.objects.length,
      records: ct.events.length,
      firstEventUtc: isoZ(ct.events[0]!.time),
      lastEventUtc: isoZ(ct.events[ct.events.length - 1]!.time),
      perRegion,
      perIdentityType: Object.fromEntries(Object.entries(perIdentityType).sort()),
      rootEvents: rootEvents.length,
      root: ct.story.root,
      failedConsoleLogins: ct.story.failedConsoleLogins,
      iamChanges: ct.story.iamChanges,
      securityGroupOpened: ct.story.securityGroupOpened,
      remediation: ct.story.remediation,
      stopLogging: { time: isoZ(STOP_LOGGING), region: GAP_REGION, actor: 'svc-backup', actorType: 'IAMUser', trail: TRAIL(GAP_REGION) },
      startLogging: { time: isoZ(START_LOGGING), region: GAP_REGION, actor: 'OpsAdmin/alice', actorType: 'AssumedRole', trail: TRAIL(GAP_REGION) },
      loggingGap: {
        region: GAP_REGION,
        from: isoZ(STOP_LOGGING),
        to: isoZ(START_LOGGING),
        hours: +((START_LOGGING - STOP_LOGGING) / HOUR).toFixed(3),
        eventsInside: 0,
        /** The neighbours of the gap other than StopLogging and StartLogging themselves. */
        lastEventBefore: isoZ(before[before.length - 1]!.time),
        firstEventAfter: isoZ(after[0]!.time),
      },
      missingDeliveryDay: { region: MISSING_DAY_REGION, date: MISSING_DAY, eventsThatDay: 0, daysWithEvents: westDays.length, deliveryFolders: westFolders.length },
      perObject,
    },
    authLog: {
      host: HOST,
      timezone: TZ,
      files: authFiles,
      story: auth.story,
    },
    firstEventUtc: isoZ(Math.min(...allTimes)),
    lastEventUtc: isoZ(Math.max(...allTimes)),
  };
  fs.writeFileSync(path.join(OUT_DIR, 'expected.json'), JSON.stringify(expected, null, 2) + '\n');
  const shown = path.relative(process.cwd(), OUT_DIR) || '.';
  process.stdout.write(
    `wrote ${shown}/${ZIP_NAME} (${zip.length} bytes, ${entries.length} entries): ${ct.events.length} CloudTrail records in ${ct.objects.length} objects, ${authTotal} auth.log lines\nwrote ${shown}/expected.json\n`,
  );
}

main();

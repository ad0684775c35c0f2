/**
 * Seeded generator of synthetic AWS CloudTrail S3 delivery objects for the ingest benchmark: `.json.gz` files holding
 * compact `{"Records":[...]}` documents, laid out as CloudTrail writes them to S3
 * (`AWSLogs/<account>/CloudTrail/<region>/YYYY/MM/DD/<account>_CloudTrail_<region>_<YYYYMMDDTHHmmZ>_<random16>.json.gz`).
 * Same seed and options give byte-identical output (each object draws from its own random stream, derived from the
 * seed and its index). Objects are built and gzipped on worker threads, a couple per worker at a time, so memory stays
 * at a few objects whatever the total.
 *
 * Usage: node --import tsx bench/gen-cloudtrail.ts --records 1000000 --out bench/data/ct [--seed 42]
 *        [--start 2024-01-01] [--days 30] [--level 6] [--workers <n>]
 */
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import os from 'node:os';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';


/** Bump when the output for a given seed changes, so cached benchmark data is regenerated. */
export const GENERATOR_VERSION = 1;

export interface GenOptions {
  records: number;
  out: string;
  seed: number;
  /** First day of the event window (UTC, YYYY-MM-DD). */
  start: string;
  /** Length of the event window in days; delivery objects are spread evenly over it. */
  days: number;
  /** gzip level (real CloudTrail objects are ordinary gzip; 6 is zlib's default). */
  level: number;
  /** Worker threads building and compressing objects (default: one per core). */
  workers?: number;
  onProgress?: (done: number, total: number) => void;
}

export interface GenResult {
  files: number;
  records: number;
  bytesCompressed: number;
  bytesUncompressed: number;
  /** Largest uncompressed object: the baseline needs read_json's maximum_object_size above it. */
  maxObjectBytes: number;
  ms: number;
}

// ---------------------------------------------------------------------------------------------------------------
// PRNG: sfc32 seeded through splitmix32. Each object gets its own stream derived from (seed, object index) so an
// object's content does not depend on how many random numbers earlier objects happened to draw.

function splitmix32(a: number): () => number {
  return () => {
    a = (a + 0x9e3779b9) | 0;
    let t = a ^ (a >>> 16);
    t = Math.imul(t, 0x21f0aaad);
    t ^= t >>> 15;
    t = Math.imul(t, 0x735a2d97);
    return (t ^ (t >>> 15)) >>> 0;
  };
}

const HEX = '0123456789abcdef';
const HEX_UP = '0123456789ABCDEF';
const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const UPPER_NUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

export class Rng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;
  constructor(...seeds: number[]) {
    let h = 0x811c9dc5;
    for (const s of seeds) h = Math.imul(h ^ (s >>> 0), 0x01000193) ^ Math.imul(s / 0x100000000, 0x5bd1e995);
    const sm = splitmix32(h);
    this.a = sm();
    this.b = sm();
    this.c = sm();
    this.d = sm();
    for (let i = 0; i < 12; i++) this.u32();
  }
  u32(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }
  /** Uniform in [0, 1). */
  f(): number {
    return this.u32() / 0x100000000;
  }
  /** Uniform integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.f() * n);
  }
  range(lo: number, hi: number): number {
    return lo + this.int(hi - lo + 1);
  }
  chance(p: number): boolean {
    return this.f() < p;
  }
  pick<T>(xs: readonly T[]): T {
    return xs[this.int(xs.length)]!;
  }
  chars(alphabet: string, n: number): string {
    let s = '';
    for (let i = 0; i < n; i++) s += alphabet[this.int(alphabet.length)];
    return s;
  }
  hex(n: number): string {
    return this.chars(HEX, n);
  }
  uuid(): string {
    const h = this.hex(32);
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${'89ab'[this.int(4)]}${h.slice(17, 20)}-${h.slice(20, 32)}`;
  }
}

/** Picks from a weighted table in O(log n): cumulative weights are precomputed once. */
class Weighted<T> {
  private readonly cum: number[] = [];
  private readonly total: number;
  constructor(private readonly items: ReadonlyArray<readonly [T, number]>) {
    let t = 0;
    for (const [, w] of items) this.cum.push((t += w));
    this.total = t;
  }
  pick(r: Rng): T {
    const x = r.f() * this.total;
    let lo = 0;
    let hi = this.cum.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.cum[mid]! > x) hi = mid;
      else lo = mid + 1;
    }
    return this.items[lo]![0];
  }
}

// ---------------------------------------------------------------------------------------------------------------
// The world the events come from: a few accounts, regions, principals, buckets, keys. Fixed tables (not random) so
// that queries over the benchmark data give stable, recognisable answers.

const ACCOUNTS = new Weighted([
  ['111122223333', 6],
  ['444455556666', 3],
  ['777788889999', 1],
] as const);
const REGIONS = new Weighted([
  ['us-east-1', 8],
  ['eu-west-1', 4],
  ['eu-central-1', 3],
  ['us-west-2', 3],
  ['ap-southeast-2', 1],
  ['ap-northeast-1', 1],
] as const);
const USERS = ['alice', 'bob', 'carol.jones', 'dave', 'ci-deploy', 'terraform', 'svc-backup', 'svc-reporting', 'eve.admin', 'mallory'];
const ROLES = [
  'OrganizationAccountAccessRole',
  'AWSReservedSSO_AdministratorAccess_5b1c3f2e9a7d4c11',
  'AWSReservedSSO_ReadOnlyAccess_0e8d7c6b5a4f3e21',
  'lambda-orders-exec-role',
  'eks-node-group-role',
  'GitHubActionsDeployRole',
  'SecurityAuditRole',
  'ecsTaskExecutionRole',
];
const SESSIONS = ['alice@example.com', 'bob@example.com', 'i-0a1b2c3d4e5f60718', 'botocore-session-1712345678', 'GitHubActions', 'aws-go-sdk-1712345678901', 'orders-processor'];
const SERVICES = ['ec2.amazonaws.com', 'lambda.amazonaws.com', 's3.amazonaws.com', 'cloudtrail.amazonaws.com', 'config.amazonaws.com', 'elasticloadbalancing.amazonaws.com', 'autoscaling.amazonaws.com'];
const BUCKETS = ['acme-prod-data', 'acme-logs-archive', 'acme-ci-artifacts', 'acme-backups-eu', 'cdn-assets-prod', 'acme-finance-reports'];
const KEY_PREFIXES = ['raw/orders', 'curated/customers', 'exports/daily', 'logs/app', 'artifacts/build', 'backups/db', 'reports'];
const KEY_EXT = ['.parquet', '.json.gz', '.csv', '.tar.gz', '.pdf', '.png', '.log'];
const ODD_KEYS = ['reports/Übersicht Q3 – final.pdf', 'uploads/名前 テスト.xlsx', 'tmp/a "quoted" name.txt', 'exports/back\\slash\\path.csv', 'docs/résumé (1).docx'];
const INSTANCE_TYPES = ['t3.micro', 't3.medium', 'm6i.large', 'm6i.xlarge', 'c6g.2xlarge', 'r6i.large'];
const USER_AGENTS = new Weighted([
  ['aws-cli/2.15.30 Python/3.11.8 Linux/5.10.210-201.852.amzn2.x86_64 exe/x86_64.amzn.2 prompt/off command/s3.cp', 6],
  ['aws-cli/2.13.4 Python/3.11.4 Darwin/23.1.0 exe/x86_64 prompt/off command/sts.get-caller-identity', 3],
  ['Boto3/1.34.60 md/Botocore#1.34.60 ua/2.0 os/linux#5.10.0 md/arch#x86_64 lang/python#3.12.2 md/pyimpl#CPython cfg/retry-mode#legacy Botocore/1.34.60', 10],
  ['aws-sdk-java/2.25.11 Linux/5.15.0-1051-aws OpenJDK_64-Bit_Server_VM/17.0.10+7-LTS Java/17.0.10 vendor/Eclipse_Adoptium io/sync http/Apache cfg/retry-mode/legacy', 5],
  ['aws-sdk-go-v2/1.25.2 os/linux lang/go#1.22.0 md/GOOS#linux md/GOARCH#amd64 api/s3#1.51.1', 5],
  ['APN/1.0 HashiCorp/1.0 Terraform/1.7.4 (+https://www.terraform.io) terraform-provider-aws/5.40.0 (+https://registry.terraform.io/providers/hashicorp/aws) aws-sdk-go-v2/1.25.2 os/linux lang/go#1.22.0', 4],
  ['Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/122.0.0.0 Safari/537.36', 3],
  ['Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.3 Safari/605.1.15', 1],
  ['console.amazonaws.com', 2],
  ['[S3Console/0.4, aws-internal/3 aws-sdk-java/1.12.660 Linux/5.10.210-179.855.amzn2int.x86_64 OpenJDK_64-Bit_Server_VM/25.402-b08 java/1.8.0_402 vendor/Oracle_Corporation cfg/retry-mode/standard]', 2],
  ['AWS Internal', 2],
] as const);
const CORP_NETS = ['198.51.100.', '203.0.113.', '192.0.2.', '85.214.132.', '52.94.76.'];
const ERRORS: Record<string, ReadonlyArray<readonly [string, string]>> = {
  s3: [
    ['AccessDenied', 'Access Denied'],
    ['NoSuchKey', 'The specified key does not exist.'],
    ['NoSuchBucket', 'The specified bucket does not exist'],
  ],
  ec2: [
    ['Client.UnauthorizedOperation', 'You are not authorized to perform this operation. Encoded authorization failure message: '],
    ['Client.RequestLimitExceeded', 'Request limit exceeded.'],
    ['Client.InvalidInstanceID.NotFound', 'The instance ID does not exist'],
  ],
  default: [
    ['AccessDenied', 'User is not authorized to perform this action'],
    ['ThrottlingException', 'Rate exceeded'],
    ['ValidationException', '1 validation error detected'],
    ['ResourceNotFoundException', 'Requested resource not found'],
  ],
};

type Json = string | number | boolean | null | Json[] | { [k: string]: Json };
type Obj = { [k: string]: Json };

interface Ctx {
  r: Rng;
  account: string;
  region: string;
  time: string;
  ident: Obj;
  identType: string;
}

interface Built {
  req?: Obj | null;
  resp?: Obj | null;
  extra?: Obj;
  resources?: Obj[];
  readOnly: boolean;
  data?: boolean;
  eventType?: string;
  region?: string;
  /** Service identities only make sense for some calls; the generator re-draws otherwise. */
  human?: boolean;
}

function s3Key(r: Rng): string {
  if (r.chance(0.01)) return r.pick(ODD_KEYS);
  return `${r.pick(KEY_PREFIXES)}/${2024}/${String(r.range(1, 12)).padStart(2, '0')}/${String(r.range(1, 28)).padStart(2, '0')}/part-${r.hex(8)}-${r.range(0, 999)}${r.pick(KEY_EXT)}`;
}

function s3Data(c: Ctx, write: boolean): Built {
  const { r } = c;
  const bucket = r.pick(BUCKETS);
  const key = s3Key(r);
  const req: Obj = { bucketName: bucket, Host: `${bucket}.s3.${c.region}.amazonaws.com`, key };
  if (write && r.chance(0.5)) req['x-amz-server-side-encryption'] = 'aws:kms';
  const extra: Obj = {
    SignatureVersion: 'SigV4',
    CipherSuite: 'TLS_AES_128_GCM_SHA256',
    bytesTransferredIn: write ? r.range(200, 50_000_000) : 0,
    AuthenticationMethod: 'AuthHeader',
    'x-amz-id-2': r.chars(B64, 76),
    bytesTransferredOut: write ? 0 : r.range(0, 80_000_000),
  };
  return {
    req,
    resp: write ? { 'x-amz-server-side-encryption': 'aws:kms', 'x-amz-version-id': r.chars(ALNUM, 32) } : null,
    extra,
    resources: [
      { type: 'AWS::S3::Object', ARN: `arn:aws:s3:::${bucket}/${key}` },
      { accountId: c.account, type: 'AWS::S3::Bucket', ARN: `arn:aws:s3:::${bucket}` },
    ],
    readOnly: !write,
    data: true,
  };
}

function s3Bucket(c: Ctx, op: string): Built {
  const bucket = c.r.pick(BUCKETS);
  const req: Obj = { bucketName: bucket, Host: `${bucket}.s3.${c.region}.amazonaws.com` };
  if (op === 'acl') req['acl'] = '';
  if (op === 'policy') req['policy'] = '';
  if (op === 'list') Object.assign(req, { 'list-type': '2', prefix: c.r.pick(KEY_PREFIXES) + '/', 'max-keys': 1000, delimiter: '/' });
  return {
    req,
    resp: null,
    extra: { SignatureVersion: 'SigV4', CipherSuite: 'TLS_AES_128_GCM_SHA256', bytesTransferredIn: 0, AuthenticationMethod: 'AuthHeader', 'x-amz-id-2': c.r.chars(B64, 76), bytesTransferredOut: c.r.range(200, 20_000) },
    resources: [{ accountId: c.account, type: 'AWS::S3::Bucket', ARN: `arn:aws:s3:::${bucket}` }],
    readOnly: true,
    data: op === 'list',
  };
}

function instanceId(r: Rng): string {
  return `i-0${r.hex(16)}`;
}

function ec2Describe(c: Ctx, what: string): Built {
  const { r } = c;
  let req: Obj | null = null;
  const x = r.f();
  if (x < 0.4) {
    const n = r.range(1, 8);
    const items: Json[] = [];
    for (let i = 0; i < n; i++) items.push(what === 'Instances' ? { instanceId: instanceId(r) } : { [`${what.slice(0, -1).toLowerCase()}Id`]: `${what.slice(0, 3).toLowerCase()}-0${r.hex(16)}` });
    req = { [`${what.slice(0, 1).toLowerCase()}${what.slice(1, -1)}Set`]: { items } };
  } else if (x < 0.8) {
    req = { filterSet: { items: [{ name: 'tag:Environment', valueSet: { items: [{ value: r.pick(['prod', 'staging', 'dev']) }] } }, { name: 'instance-state-name', valueSet: { items: [{ value: 'running' }] } }] } };
  } else if (x < 0.9) {
    req = { maxResults: 1000 };
  }
  return { req, resp: null, readOnly: true };
}

function runInstances(c: Ctx): Built {
  const { r } = c;
  const n = r.range(1, 4);
  const az = `${c.region}${r.pick(['a', 'b', 'c'])}`;
  const subnet = `subnet-0${r.hex(16)}`;
  const vpc = `vpc-0${r.hex(16)}`;
  const sg = `sg-0${r.hex(16)}`;
  const type = r.pick(INSTANCE_TYPES);
  const items: Json[] = [];
  for (let i = 0; i < n; i++) {
    const ip = `10.${r.int(256)}.${r.int(256)}.${r.int(256)}`;
    items.push({
      instanceId: instanceId(r),
      imageId: `ami-0${r.hex(16)}`,
      currentInstanceBootMode: 'legacy-bios',
      instanceState: { code: 0, name: 'pending' },
      privateDnsName: `ip-${ip.replaceAll('.', '-')}.${c.region}.compute.internal`,
      amiLaunchIndex: i,
      productCodes: {},
      instanceType: type,
      launchTime: Date.parse(c.time),
      placement: { availabilityZone: az, tenancy: 'default' },
      monitoring: { state: 'disabled' },
      subnetId: subnet,
      vpcId: vpc,
      privateIpAddress: ip,
      stateReason: { code: 'pending', message: 'pending' },
      architecture: 'x86_64',
      rootDeviceType: 'ebs',
      rootDeviceName: '/dev/xvda',
      blockDeviceMapping: {},
      virtualizationType: 'hvm',
      hypervisor: 'xen',
      tagSet: { items: [{ key: 'Name', value: `worker-${r.hex(6)}` }, { key: 'Environment', value: 'prod' }, { key: 'CostCenter', value: String(r.range(1000, 9999)) }] },
      groupSet: { items: [{ groupId: sg, groupName: 'default' }] },
      sourceDestCheck: true,
      networkInterfaceSet: {
        items: [
          {
            networkInterfaceId: `eni-0${r.hex(16)}`,
            subnetId: subnet,
            vpcId: vpc,
            ownerId: c.account,
            status: 'in-use',
            macAddress: `0a:${r.hex(2)}:${r.hex(2)}:${r.hex(2)}:${r.hex(2)}:${r.hex(2)}`,
            privateIpAddress: ip,
            sourceDestCheck: true,
            interfaceType: 'interface',
            groupSet: { items: [{ groupId: sg, groupName: 'default' }] },
            attachment: { attachmentId: `eni-attach-0${r.hex(16)}`, deviceIndex: 0, networkCardIndex: 0, status: 'attaching', attachTime: Date.parse(c.time), deleteOnTermination: true },
            privateIpAddressesSet: { item: [{ privateIpAddress: ip, primary: true }] },
            ipv6AddressesSet: {},
            tagSet: {},
          },
        ],
      },
      ebsOptimized: false,
      enaSupport: true,
      cpuOptions: { coreCount: 1, threadsPerCore: 2 },
      capacityReservationSpecification: { capacityReservationPreference: 'open' },
      enclaveOptions: { enabled: false },
      metadataOptions: { state: 'pending', httpTokens: 'required', httpPutResponseHopLimit: 2, httpEndpoint: 'enabled', httpProtocolIpv4: 'enabled', httpProtocolIpv6: 'disabled', instanceMetadataTags: 'disabled' },
      maintenanceOptions: { autoRecovery: 'default' },
      privateDnsNameOptions: { hostnameType: 'ip-name', enableResourceNameDnsARecord: false, enableResourceNameDnsAAAARecord: false },
    });
  }
  return {
    req: {
      instancesSet: { items: [{ imageId: `ami-0${r.hex(16)}`, minCount: n, maxCount: n }] },
      instanceType: type,
      blockDeviceMapping: {},
      monitoring: { enabled: false },
      disableApiTermination: false,
      disableApiStop: false,
      clientToken: r.uuid(),
      tagSpecificationSet: { items: [{ resourceType: 'instance', tags: [{ key: 'Environment', value: 'prod' }] }] },
    },
    resp: { requestId: c.r.uuid(), reservationId: `r-0${r.hex(16)}`, ownerId: c.account, groupSet: {}, instancesSet: { items } },
    readOnly: false,
  };
}

function instanceStateChange(c: Ctx, to: string, code: number): Built {
  const { r } = c;
  const n = r.range(1, 3);
  const req: Json[] = [];
  const resp: Json[] = [];
  for (let i = 0; i < n; i++) {
    const id = instanceId(r);
    req.push({ instanceId: id });
    resp.push({ instanceId: id, currentState: { code, name: to }, previousState: { code: 16, name: 'running' } });
  }
  return { req: { instancesSet: { items: req } }, resp: { requestId: r.uuid(), instancesSet: { items: resp } }, readOnly: false };
}

function roleArn(c: Ctx, role = c.r.pick(ROLES)): string {
  return `arn:aws:iam::${c.account}:role/${role}`;
}

function assumeRole(c: Ctx): Built {
  const { r } = c;
  const role = r.pick(ROLES);
  const session = r.pick(SESSIONS);
  const arn = roleArn(c, role);
  const roleId = `AROA${r.chars(UPPER_NUM, 17)}`;
  const b: Built = {
    req: { roleArn: arn, roleSessionName: session, ...(r.chance(0.4) ? { durationSeconds: r.pick([900, 3600, 43200]) } : {}) },
    resp: {
      credentials: { accessKeyId: `ASIA${r.chars(UPPER_NUM, 16)}`, sessionToken: r.chars(B64, r.range(400, 900)), expiration: `Mar 1, 2024, ${r.range(1, 12)}:${String(r.range(0, 59)).padStart(2, '0')}:00 PM` },
      assumedRoleUser: { assumedRoleId: `${roleId}:${session}`, arn: `arn:aws:sts::${c.account}:assumed-role/${role}/${session}` },
    },
    resources: [{ accountId: c.account, type: 'AWS::IAM::Role', ARN: arn }],
    readOnly: true,
  };
  return b;
}

function iamUser(c: Ctx): string {
  return c.r.chance(0.2) ? `contractor-${c.r.hex(4)}` : c.r.pick(USERS);
}

function policyDocument(r: Rng): string {
  const stmts: Json[] = [];
  const n = r.range(1, 6);
  for (let i = 0; i < n; i++) {
    stmts.push({
      Sid: `Stmt${r.range(100000, 999999)}`,
      Effect: r.chance(0.9) ? 'Allow' : 'Deny',
      Action: [`s3:${r.pick(['GetObject', 'PutObject', 'ListBucket', '*'])}`, `kms:${r.pick(['Decrypt', 'GenerateDataKey'])}`],
      Resource: [`arn:aws:s3:::${r.pick(BUCKETS)}/*`],
      ...(r.chance(0.3) ? { Condition: { StringEquals: { 'aws:PrincipalTag/team': r.pick(['data', 'platform', 'finance']) } } } : {}),
    });
  }
  // CloudTrail logs the policy as a string: the JSON inside the record is full of escaped quotes.
  return JSON.stringify({ Version: '2012-10-17', Statement: stmts }, null, r.chance(0.5) ? 4 : undefined);
}

function kmsKeyArn(c: Ctx): string {
  return `arn:aws:kms:${c.region}:${c.account}:key/${c.r.uuid()}`;
}

function kmsCall(c: Ctx, op: 'Decrypt' | 'GenerateDataKey' | 'Encrypt'): Built {
  const { r } = c;
  const arn = kmsKeyArn(c);
  const ctx: Obj = r.chance(0.5) ? { 'aws:s3:arn': `arn:aws:s3:::${r.pick(BUCKETS)}/${s3Key(r)}` } : { SecretARN: `arn:aws:secretsmanager:${c.region}:${c.account}:secret:prod/db-${r.chars(ALNUM, 6)}`, SecretVersionId: r.uuid() };
  const req: Obj = { encryptionContext: ctx, encryptionAlgorithm: 'SYMMETRIC_DEFAULT' };
  if (op !== 'Decrypt') req['keyId'] = r.chance(0.5) ? arn : 'alias/aws/s3';
  if (op === 'GenerateDataKey') req['keySpec'] = 'AES_256';
  return { req, resp: null, resources: [{ accountId: c.account, type: 'AWS::KMS::Key', ARN: arn }], readOnly: op === 'Decrypt' || op === 'GenerateDataKey' ? true : false };
}

function consoleLogin(c: Ctx): Built {
  const { r } = c;
  const ok = !r.chance(0.12);
  const mfa = r.chance(0.7) ? 'Yes' : 'No';
  return {
    req: null,
    resp: { ConsoleLogin: ok ? 'Success' : 'Failure' },
    extra: { LoginTo: 'https://console.aws.amazon.com/console/home?hashArgs=%23&isauthcode=true&state=hashArgsFromTB_us-east-1_' + r.hex(16), MobileVersion: 'No', MFAUsed: mfa, ...(mfa === 'Yes' ? { MFAIdentifier: `arn:aws:iam::${c.account}:mfa/${r.pick(USERS)}` } : {}) },
    readOnly: false,
    eventType: 'AwsConsoleSignIn',
    region: 'us-east-1',
    human: true,
  };
}

const N = (req: Obj | null = null): ((c: Ctx) => Built) => () => ({ req, resp: null, readOnly: true });

interface EventDef {
  source: string;
  name: string;
  build: (c: Ctx) => Built;
}

const ev = (source: string, name: string, w: number, build: (c: Ctx) => Built): readonly [EventDef, number] => [{ source: `${source}.amazonaws.com`, name, build }, w] as const;

const EVENTS = new Weighted<EventDef>([
  ev('s3', 'GetObject', 18, (c) => s3Data(c, false)),
  ev('s3', 'PutObject', 7, (c) => s3Data(c, true)),
  ev('s3', 'HeadObject', 4, (c) => s3Data(c, false)),
  ev('s3', 'DeleteObject', 0.6, (c) => ({ ...s3Data(c, true), resp: null })),
  ev('s3', 'ListObjects', 3, (c) => s3Bucket(c, 'list')),
  ev('s3', 'GetBucketAcl', 2, (c) => s3Bucket(c, 'acl')),
  ev('s3', 'GetBucketPolicy', 0.8, (c) => s3Bucket(c, 'policy')),
  ev('s3', 'ListBuckets', 0.8, (c) => ({ req: { Host: `s3.${c.region}.amazonaws.com` }, resp: null, readOnly: true })),
  ev('ec2', 'DescribeInstances', 6, (c) => ec2Describe(c, 'Instances')),
  ev('ec2', 'DescribeSecurityGroups', 2, (c) => ec2Describe(c, 'SecurityGroups')),
  ev('ec2', 'DescribeVolumes', 2, (c) => ec2Describe(c, 'Volumes')),
  ev('ec2', 'DescribeSubnets', 1, (c) => ec2Describe(c, 'Subnets')),
  ev('ec2', 'DescribeVpcs', 1, (c) => ec2Describe(c, 'Vpcs')),
  ev('ec2', 'RunInstances', 0.3, runInstances),
  ev('ec2', 'StopInstances', 0.15, (c) => instanceStateChange(c, 'stopping', 64)),
  ev('ec2', 'TerminateInstances', 0.1, (c) => instanceStateChange(c, 'shutting-down', 32)),
  ev('ec2', 'CreateTags', 0.5, (c) => ({ req: { resourcesSet: { items: [{ resourceId: instanceId(c.r) }] }, tagSet: { items: [{ key: 'Owner', value: c.r.pick(USERS) }] } }, resp: { requestId: c.r.uuid(), _return: true }, readOnly: false })),
  ev('ec2', 'AuthorizeSecurityGroupIngress', 0.15, (c) => ({
    req: { groupId: `sg-0${c.r.hex(16)}`, ipPermissions: { items: [{ ipProtocol: 'tcp', fromPort: 22, toPort: 22, groups: {}, ipRanges: { items: [{ cidrIp: c.r.chance(0.3) ? '0.0.0.0/0' : '10.0.0.0/8' }] }, ipv6Ranges: {}, prefixListIds: {} }] } },
    resp: { requestId: c.r.uuid(), _return: true, securityGroupRuleSet: { items: [{ groupOwnerId: c.account, groupId: `sg-0${c.r.hex(16)}`, securityGroupRuleId: `sgr-0${c.r.hex(16)}`, isEgress: false, ipProtocol: 'tcp', fromPort: 22, toPort: 22, cidrIpv4: '10.0.0.0/8' }] } },
    readOnly: false,
  })),
  ev('sts', 'AssumeRole', 6, assumeRole),
  ev('sts', 'GetCallerIdentity', 3, N()),
  ev('sts', 'GetSessionToken', 0.4, (c) => ({ req: { durationSeconds: 3600 }, resp: { credentials: { accessKeyId: `ASIA${c.r.chars(UPPER_NUM, 16)}`, sessionToken: c.r.chars(B64, 600), expiration: 'Mar 1, 2024, 1:00:00 PM' } }, readOnly: true, human: true })),
  ev('iam', 'ListUsers', 1, (c) => ({ ...N()(c), region: 'us-east-1' })),
  ev('iam', 'GetUser', 1, (c) => ({ req: { userName: iamUser(c) }, resp: null, readOnly: true, region: 'us-east-1' })),
  ev('iam', 'ListRoles', 1, (c) => ({ req: c.r.chance(0.5) ? { maxItems: 100 } : null, resp: null, readOnly: true, region: 'us-east-1' })),
  ev('iam', 'ListAttachedRolePolicies', 0.6, (c) => ({ req: { roleName: c.r.pick(ROLES) }, resp: null, readOnly: true, region: 'us-east-1' })),
  ev('iam', 'CreateUser', 0.08, (c) => {
    const u = iamUser(c);
    return { req: { userName: u, tags: [{ key: 'team', value: 'data' }] }, resp: { user: { path: '/', userName: u, userId: `AIDA${c.r.chars(UPPER_NUM, 17)}`, arn: `arn:aws:iam::${c.account}:user/${u}`, createDate: 'Mar 1, 2024, 12:00:00 PM', tags: [{ key: 'team', value: 'data' }] } }, readOnly: false, region: 'us-east-1', human: true };
  }),
  ev('iam', 'AttachUserPolicy', 0.08, (c) => ({ req: { userName: iamUser(c), policyArn: c.r.pick(['arn:aws:iam::aws:policy/AdministratorAccess', 'arn:aws:iam::aws:policy/ReadOnlyAccess', 'arn:aws:iam::aws:policy/AmazonS3FullAccess']) }, resp: null, readOnly: false, region: 'us-east-1', human: true })),
  ev('iam', 'CreateAccessKey', 0.05, (c) => {
    const u = iamUser(c);
    return { req: { userName: u }, resp: { accessKey: { userName: u, accessKeyId: `AKIA${c.r.chars(UPPER_NUM, 16)}`, status: 'Active', createDate: 'Mar 1, 2024, 12:00:00 PM' } }, readOnly: false, region: 'us-east-1', human: true };
  }),
  ev('iam', 'PutRolePolicy', 0.1, (c) => ({ req: { roleName: c.r.pick(ROLES), policyName: `inline-${c.r.hex(6)}`, policyDocument: policyDocument(c.r) }, resp: null, readOnly: false, region: 'us-east-1', human: true })),
  ev('iam', 'DeleteUser', 0.02, (c) => ({ req: { userName: iamUser(c) }, resp: null, readOnly: false, region: 'us-east-1', human: true })),
  ev('kms', 'Decrypt', 8, (c) => kmsCall(c, 'Decrypt')),
  ev('kms', 'GenerateDataKey', 4, (c) => kmsCall(c, 'GenerateDataKey')),
  ev('kms', 'Encrypt', 0.8, (c) => kmsCall(c, 'Encrypt')),
  ev('signin', 'ConsoleLogin', 0.5, consoleLogin),
  ev('cloudtrail', 'LookupEvents', 0.4, (c) => ({ req: { lookupAttributes: [{ attributeKey: 'EventName', attributeValue: c.r.pick(['ConsoleLogin', 'CreateUser', 'StopLogging']) }], maxResults: 50 }, resp: null, readOnly: true, human: true })),
  ev('cloudtrail', 'DescribeTrails', 0.5, N({ trailNameList: [], includeShadowTrails: true })),
  ev('cloudtrail', 'GetTrailStatus', 0.5, (c) => ({ req: { name: `arn:aws:cloudtrail:us-east-1:${c.account}:trail/org-trail` }, resp: null, readOnly: true })),
  ev('cloudtrail', 'StopLogging', 0.01, (c) => ({ req: { name: `arn:aws:cloudtrail:us-east-1:${c.account}:trail/org-trail` }, resp: null, readOnly: false, human: true })),
  ev('lambda', 'ListFunctions20150331', 1, N()),
  ev('logs', 'CreateLogStream', 2, (c) => ({ req: { logGroupName: `/aws/lambda/orders-${c.r.pick(['ingest', 'enrich', 'export'])}`, logStreamName: `2024/03/01/[$LATEST]${c.r.hex(32)}` }, resp: null, readOnly: false })),
  ev('logs', 'DescribeLogGroups', 1, N({ logGroupNamePrefix: '/aws/lambda/' })),
  ev('dynamodb', 'DescribeTable', 1, (c) => ({ req: { tableName: c.r.pick(['orders', 'customers', 'sessions', 'terraform-locks']) }, resp: null, readOnly: true })),
  ev('secretsmanager', 'GetSecretValue', 1.2, (c) => ({ req: { secretId: `arn:aws:secretsmanager:${c.region}:${c.account}:secret:prod/db-${c.r.chars(ALNUM, 6)}` }, resp: null, readOnly: true })),
  ev('ssm', 'GetParameter', 2, (c) => ({ req: { name: c.r.pick(['/prod/db/host', '/prod/db/password', '/shared/feature-flags', '/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64']), withDecryption: c.r.chance(0.5) }, resp: null, readOnly: true })),
  ev('ecr', 'GetAuthorizationToken', 1.5, N()),
  ev('elasticloadbalancing', 'DescribeTargetHealth', 1.2, (c) => ({ req: { targetGroupArn: `arn:aws:elasticloadbalancing:${c.region}:${c.account}:targetgroup/web-${c.r.hex(4)}/${c.r.hex(16)}` }, resp: null, readOnly: true })),
  ev('autoscaling', 'DescribeAutoScalingGroups', 0.8, N()),
  ev('rds', 'DescribeDBInstances', 0.6, N()),
  ev('monitoring', 'GetMetricData', 1, (c) => ({ req: { metricDataQueries: [{ id: 'm1', metricStat: { metric: { namespace: 'AWS/EC2', metricName: 'CPUUtilization', dimensions: [{ name: 'InstanceId', value: instanceId(c.r) }] }, period: 300, stat: 'Average' } }], startTime: 'Mar 1, 2024, 11:00:00 AM', endTime: 'Mar 1, 2024, 12:00:00 PM' }, resp: null, readOnly: true })),
]);

const IDENT_TYPES = new Weighted([
  ['AssumedRole', 58],
  ['IAMUser', 26],
  ['AWSService', 14],
  ['Root', 2],
] as const);

function publicIp(r: Rng): string {
  return r.chance(0.7) ? `${r.pick(CORP_NETS)}${r.range(1, 254)}` : `${r.range(3, 223)}.${r.int(256)}.${r.int(256)}.${r.range(1, 254)}`;
}

function identity(c: Ctx, type: string): Obj {
  const { r, account } = c;
  const attrs = (): Obj => ({ creationDate: c.time, mfaAuthenticated: r.chance(0.3) ? 'true' : 'false' });
  switch (type) {
    case 'IAMUser': {
      const u = r.pick(USERS);
      const id: Obj = { type, principalId: `AIDA${r.chars(UPPER_NUM, 17)}`, arn: `arn:aws:iam::${account}:user/${u}`, accountId: account, accessKeyId: r.chance(0.7) ? `AKIA${r.chars(UPPER_NUM, 16)}` : `ASIA${r.chars(UPPER_NUM, 16)}`, userName: u };
      if (r.chance(0.2)) id['sessionContext'] = { sessionIssuer: {}, webIdFederationData: {}, attributes: attrs() };
      return id;
    }
    case 'AssumedRole': {
      const role = r.pick(ROLES);
      const session = r.pick(SESSIONS);
      const roleId = `AROA${r.chars(UPPER_NUM, 17)}`;
      return {
        type,
        principalId: `${roleId}:${session}`,
        arn: `arn:aws:sts::${account}:assumed-role/${role}/${session}`,
        accountId: account,
        accessKeyId: `ASIA${r.chars(UPPER_NUM, 16)}`,
        sessionContext: {
          sessionIssuer: { type: 'Role', principalId: roleId, arn: `arn:aws:iam::${account}:role/${role}`, accountId: account, userName: role },
          webIdFederationData: {},
          attributes: attrs(),
          ...(r.chance(0.2) ? { ec2RoleDelivery: '2.0' } : {}),
        },
        ...(r.chance(0.1) ? { invokedBy: r.pick(SERVICES) } : {}),
      };
    }
    case 'Root':
      return { type, principalId: account, arn: `arn:aws:iam::${account}:root`, accountId: account, accessKeyId: r.chance(0.5) ? `ASIA${r.chars(UPPER_NUM, 16)}` : '', ...(r.chance(0.5) ? { sessionContext: { sessionIssuer: {}, webIdFederationData: {}, attributes: attrs() } } : {}) };
    default:
      return { type: 'AWSService', invokedBy: r.pick(SERVICES) };
  }
}

function isoSeconds(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

/** One CloudTrail record; field order as CloudTrail writes it. */
function record(r: Rng, account: string, fileRegion: string, ms: number): Obj {
  const def = EVENTS.pick(r);
  const time = isoSeconds(ms);
  let identType: string = IDENT_TYPES.pick(r);
  const c: Ctx = { r, account, region: fileRegion, time, ident: {}, identType };
  const b = def.build(c);
  // Console sign-ins and IAM writes come from people, never from a service principal.
  if (b.human && identType === 'AWSService') identType = r.chance(0.5) ? 'IAMUser' : 'AssumedRole';
  if (def.name === 'ConsoleLogin' && identType === 'AssumedRole' && r.chance(0.5)) identType = 'Root';
  const ident = identity(c, identType);
  const service = identType === 'AWSService' ? (ident['invokedBy'] as string) : null;
  const region = b.region ?? fileRegion;
  const errs = ERRORS[def.source.split('.')[0]!] ?? ERRORS['default']!;
  const err = def.name !== 'ConsoleLogin' && r.chance(0.03) ? r.pick(errs) : null;

  const rec: Obj = {
    eventVersion: r.chance(0.6) ? '1.09' : '1.08',
    userIdentity: ident,
    eventTime: time,
    eventSource: def.source,
    eventName: def.name,
    awsRegion: region,
    sourceIPAddress: service ?? (r.chance(0.03) ? `2001:db8:${r.hex(4)}::${r.hex(3)}` : r.chance(0.04) ? 'AWS Internal' : publicIp(r)),
    userAgent: service ?? (b.eventType === 'AwsConsoleSignIn' ? 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/122.0.0.0 Safari/537.36' : USER_AGENTS.pick(r)),
  };
  if (err) {
    rec['errorCode'] = err[0];
    rec['errorMessage'] = err[0].startsWith('Client.UnauthorizedOperation') ? err[1] + r.chars(ALNUM, r.range(200, 800)) : err[1];
  }
  if (def.name === 'ConsoleLogin' && (b.resp as Obj)['ConsoleLogin'] === 'Failure') rec['errorMessage'] = 'Failed authentication';
  rec['requestParameters'] = b.req ?? null;
  rec['responseElements'] = err ? null : (b.resp ?? null);
  if (b.extra) rec['additionalEventData'] = b.extra;
  rec['requestID'] = def.source.startsWith('s3.') ? r.chars(HEX_UP, 16) : r.uuid();
  rec['eventID'] = r.uuid();
  rec['readOnly'] = b.readOnly;
  if (b.resources) rec['resources'] = b.resources;
  rec['eventType'] = b.eventType ?? (identType === 'AWSService' && r.chance(0.2) ? 'AwsServiceEvent' : 'AwsApiCall');
  rec['managementEvent'] = !b.data;
  rec['recipientAccountId'] = account;
  if (def.name === 'AssumeRole' && r.chance(0.15)) rec['sharedEventID'] = r.uuid();
  if (def.source.startsWith('s3.') && r.chance(0.2)) rec['vpcEndpointId'] = `vpce-0${r.hex(16)}`;
  rec['eventCategory'] = b.data ? 'Data' : 'Management';
  if (!service && b.eventType !== 'AwsConsoleSignIn') {
    rec['tlsDetails'] = { tlsVersion: r.chance(0.8) ? 'TLSv1.3' : 'TLSv1.2', cipherSuite: r.chance(0.8) ? 'TLS_AES_128_GCM_SHA256' : 'ECDHE-RSA-AES128-GCM-SHA256', clientProvidedHostHeader: `${def.source.split('.')[0]}.${region}.amazonaws.com` };
  }
  if (ident['type'] !== 'AWSService' && r.chance(0.05)) rec['sessionCredentialFromConsole'] = 'true';
  return rec;
}

// ---------------------------------------------------------------------------------------------------------------

/** Records per object: 500..1500, drawn from the plan stream; the last object takes the remainder. */
export function planObjects(records: number, seed: number): number[] {
  const r = new Rng(seed, 0xc0ffee);
  const counts: number[] = [];
  let left = records;
  while (left > 0) {
    const n = Math.min(left, r.range(500, 1500));
    counts.push(n);
    left -= n;
  }
  return counts;
}

function pad2(n: number): string {
  return String(n).padStart(2, '0');
}

/** Builds object `i`: its relative path and JSON text. */
export function buildObject(seed: number, i: number, count: number, objects: number, startMs: number, windowMs: number): { rel: string; json: string } {
  const r = new Rng(seed, i + 1);
  const account = ACCOUNTS.pick(r);
  const region = REGIONS.pick(r);
  // Objects are spread evenly over the window; each one is delivered a few minutes after the events it holds.
  const deliver = startMs + Math.floor(((i + 0.2 + 0.6 * r.f()) * windowMs) / objects);
  const d = new Date(deliver);
  const y = d.getUTCFullYear();
  const mo = pad2(d.getUTCMonth() + 1);
  const da = pad2(d.getUTCDate());
  const stamp = `${y}${mo}${da}T${pad2(d.getUTCHours())}${pad2(d.getUTCMinutes())}Z`;
  const rel = `AWSLogs/${account}/CloudTrail/${region}/${y}/${mo}/${da}/${account}_CloudTrail_${region}_${stamp}_${r.chars(ALNUM, 16)}.json.gz`;
  const recs: Obj[] = new Array(count);
  for (let k = 0; k < count; k++) recs[k] = record(r, account, region, deliver - 60_000 - r.int(14 * 60_000));
  return { rel, json: JSON.stringify({ Records: recs }) };
}

interface Job {
  i: number;
  count: number;
}
interface Done {
  i: number;
  rel: string;
  raw: number;
  gz: Uint8Array;
}
interface WorkerInit {
  kind: 'gen-cloudtrail';
  seed: number;
  objects: number;
  startMs: number;
  windowMs: number;
  level: number;
}

/** Worker side: builds, serialises and compresses objects; the main thread only writes files. */
function workerLoop(init: WorkerInit): void {
  parentPort!.on('message', (job: Job) => {
    const { rel, json } = buildObject(init.seed, job.i, job.count, init.objects, init.startMs, init.windowMs);
    const raw = Buffer.from(json, 'utf8');
    const gz = zlib.gzipSync(raw, { level: init.level });
    // A fresh ArrayBuffer the size of the result, so the transfer moves exactly the compressed bytes.
    const out = new Uint8Array(gz.length);
    out.set(gz);
    const done: Done = { i: job.i, rel, raw: raw.length, gz: out };
    parentPort!.postMessage(done, [out.buffer]);
  });
}

/**
 * Workers do not inherit the `--import tsx` loader, so when this file runs as TypeScript the worker starts from a
 * tiny bootstrap that registers tsx and then imports this module.
 */
function workerEntry(): URL {
  if (!import.meta.url.endsWith('.ts')) return new URL(import.meta.url);
  const code = `import { register } from ${JSON.stringify(import.meta.resolve('tsx/esm/api'))}; register(); await import(${JSON.stringify(import.meta.url)});`;
  return new URL('data:text/javascript,' + encodeURIComponent(code));
}

export async function generate(o: GenOptions): Promise<GenResult> {
  const t0 = performance.now();
  const counts = planObjects(o.records, o.seed);
  const startMs = Date.parse(`${o.start}T00:00:00Z`);
  if (!Number.isFinite(startMs)) throw new Error(`--start must be YYYY-MM-DD, got ${o.start}`);
  const init: WorkerInit = { kind: 'gen-cloudtrail', seed: o.seed, objects: counts.length, startMs, windowMs: o.days * 864e5, level: o.level };
  const made = new Set<string>();
  const res: GenResult = { files: 0, records: 0, bytesCompressed: 0, bytesUncompressed: 0, maxObjectBytes: 0, ms: 0 };
  // Building and gzipping are CPU-bound and independent per object (each has its own random stream), so they run
  // on one worker per core; objects are handed out two at a time per worker so no worker waits for the writer.
  const nWorkers = Math.max(1, Math.min(o.workers ?? os.availableParallelism(), counts.length));
  const workers = Array.from({ length: nWorkers }, () => new Worker(workerEntry(), { workerData: init }));
  let next = 0;
  try {
    await new Promise<void>((resolve, reject) => {
      let pending = 0;
      let failed = false;
      const feed = (w: Worker) => {
        if (next < counts.length) {
          w.postMessage({ i: next, count: counts[next]! } satisfies Job);
          next++;
          pending++;
        } else if (pending === 0) resolve();
      };
      for (const w of workers) {
        w.on('error', (e) => {
          failed = true;
          reject(e);
        });
        w.on('message', (d: Done) => {
          if (failed) return;
          const file = path.join(o.out, d.rel);
          const dir = path.dirname(file);
          if (!made.has(dir)) {
            fs.mkdirSync(dir, { recursive: true });
            made.add(dir);
          }
          // Synchronous write: ~200 KB per object, cheaper than juggling write promises.
          fs.writeFileSync(file, d.gz);
          res.files++;
          res.records += counts[d.i]!;
          res.bytesCompressed += d.gz.length;
          res.bytesUncompressed += d.raw;
          res.maxObjectBytes = Math.max(res.maxObjectBytes, d.raw);
          o.onProgress?.(res.records, o.records);
          pending--;
          feed(w);
        });
        feed(w);
        feed(w);
      }
    });
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
  res.ms = performance.now() - t0;
  return res;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      records: { type: 'string', default: '100000' },
      out: { type: 'string' },
      seed: { type: 'string', default: '42' },
      start: { type: 'string', default: '2024-01-01' },
      days: { type: 'string', default: '30' },
      level: { type: 'string', default: '6' },
      workers: { type: 'string' },
    },
  });
  if (!values.out) {
    process.stderr.write('usage: gen-cloudtrail.ts --records <n> --out <dir> [--seed 42] [--start YYYY-MM-DD] [--days 30] [--level 6]\n');
    process.exit(2);
  }
  const records = Number(values.records);
  if (!Number.isInteger(records) || records <= 0) throw new Error('--records must be a positive integer');
  const res = await generate({
    records,
    out: values.out,
    seed: Number(values.seed),
    start: values.start!,
    days: Number(values.days),
    level: Number(values.level),
    workers: values.workers ? Number(values.workers) : undefined,
    onProgress: process.stderr.isTTY ? (d, t) => process.stderr.write(`\r${d.toLocaleString('en-US')} / ${t.toLocaleString('en-US')} records`) : undefined,
  });
  if (process.stderr.isTTY) process.stderr.write('\n');
  process.stdout.write(JSON.stringify(res) + '\n');
}

if (!isMainThread && (workerData as WorkerInit | null)?.kind === 'gen-cloudtrail') workerLoop(workerData as WorkerInit);
else if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) await main();

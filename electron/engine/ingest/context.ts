/**
 * The state of one input (archive or folder) while it is read: its accounting records (one per member), limits,
 * counters, and where records go. Layer: engine.
 */
import type { IngestLimits } from '../../../shared/contract.js';
import type { CaseMeta } from '../../../shared/case.js';
import type { MemberStatus } from '../../../shared/ingest.js';
import type { FormatModule, UserMap } from '../formats/types.js';
import type { Loader } from './loader.js';

export interface MemberEntry {
  memberId: number;
  path: string;
  depth: number;
  sha256: string | null;
  size: number;
  compressedSize: number | null;
  compression: string | null;
  mtime: Date | null;
  format: string | null;
  family: string | null;
  encoding: string | null;
  /** Records seen by the framer (loaded + rejected, to be checked against the database). */
  records: number;
  /** Set for members that are not loaded (container, skipped, refused, unsupported). */
  status: MemberStatus | null;
  reason: string | null;
  /** Damage that stopped reading early (member becomes `partial`). */
  damage: string | null;
  note: string | null;
  params: Record<string, unknown>;
  target: 'events' | 'cloudtrail_digests';
}

export interface EntryMeta {
  mtime?: Date | null;
  compressedSize?: number | null;
  compression?: string | null;
  /** CRC-32 the container promises for this entry's content, checked after reading. */
  crc32?: number | null;
}

export interface ProgressSink {
  (delta: { bytes?: number; members?: number; member?: string }): void;
}

export class ArchiveContext {
  members: MemberEntry[] = [];
  totalBytes = 0;
  memberCount = 0;
  /** Records framed so far (for progress only; the books are kept per member). */
  recordsSeen = 0;
  /** Members over a limit whose already-loaded rows must be removed before commit. */
  refused = new Set<number>();
  /** Damage of the container itself (truncated archive), reported on the archive. */
  containerDamage: string[] = [];
  /** Harmless oddities of a container (reported, status unchanged). */
  containerNotes: string[] = [];

  constructor(
    readonly archiveSha256: string,
    readonly limits: IngestLimits,
    readonly loader: Loader,
    readonly tmpDir: string,
    readonly meta: CaseMeta,
    readonly userMap: UserMap | null,
    readonly forcedFormat: FormatModule | null,
    private nextId: number,
    readonly progress: ProgressSink,
  ) {}

  newMember(path: string, depth: number, meta: EntryMeta): MemberEntry {
    const m: MemberEntry = {
      memberId: this.nextId++,
      path,
      depth,
      sha256: null,
      size: 0,
      compressedSize: meta.compressedSize ?? null,
      compression: meta.compression ?? null,
      mtime: meta.mtime ?? null,
      format: null,
      family: null,
      encoding: null,
      records: 0,
      status: null,
      reason: null,
      damage: null,
      note: null,
      params: {},
      target: 'events',
    };
    this.members.push(m);
    this.progress({ members: 1, member: path });
    return m;
  }

  /** Records a member that is not read (refused, skipped...). */
  note(path: string, depth: number, status: MemberStatus, reason: string, meta: EntryMeta = {}): MemberEntry {
    const m = this.newMember(path, depth, meta);
    m.status = status;
    m.reason = reason;
    return m;
  }

  /**
   * Counts one more member against the cap. Past the cap it notes the refusal under `rest` (the container's
   * `…!/*`) and returns false: the caller stops reading that container.
   */
  admitMember(rest: string, depth: number): boolean {
    this.memberCount++;
    if (this.memberCount <= this.limits.maxMembers) return true;
    this.note(rest, depth, 'refused', `more than ${this.limits.maxMembers} members; the rest of this archive was not read (raise --max-members)`);
    return false;
  }
}

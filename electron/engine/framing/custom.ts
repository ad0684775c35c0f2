/**
 * Framers that belong to one format (e.g. auditd lines grouped into events by serial). A format module registers its
 * framer here under a name and asks for it with `{ kind: 'custom', framer: name }`. Layer: engine.
 */
import type { Framer, FramerLimits, RecordSink } from './types.js';

export type FramerFactory = (sink: RecordSink, limits: FramerLimits, startOffset: number, options: Record<string, unknown>) => Framer;

export const CUSTOM_FRAMERS: Record<string, FramerFactory> = {};

export function registerFramer(name: string, factory: FramerFactory): void {
  CUSTOM_FRAMERS[name] = factory;
}

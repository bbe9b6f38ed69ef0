// What a protocol folder hands the engine through the registry: the pure protocol, its config
// schema with documented defaults, its deliberately buggy variants, its checkers, its default
// heal-phase length and (optionally) a client workload. sim/ never imports a concrete protocol.
// Two optional hints are for the explorer: the notes that mark a leader's election and its
// commits (swarm's leader-chase nemesis triggers on them) and knobs (settings swarm randomizes).
import type { z } from 'zod';
import type { Checker } from './checker.ts';
import type { Workload } from './clients.ts';
import type { FaultPlan } from './faultPlan.ts';
import type { MetricsObserver } from './protocolMetrics.ts';
import type { RunOptions } from './runOptions.ts';
import type { SettingDocs } from './settings.ts';
import type { AnyProtocol } from './types.ts';

export interface ProtocolSpec<C extends Record<string, unknown> = Record<string, unknown>> {
  readonly name: string;
  readonly summary: string;
  /** Accepts user values (durations as "100ms" or microseconds) and returns the resolved config. */
  readonly configSchema: z.ZodType<C, unknown>;
  /** Each setting's unit and what it does (defaults come from the schema). */
  readonly settings: SettingDocs;
  /** Deliberately broken variants: name -> what is broken. */
  readonly bugs: Readonly<Record<string, string>>;
  create(config: C, bug: string | null): AnyProtocol;
  checkers(config: C, options: RunOptions, plan: FaultPlan): Checker[];
  /** Default length of the heal phase: long enough for every eventually-check's bound. */
  healUs(config: C, options: RunOptions, plan: FaultPlan): number;
  readonly workload?: Workload;
  /** Client settings a run gets when the user does not say (protocols with a workload). */
  readonly clientDefaults?: { readonly count: number; readonly timeoutUs: number };
  /** Checks of the config against the cluster (e.g. node names); undefined when fine, else `field: what was expected`. */
  validate?(config: C, nodes: number): string | undefined;
  /** Protocol-specific figures computed from observed events (for example detection times). */
  metrics?(config: C, options: RunOptions, plan: FaultPlan): MetricsObserver;
  /** Leader-based protocols: the note a node makes when elected (data {term}) and, if any, the note a leader makes when it commits. */
  readonly leaderNotes?: LeaderNotes;
  /**
   * Settings swarm may randomize per run, as FoundationDB randomizes knobs in simulation: each a
   * list of values as a user would write them, the default first. Every value must keep the
   * correct protocol passing its checkers; a setting the user gives with --set is not drawn.
   */
  readonly knobs?: Readonly<Record<string, readonly unknown[]>>;
}

export interface LeaderNotes {
  readonly elected: string;
  readonly commit?: string;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnySpec = ProtocolSpec<any>;

// Applies a step's effects in the fixed order (persist, then timers, then sends and replies, then
// notes), and routes inputs to nodes: message deliveries (partition checked again on arrival),
// timer fires, disk write completions and client requests. A paused node holds what arrives; a
// slow node handles one input per step cost. Timers run on the node's local clock; re-arming a
// pending timer to a later deadline is lazy (the old queue item re-queues itself when it pops).
// Leaves out: per-effect costs (a step's effects leave at once, after the step cost of a slow node).
import { mutateMessage } from './byzantine.ts';
import { K, type Simulation } from './engine.ts';
import type { DropReason } from './network.ts';
import type { NodeRuntime, PendingWrite, QueueItem, TimerEntry } from './nodeRuntime.ts';
import { chance } from './rng.ts';
import { timerKey, type Effect, type Message } from './types.ts';

/** A protocol broke the contract (bad effect): the run ends with a crash verdict. */
export class ContractError extends Error {
  override name = 'ContractError';
}

type AnyEffect = Effect<Message, unknown>;

export class NodeEffects {
  private nextMsgId = 1;
  private nextToken = 1;
  /** The queue item of the timer firing now, free for the first timer its step sets. */
  private spare: QueueItem | undefined;
  /** The message whose delivery the step running now handles (0 for other inputs): what its sends were caused by. */
  private cause = 0;
  /** Numbers each group of sends that leave together: one step's, or the sends one write held. */
  private batch = 0;

  constructor(private readonly sim: Simulation) {}

  apply(node: NodeRuntime, effects: readonly AnyEffect[]): void {
    const n = effects.length;
    if (n === 0) return;
    this.batch++;
    let write: PendingWrite | undefined;
    for (let i = 0; i < n; i++) {
      const e = effects[i] as AnyEffect;
      switch (e.kind) {
        case 'persist': write = this.persist(node, e.token, e.data); break;
        case 'send': case 'reply': case 'setTimer': case 'cancelTimer': case 'note': break;
        default: throw new ContractError(`n${node.id} returned an unknown effect kind ${JSON.stringify((e as { kind: unknown }).kind)}`);
      }
    }
    for (let i = 0; i < n; i++) {
      const e = effects[i] as AnyEffect;
      if (e.kind === 'setTimer') this.setTimer(node, e.timer, e.afterUs);
      else if (e.kind === 'cancelTimer') node.timers.delete(timerKey(e.timer));
    }
    const departAt = this.sim.now + node.stepCostUs;
    for (let i = 0; i < n; i++) {
      const e = effects[i] as AnyEffect;
      if (e.kind !== 'send' && e.kind !== 'reply') continue;
      if (!write) this.emit(node, e, departAt);
      else {
        if (e.kind === 'send') this.checkSend(node, e.to, e.msg);
        else this.checkReply(node, e.requestId);
        write.held.push(e as Effect<unknown, unknown>);
      }
    }
    for (let i = 0; i < n; i++) {
      const e = effects[i] as AnyEffect;
      if (e.kind !== 'note') continue;
      this.sim.record(e.data === undefined ? { t: this.sim.now, kind: 'note', node: node.id, name: e.name } : { t: this.sim.now, kind: 'note', node: node.id, name: e.name, data: e.data });
    }
  }

  private emit(node: NodeRuntime, e: AnyEffect, departAt: number): void {
    if (e.kind === 'send') this.send(node, e.to, e.msg, departAt);
    else if (e.kind === 'reply') this.reply(node, e.requestId, e.result, departAt);
  }

  send(node: NodeRuntime, to: number, msg: Message, departAt: number, failed?: DropReason): void {
    this.checkSend(node, to, msg);
    let copies = 1;
    let extraDelay = 0;
    let byzantine: string | undefined;
    let reason: DropReason | undefined = failed;
    const mode = node.byzantine;
    if (mode && !failed && chance(node.byzantineRng, mode.probability)) {
      byzantine = mode.behaviour;
      if (mode.behaviour === 'silent') reason = 'byzantine-silent';
      else if (mode.behaviour === 'wrong') msg = mutateMessage(msg, node.byzantineRng);
      else if (mode.behaviour === 'delay') extraDelay = mode.delayUs;
      else copies = 2;
    }
    for (let c = 0; c < copies; c++) this.transmit(node.id, to, msg, departAt + extraDelay, reason, byzantine);
  }

  private checkSend(node: NodeRuntime, to: number, msg: Message): void {
    const nodes = this.sim.options.nodes;
    if (!(Number.isInteger(to) && to >= 1 && to <= nodes) || to === node.id) {
      throw new ContractError(`n${node.id} sent ${msg?.type ?? 'a message'} to ${JSON.stringify(to)}: expected a peer id between 1 and ${nodes}, not itself`);
    }
    if (typeof msg !== 'object' || msg === null || typeof msg.type !== 'string') throw new ContractError(`n${node.id} sent a message without a string "type"`);
  }

  private transmit(from: number, to: number, msg: Message, departAt: number, reason: DropReason | undefined, byzantine: string | undefined): void {
    const sim = this.sim;
    const id = this.nextMsgId++;
    sim.metrics.countSend(msg.type);
    const tracer = sim.tracer;
    if (tracer) {
      if (byzantine) tracer.emit({ t: sim.now, kind: 'send', id, from, to, msg, byzantine });
      else tracer.emitSend(sim.now, id, from, to, msg);
    }
    const fate = reason ? { drop: reason } : sim.network.fate(from, to, departAt, id, this.cause, this.batch);
    if ('drop' in fate) {
      sim.metrics.countDrop(msg.type, fate.drop);
      if (tracer) tracer.emitDrop(sim.now, id, from, to, fate.drop);
      return;
    }
    if (fate.at.length > 1) sim.metrics.duplicated += fate.at.length - 1;
    for (const at of fate.at) sim.schedule(at, K.DELIVER, to, from, id, 0, msg);
  }

  private checkReply(node: NodeRuntime, requestId: number): void {
    const clients = this.sim.clients;
    if (!clients || !Number.isInteger(requestId) || requestId < 1 || !clients.history[requestId - 1]) {
      throw new ContractError(`n${node.id} replied to request ${JSON.stringify(requestId)}, which no client sent`);
    }
  }

  private reply(node: NodeRuntime, requestId: number, result: unknown, departAt: number): void {
    const sim = this.sim;
    this.checkReply(node, requestId);
    sim.schedule(departAt + sim.network.clientLatency(), K.CLIENT_REPLY, 0, node.id, requestId, 0, result);
  }

  deliver(item: QueueItem): boolean {
    const sim = this.sim;
    const msg = item.data as Message;
    const node = sim.nodes[item.node] as NodeRuntime;
    if (item.token === 0) {
      const reason: DropReason | undefined = sim.network.isBlocked(item.from, item.node) ? 'partition' : node.up ? undefined : 'crashed';
      if (reason) {
        sim.metrics.countDrop(msg.type, reason);
        sim.tracer?.emitDrop(sim.now, item.id, item.from, item.node, reason);
        return true;
      }
      item.token = node.epoch + 1; // arrived at this life of the node: a pause or a slow node may hold it, but the network is done with it
    }
    if (!node.up || item.token !== node.epoch + 1) return this.dropHeld(item, msg); // lost in a crash while it waited
    if (!this.admit(node, item)) return false;
    sim.metrics.countDelivery(msg.type);
    sim.tracer?.emitDeliver(sim.now, item.id, item.from, item.node);
    this.cause = item.id;
    sim.step(node, { kind: 'message', from: item.from, msg });
    this.cause = 0;
    return true;
  }

  private dropHeld(item: QueueItem, msg: Message): boolean {
    this.sim.metrics.countDrop(msg.type, 'crashed');
    this.sim.tracer?.emitDrop(this.sim.now, item.id, item.from, item.node, 'crashed');
    return true;
  }

  /** False when the node cannot take the item now (paused: held; slow and busy: re-queued). */
  private admit(node: NodeRuntime, item: QueueItem): boolean {
    if (node.paused) {
      node.held.push(item);
      return false;
    }
    if (node.busyUntil > this.sim.now) {
      this.sim.queue.push(node.busyUntil, item);
      return false;
    }
    return true;
  }

  setTimer(node: NodeRuntime, timer: unknown, afterUs: number): void {
    if (!(afterUs >= 0) || !Number.isFinite(afterUs)) throw new ContractError(`n${node.id} set timer ${JSON.stringify(timer)} with afterUs ${afterUs}: expected a finite number >= 0`);
    const key = timerKey(timer);
    const deadline = node.clock.local(this.sim.now) + Math.ceil(afterUs);
    const entry = node.timers.get(key);
    if (entry && entry.scheduledAt <= node.clock.globalAt(deadline, this.sim.now)) {
      entry.timer = timer;
      entry.localDeadline = deadline;
      return;
    }
    const fresh: TimerEntry = { timer, localDeadline: deadline, token: 0, scheduledAt: Infinity };
    node.timers.set(key, fresh);
    const spare = this.spare;
    this.spare = undefined;
    this.scheduleTimer(node, key, fresh, spare);
  }

  /** `popped`: the stale queue item of this timer, which nothing else holds; re-queued instead of a new one. */
  private scheduleTimer(node: NodeRuntime, key: string, entry: TimerEntry, popped?: QueueItem): void {
    entry.token = this.nextToken++;
    entry.scheduledAt = node.clock.globalAt(entry.localDeadline, this.sim.now);
    if (entry.scheduledAt === Infinity) return;
    if (popped) {
      // Same item contents as schedule() would make, but no allocation (globalAt never returns a time before now).
      popped.k = K.TIMER;
      popped.node = node.id;
      popped.data = key;
      popped.token = entry.token;
      this.sim.queue.push(entry.scheduledAt, popped);
    } else this.sim.schedule(entry.scheduledAt, K.TIMER, node.id, 0, 0, entry.token, key);
  }

  /** After a clock change: every pending timer is re-placed on the global time line. */
  rescheduleTimers(node: NodeRuntime): void {
    for (const [key, entry] of node.timers) this.scheduleTimer(node, key, entry);
  }

  fireTimer(item: QueueItem): boolean {
    const node = this.sim.nodes[item.node] as NodeRuntime;
    const key = item.data as string;
    const entry = node.timers.get(key);
    if (!node.up || !entry || entry.token !== item.token) return false;
    if (entry.localDeadline > node.clock.local(this.sim.now)) {
      this.scheduleTimer(node, key, entry, item); // lazily re-armed to a later deadline
      return false;
    }
    if (!this.admit(node, item)) return false;
    node.timers.delete(key);
    this.sim.tracer?.emitTimer(this.sim.now, node.id, entry.timer);
    this.spare = item; // nothing holds the fired item now: the step's first new timer re-uses it
    this.sim.step(node, { kind: 'timer', timer: entry.timer });
    this.spare = undefined;
    return true;
  }

  private persist(node: NodeRuntime, token: number, data: unknown): PendingWrite {
    const write: PendingWrite = { token, data, epoch: node.epoch, held: [], cause: this.cause };
    node.pendingWrites.push(write);
    this.sim.schedule(node.disk.scheduleWrite(this.sim.now), K.PERSIST_DONE, node.id, 0, 0, node.epoch, write);
    return write;
  }

  /** The disk finished a write: commit it, then tell the node (which releases what the write held). */
  persistDone(item: QueueItem): boolean {
    const sim = this.sim;
    const node = sim.nodes[item.node] as NodeRuntime;
    const write = item.data as PendingWrite;
    if (item.token !== node.epoch) return false;
    const ok = node.disk.commit(write.data);
    sim.tracer?.emit({ t: sim.now, kind: 'persist', node: node.id, token: write.token, ok });
    return this.persistNotify({ k: K.PERSIST_NOTIFY, node: node.id, from: ok ? 1 : 0, id: write.token, token: node.epoch, data: write });
  }

  /**
   * The node learns a write finished: the sends it held leave (or are dropped if it failed), then
   * the node steps. A paused or busy node does this only when it runs again (a frozen process
   * sends nothing); a crash before then drops the held sends (the write itself stays durable).
   */
  persistNotify(item: QueueItem): boolean {
    const node = this.sim.nodes[item.node] as NodeRuntime;
    if (item.token !== node.epoch || !node.up) return false;
    if (!this.admit(node, item)) return false;
    const write = item.data as PendingWrite;
    node.pendingWrites.splice(node.pendingWrites.indexOf(write), 1);
    this.releaseHeld(node, write, item.from === 1 ? undefined : 'persist-failed');
    // The step that learns of the write continues the step that asked for it: its sends have that step's cause.
    this.cause = write.cause;
    this.sim.step(node, { kind: 'persisted', token: item.id, ok: item.from === 1 });
    this.cause = 0;
    return true;
  }

  /** Sends the effects a write held; with a failure reason they are recorded as dropped instead. */
  releaseHeld(node: NodeRuntime, write: PendingWrite, failure: DropReason | undefined): void {
    const outer = this.cause;
    this.cause = write.cause;
    this.batch++;
    for (const e of write.held as AnyEffect[]) {
      if (e.kind === 'send') this.send(node, e.to, e.msg, this.sim.now, failure);
      else if (e.kind === 'reply' && !failure) this.reply(node, e.requestId, e.result, this.sim.now);
      else if (e.kind === 'reply') this.sim.metrics.countDrop('(reply)', failure as string);
    }
    this.cause = outer;
  }

  request(item: QueueItem): boolean {
    const node = this.sim.nodes[item.node] as NodeRuntime;
    if (!node.up) return false;
    if (item.token === 0) item.token = node.epoch + 1; // arrived at this life of the node
    else if (item.token !== node.epoch + 1) return false; // it waited for a busy node that crashed: lost
    if (!this.admit(node, item)) return false;
    this.sim.step(node, { kind: 'request', requestId: item.id, client: item.from, op: item.data });
    return true;
  }
}

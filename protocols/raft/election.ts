// Leader election (Raft section 5.2 and 5.4.1), with optional pre-vote (thesis 9.6): a node whose
// election timer fires first asks for pre-votes at term + 1 without raising its term, and starts
// a real election only when a majority would vote for it, so a partitioned node cannot disrupt a
// healthy leader by inflating terms. A vote (or pre-vote) needs the candidate's log to be at least
// as up to date; a real vote is granted once per term and persisted before it is answered. As the
// paper asks of every RPC (section 5.1: servers retry RPCs that get no response in time), a
// candidate asks the peers whose vote it lacks again every heartbeat interval until the election
// ends: under message loss an election otherwise waits a whole election timeout for each lost
// request or reply, and when every live node's vote is needed elections can fail for seconds.
import type { NodeId } from '../../sim/types.ts';
import { lastIndex, lastTerm, upToDate } from './log.ts';
import { becomeLeader } from './replication.ts';
import { armElection, becomeFollower, majority, note, send, setRole, type Turn } from './turn.ts';
import type { RaftMessage } from './types.ts';

type RequestVote = Extract<RaftMessage, { type: 'RequestVote' }>;
type RequestVoteReply = Extract<RaftMessage, { type: 'RequestVoteReply' }>;

export function onElectionTimeout(t: Turn): void {
  if (t.s.role === 'leader') return;
  armElection(t);
  if (t.cfg.preVote && t.s.role !== 'candidate') return startPreVote(t);
  startElection(t);
}

function startPreVote(t: Turn): void {
  setRole(t, 'precandidate');
  t.s.votes = [t.ctx.id];
  if (t.s.votes.length >= majority(t)) return startElection(t);
  askForVotes(t, true);
}

/** The vote timer: a candidate or pre-candidate still short of a majority asks again. */
export function onVoteRetry(t: Turn): void {
  if (t.s.role === 'candidate') askForVotes(t, false);
  else if (t.s.role === 'precandidate') askForVotes(t, true);
}

/** RequestVote (or a pre-vote at term + 1) to every peer whose vote this node lacks; asks again after a heartbeat interval. */
function askForVotes(t: Turn, pre: boolean): void {
  const msg: RaftMessage = { type: 'RequestVote', term: pre ? t.s.term + 1 : t.s.term, lastIndex: lastIndex(t.s.log), lastTerm: lastTerm(t.s.log), pre };
  for (const to of t.ctx.peers) if (!t.s.votes.includes(to)) send(t, to, msg);
  t.effects.push({ kind: 'setTimer', timer: 'vote', afterUs: t.cfg.heartbeat });
}

function startElection(t: Turn): void {
  t.s.term += 1;
  t.s.votedFor = t.ctx.id;
  t.s.leader = null;
  t.s.votes = [t.ctx.id];
  setRole(t, 'candidate');
  note(t, 'election', { term: t.s.term });
  if (t.s.votes.length >= majority(t)) return becomeLeader(t);
  askForVotes(t, false);
}

export function onRequestVote(t: Turn, from: NodeId, msg: RequestVote): void {
  const logOk = t.bug === 'vote-without-log-check' || upToDate(t.s.log, msg.lastIndex, msg.lastTerm);
  if (msg.pre) {
    // Leader stickiness: no pre-vote while a leader was heard from within the minimum timeout.
    const leaderAlive = t.s.leader !== null && t.ctx.nowUs - t.s.leaderSeenUs < t.cfg.electionMin;
    const granted = msg.term > t.s.term && logOk && !leaderAlive;
    return send(t, from, { type: 'RequestVoteReply', term: granted ? msg.term : t.s.term, granted, pre: true });
  }
  if (msg.term > t.s.term) becomeFollower(t, msg.term, null);
  const granted = msg.term === t.s.term && (t.s.votedFor === null || t.s.votedFor === from) && logOk;
  if (granted) {
    // Granted again (asked again, or a duplicate): the vote's first write may still be in flight
    // or have failed, so this answer too waits for a write that holds the vote.
    if (t.s.votedFor === from) t.rewrite = true;
    t.s.votedFor = from;
    armElection(t);
  }
  send(t, from, { type: 'RequestVoteReply', term: t.s.term, granted, pre: false });
}

export function onRequestVoteReply(t: Turn, from: NodeId, msg: RequestVoteReply): void {
  if (msg.term > t.s.term && !(msg.pre && msg.granted)) return becomeFollower(t, msg.term, null);
  if (!msg.granted || t.s.votes.includes(from)) return;
  const counting = msg.pre ? t.s.role === 'precandidate' && msg.term === t.s.term + 1 : t.s.role === 'candidate' && msg.term === t.s.term;
  if (!counting) return;
  t.s.votes = [...t.s.votes, from];
  if (t.s.votes.length < majority(t)) return;
  if (msg.pre) startElection(t);
  else becomeLeader(t);
}

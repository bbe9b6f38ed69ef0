// The table of protocol views: protocol name (as in protocols/registry.ts) to its viewer entry.
// A protocol missing here still loads and draws, with the generic view.
import { GENERIC_VIEW, type ProtocolView } from './protocolView.ts';
import { heartbeatView } from './heartbeatView.ts';
import { raftView } from './raftView.ts';
import { sagaView } from './sagaView.ts';
import { swimView } from './swimView.ts';
import { twoPhaseCommitView } from './twoPhaseCommitView.ts';

const VIEWS: Readonly<Record<string, ProtocolView>> = {
  raft: raftView,
  swim: swimView,
  heartbeat: heartbeatView,
  '2pc': twoPhaseCommitView,
  saga: sagaView,
};

export function viewFor(protocol: string): ProtocolView {
  return Object.prototype.hasOwnProperty.call(VIEWS, protocol) ? (VIEWS[protocol] as ProtocolView) : GENERIC_VIEW;
}

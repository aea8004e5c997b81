// MULTI / EXEC / DISCARD / WATCH / UNWATCH.
//
// Inside MULTI, Dispatch queues every command but the transaction's own (and QUIT, RESET);
// one it refuses (unknown, wrong arity, OOM, MISCONF) makes EXEC answer EXECABORT. EXEC runs
// the queue as one command: nothing else runs in between, its writes share one commit batch
// (one redo-log record, one fsync), and clients blocked on keys it creates are served after
// it. A blocking command inside EXEC answers at once as if its timeout had passed. WATCH
// records each key's change count (KeyRegistry::Watch); EXEC answers a null array when one
// of them moved.
#pragma once

#include "commands/context.h"

namespace strata::commands {

// Drops a session's queued transaction and its watched keys (DISCARD, RESET, disconnect).
void EndTransaction(ServerState& server, Session& session);

}  // namespace strata::commands

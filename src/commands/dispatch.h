// Runs one command: looks it up in the command table, checks arity (and the subcommand),
// applies the memory policy, fixes the command's time, and calls the handler.
#pragma once

#include <span>
#include <string_view>

#include "commands/context.h"

namespace strata::commands {

// REQUIRES: args non-empty. Appends exactly one reply to `reply`.
void Dispatch(ServerState& server, Session& session, std::span<const std::string_view> args,
              protocol::ReplyBuilder& reply);

// Lets go of what a client holds in the server: its transaction and watches, subscriptions,
// MONITOR and CLIENT TRACKING. At disconnect, and at RESET.
void ReleaseSession(ServerState& server, Session& session);

}  // namespace strata::commands

// MULTI EXEC DISCARD WATCH UNWATCH (transaction.h).
#include <algorithm>

#include "commands/command_table.h"
#include "commands/context.h"
#include "commands/dispatch.h"
#include "commands/transaction.h"

namespace strata::commands {

void EndTransaction(ServerState& server, Session& session) {
  session.in_multi = false;
  session.multi_failed = false;
  session.queued.clear();
  for (const Session::WatchedKey& w : session.watched) {
    server.keys.Unwatch(w.db, w.key);
  }
  session.watched.clear();
}

namespace {

// Whether a watched key changed since WATCH. Looking each key up first lets one that
// expired meanwhile be deleted, which counts as a change (as Redis 7 treats it).
bool WatchedKeyChanged(CommandContext& ctx) {
  storage::Keyspace& ks = ctx.ks();
  for (const Session::WatchedKey& w : ctx.session.watched) {
    auto e = ks.PeekNoTouch(w.db, w.key);
    if (!e.ok()) return true;  // cannot know: do not run on a guess
    if (ctx.server.keys.ChangeCount(w.db, w.key) != w.changes) return true;
  }
  return false;
}

void Multi(CommandContext& ctx) {
  if (ctx.session.in_multi) return ctx.reply.Error("ERR MULTI calls can not be nested");
  ctx.session.in_multi = true;
  ctx.session.multi_failed = false;
  ctx.session.queued.clear();
  ctx.reply.Ok();
}

void Discard(CommandContext& ctx) {
  if (!ctx.session.in_multi) return ctx.reply.Error("ERR DISCARD without MULTI");
  EndTransaction(ctx.server, ctx.session);
  ctx.reply.Ok();
}

void Exec(CommandContext& ctx) {
  Session& session = ctx.session;
  if (!session.in_multi) return ctx.reply.Error("ERR EXEC without MULTI");
  std::vector<std::vector<std::string>> queued = std::move(session.queued);
  bool failed = session.multi_failed;
  bool changed = !failed && WatchedKeyChanged(ctx);
  EndTransaction(ctx.server, session);  // unwatches before running: its own writes count not
  if (failed) {
    return ctx.reply.Error("EXECABORT Transaction discarded because of previous errors.");
  }
  if (changed) return ctx.reply.NullArray();
  ctx.reply.ArrayHeader(queued.size());
  std::vector<std::string_view> args;
  session.exec_size = queued.size();
  ctx.ks().SetInTransaction(true);
  for (const std::vector<std::string>& command : queued) {
    args.assign(command.begin(), command.end());
    Dispatch(ctx.server, session, args, ctx.reply);
    if (session.block.active) {
      // Never blocks inside a transaction: the timeout's answer, now.
      bool null_array = session.block.null_array_on_timeout;
      session.block = BlockRequest();
      session.stream_wait.reset();
      if (null_array) {
        ctx.reply.NullArray();
      } else {
        ctx.reply.Null();
      }
    }
  }
  ctx.ks().SetInTransaction(false);
  session.exec_size = 0;
  session.last_command = "exec";
}

void Watch(CommandContext& ctx) {
  Session& session = ctx.session;
  if (session.in_multi) return ctx.reply.Error("ERR WATCH inside MULTI is not allowed");
  storage::Keyspace& ks = ctx.ks();
  for (size_t i = 1; i < ctx.argc(); ++i) {
    std::string_view key = ctx.arg(i);
    bool already = std::any_of(
        session.watched.begin(), session.watched.end(),
        [&](const Session::WatchedKey& w) { return w.db == session.db && w.key == key; });
    if (already) continue;
    // An expired key is deleted now, so that its expiry is not taken for a change later.
    auto e = ks.PeekNoTouch(session.db, key);
    (void)e;
    session.watched.push_back(
        Session::WatchedKey{session.db, std::string(key), ctx.server.keys.Watch(session.db, key)});
  }
  ctx.reply.Ok();
}

void Unwatch(CommandContext& ctx) {
  for (const Session::WatchedKey& w : ctx.session.watched) {
    ctx.server.keys.Unwatch(w.db, w.key);
  }
  ctx.session.watched.clear();
  ctx.reply.Ok();
}

}  // namespace

void RegisterTransactionCommands(CommandTable& t) {
  constexpr uint32_t kTx = kAclTransaction;
  constexpr uint32_t kControl = kNoScript | kLoading | kStale | kFast | kAllowBusy;
  t.Add({.name = "multi",
         .arity = 1,
         .flags = kControl,
         .acl = kTx | kAclFast,
         .keys = {},
         .handler = Multi,
         .group = "transactions",
         .since = "1.2.0",
         .summary = "Starts a transaction.",
         .complexity = "O(1)"});
  t.Add({.name = "exec",
         .arity = 1,
         .flags = kNoScript | kLoading | kStale | kSkipSlowlog,
         .acl = kTx | kAclSlow,
         .keys = {},
         .handler = Exec,
         .group = "transactions",
         .since = "1.2.0",
         .summary = "Executes all commands in a transaction.",
         .complexity = "Depends on commands in the transaction"});
  t.Add({.name = "discard",
         .arity = 1,
         .flags = kControl,
         .acl = kTx | kAclFast,
         .keys = {},
         .handler = Discard,
         .group = "transactions",
         .since = "2.0.0",
         .summary = "Discards a transaction.",
         .complexity = "O(N), when N is the number of queued commands"});
  t.Add({.name = "watch",
         .arity = -2,
         .flags = kControl,
         .acl = kTx | kAclFast,
         .keys = {1, -1, 1},
         .handler = Watch,
         .group = "transactions",
         .since = "2.2.0",
         .summary = "Monitors changes to keys to determine the execution of a transaction.",
         .complexity = "O(1) for every key."});
  t.Add({.name = "unwatch",
         .arity = 1,
         .flags = kControl,
         .acl = kTx | kAclFast,
         .keys = {},
         .handler = Unwatch,
         .group = "transactions",
         .since = "2.2.0",
         .summary = "Forgets about watched keys of a transaction.",
         .complexity = "O(1)"});
}

}  // namespace strata::commands
